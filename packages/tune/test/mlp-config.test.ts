import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildModel, describeLayout, selectBackend } from '@corpus-tune/train';
import { mlpConfigFromParams } from '../src/objectives/mlp.ts';
import { assemble, checkParams, readSpaceFile } from '../src/space.ts';
import type { Hyperparameter, ParamValue, Params } from '../src/space.ts';
import { SPACES_DIR } from '../src/tune-corpus.ts';

const BASE: Params = {
  layers: 2,
  units_0: 8,
  activation_0: 'relu',
  units_1: 4,
  activation_1: 'tanh',
  use_dropout: false,
  optimizer: 'adam',
  learning_rate: 0.001,
  batch_size: 32,
  epochs: 5,
  patience: 3,
  output_activation: 'softmax',
};

test('mlpConfigFromParams puts l2 on every hidden layer when use_l2 is on, and nowhere otherwise', () => {
  const on = mlpConfigFromParams({ ...BASE, use_l2: true, l2: 3e-4 }, [2], 2);
  assert.deepEqual(on.hidden, [
    { units: 8, activation: 'relu', l2: 3e-4 },
    { units: 4, activation: 'tanh', l2: 3e-4 },
  ]);
  // Switch off (l2 then absent, as the space makes it inactive) and the poster's `mlp` space (no
  // such parameters at all): no regulariser, and no `l2` key that would change saved configs.
  for (const params of [{ ...BASE, use_l2: false }, BASE]) {
    const config = mlpConfigFromParams(params, [2], 2);
    assert.equal(config.hidden.length, 2);
    assert.ok(
      config.hidden.every((spec) => !('l2' in spec)),
      JSON.stringify(config.hidden),
    );
  }
  // With dropout too, both land on the same layers.
  const both = mlpConfigFromParams(
    { ...BASE, use_dropout: true, dropout: 0.2, use_l2: true, l2: 1e-5 },
    [2],
    2,
  );
  assert.ok(both.hidden.every((spec) => spec.dropout === 0.2 && spec.l2 === 1e-5));
});

test('mapped l2 reaches the built model: hidden Dense rows carry it, the output layer not', async () => {
  await selectBackend('cpu');
  const model = buildModel(mlpConfigFromParams({ ...BASE, use_l2: true, l2: 2e-3 }, [2], 2), { seed: 1 });
  assert.deepEqual(
    describeLayout(model).map((r) => [r.units, r.l2]),
    [
      [8, 2e-3],
      [4, 2e-3],
      [2, undefined],
    ],
  );
  model.dispose();
});

test(
  'every complete space has use_l2 and a conditional log-uniform l2 after the dropout params; ' +
    'mlp spaces have neither',
  () => {
    for (const corpus of ['ds08', 'ds09', 'ds10']) {
      const complete = readSpaceFile(join(SPACES_DIR, corpus, 'complete.json'));
      const names = complete.parameters.map((p) => p.name);
      assert.deepEqual(
        names.slice(names.indexOf('use_dropout'), names.indexOf('use_dropout') + 4),
        ['use_dropout', 'dropout', 'use_l2', 'l2'],
        corpus,
      );
      const l2 = complete.parameters.find((p) => p.name === 'l2');
      assert.deepEqual(l2, {
        name: 'l2',
        type: 'float',
        low: 1e-6,
        high: 1e-2,
        step: null,
        log: true,
        when: [{ param: 'use_l2', eq: true }],
        description: l2?.description,
      });
      assert.match(complete.description, /L2/, corpus);
      // The manual configuration (trial 0) stays unregularised by L2.
      assert.equal(complete.manual?.use_l2, false);
      assert.ok(complete.manual && !('l2' in complete.manual));

      // Inactive parameters are absent: l2 exists exactly when use_l2 is true, and each such
      // configuration is legal and maps to the matching DenseSpecs.
      const pick = (useL2: boolean) =>
        assemble(complete, (p: Hyperparameter): ParamValue => {
          if (p.name === 'use_l2') return useL2;
          if (p.name === 'layers') return 2;
          const base = BASE[p.name];
          if (base !== undefined) return base;
          if (p.type === 'float' || p.type === 'int') return p.low;
          if (p.type === 'choice') return p.choices[0];
          return false;
        });
      const off = pick(false);
      const on = pick(true);
      assert.ok(!('l2' in off) && on.l2 === 1e-6, JSON.stringify(on));
      checkParams(complete, off, `${corpus} off`);
      checkParams(complete, on, `${corpus} on`);
      assert.deepEqual(
        mlpConfigFromParams(on, [2], 2).hidden.map((s) => s.l2),
        [1e-6, 1e-6],
      );

      const mlp = readSpaceFile(join(SPACES_DIR, corpus, 'mlp.json'));
      assert.ok(
        !mlp.parameters.some((p) => p.name === 'l2' || p.name === 'use_l2'),
        `${corpus} mlp space is the poster's`,
      );
    }
  },
);
