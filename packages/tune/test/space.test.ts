import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@corpus-tune/core';
import { assemble, checkParams, parseSpace, readSpaceFile } from '../src/space.ts';
import { SPACES_DIR } from '../src/tune-corpus.ts';
import { MIXED_SPACE } from './helpers.ts';

const bad =
  (obj: unknown): (() => void) =>
  () =>
    parseSpace(JSON.stringify(obj), 'spaces/bad.json');

test('space errors name the file and the problem', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not JSON', null, /spaces\/bad\.json: a space file must hold a JSON object/],
    [
      'unknown type',
      { name: 's', parameters: [{ name: 'a', type: 'weird' }] },
      /spaces\/bad\.json: .*unknown type "weird"/,
    ],
    [
      'low above high',
      { name: 's', parameters: [{ name: 'a', type: 'int', low: 5, high: 1 }] },
      /low 5 must be ≤ high 1/,
    ],
    [
      'log float at 0',
      { name: 's', parameters: [{ name: 'a', type: 'float', low: 0, high: 1, log: true }] },
      /log float needs low > 0/,
    ],
    [
      'condition on a later parameter',
      {
        name: 's',
        parameters: [
          { name: 'a', type: 'int', low: 1, high: 2, when: { param: 'b', gt: 1 } },
          { name: 'b', type: 'int', low: 1, high: 2 },
        ],
      },
      /refers to "b", which is not declared earlier/,
    ],
    [
      'manual out of range',
      { name: 's', parameters: [{ name: 'a', type: 'int', low: 1, high: 2 }], manual: { a: 7 } },
      /manual configuration: "a" = 7 is outside its range/,
    ],
    [
      'step does not divide',
      { name: 's', parameters: [{ name: 'a', type: 'int', low: 1, high: 10, step: 4 }] },
      /multiple of step/,
    ],
  ];
  for (const [name, obj, message] of cases) {
    assert.throws(bad(obj), (e: unknown) => e instanceof InputError && message.test(e.message), name);
  }
  assert.throws(() => parseSpace('{', 'x.json'), /x\.json: not valid JSON/);
  assert.throws(
    () => readSpaceFile('/nonexistent/space.json'),
    /\/nonexistent\/space\.json: cannot read space file/,
  );
});

test('conditions decide which parameters exist', () => {
  const pick = (layers: number, useDropout: boolean) =>
    assemble(MIXED_SPACE, (p) =>
      p.name === 'layers'
        ? layers
        : p.name === 'use_dropout'
          ? useDropout
          : p.type === 'choice'
            ? 'relu'
            : p.type === 'float'
              ? p.log
                ? 0.01
                : p.low
              : p.type === 'int'
                ? p.low
                : 0,
    );
  assert.deepEqual(Object.keys(pick(1, false)).sort(), [
    'activation',
    'batch',
    'layers',
    'loss',
    'lr',
    'momentum',
    'units_0',
    'use_dropout',
  ]);
  assert.ok('units_2' in pick(3, true) && 'dropout' in pick(3, true));
  assert.equal(pick(2, true).units_2, undefined);
  assert.equal(pick(1, false).loss, 'xent');
  assert.throws(
    () => checkParams(MIXED_SPACE, { ...pick(1, false), units_1: 8 }, 'test'),
    /"units_1" is set but inactive/,
  );
});

test('every shipped space file parses and its manual configuration is legal', () => {
  let count = 0;
  for (const corpus of readdirSync(SPACES_DIR)) {
    for (const file of readdirSync(join(SPACES_DIR, corpus))) {
      const space = readSpaceFile(join(SPACES_DIR, corpus, file));
      assert.ok(space.manual, `${corpus}/${file} has a manual configuration`);
      checkParams(space, space.manual, `${corpus}/${file}`);
      count++;
    }
  }
  assert.ok(count >= 6);
  // The poster's MLP-A1 layout (52, 92, 62, 72, 67 units; sigmoid×4, tanh) is inside the poster's space.
  const mlp = readSpaceFile(join(SPACES_DIR, 'ds10', 'mlp.json'));
  const a1 = {
    layers: 5,
    units_0: 52,
    activation_0: 'sigmoid',
    units_1: 92,
    activation_1: 'sigmoid',
    units_2: 62,
    activation_2: 'sigmoid',
    units_3: 72,
    activation_3: 'sigmoid',
    units_4: 67,
    activation_4: 'tanh',
    dropout: 0,
    optimizer: 'adam',
    learning_rate: 0.001,
    batch_size: 32,
    epochs: 10,
  };
  checkParams(mlp, a1, 'MLP-A1');
});
