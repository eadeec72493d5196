import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createRng, InputError } from '@corpus-tune/core';
import { buildModel, carveRows, describeLayout, fitModel, loadModel, saveModel } from '../src/index.ts';
import type { DenseSpec, LstmConfig, MlpConfig } from '../src/index.ts';
import { memorySplit, useBackend } from './helpers.ts';

before(() => useBackend('cpu'));

const INPUTS = 4;
const CLASSES = 3;

function mlp(hidden: DenseSpec[], training: Partial<MlpConfig['training']> = {}): MlpConfig {
  return {
    kind: 'mlp',
    inputShape: [INPUTS],
    numClasses: CLASSES,
    output: { activation: 'softmax' },
    training: { optimizer: 'sgd', learningRate: 0.05, batchSize: 1024, epochs: 1, ...training },
    hidden,
  };
}

/** Gaussian inputs, labels from a fixed linear rule (learnable, not separable by a tiny margin). */
function data(n: number, seed: number) {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: n * INPUTS }, () => rng.normal());
  const labels = Int8Array.from({ length: n }, (_, i) => {
    const s = x[i * INPUTS] + 0.5 * x[i * INPUTS + 1] - x[i * INPUTS + 2];
    return s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
  });
  return memorySplit(x, labels, [INPUTS], ['a', 'b', 'c']);
}

/** Σ w² of each Dense kernel, in layer order, summed in float64 from the raw weights. */
function kernelSquareSums(model: tf.LayersModel): number[] {
  return model.layers
    .filter((l) => l.getClassName() === 'Dense')
    .map((l) => Array.from(l.getWeights()[0].dataSync()).reduce((s, w) => s + w * w, 0));
}

/** Mean categorical cross-entropy of the model's predictions on `rows`, by hand in float64. */
function dataLoss(model: tf.LayersModel, split: ReturnType<typeof data>, rows: Int32Array): number {
  const x = tf.tensor2d(
    Array.from(rows).flatMap((r) => Array.from(split.x.subarray(r * INPUTS, (r + 1) * INPUTS))),
    [rows.length, INPUTS],
  );
  const p = (model.predict(x) as tf.Tensor).arraySync() as number[][];
  x.dispose();
  return -Array.from(rows).reduce((s, r, i) => s + Math.log(p[i][split.labels[r]]), 0) / rows.length;
}

test('validation rejects a negative or non-finite l2 with an InputError naming the layer', () => {
  for (const bad of [-0.01, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(
      () =>
        buildModel(
          mlp([
            { units: 4, activation: 'relu' },
            { units: 4, activation: 'relu', l2: bad },
          ]),
        ),
      (e: unknown) =>
        e instanceof InputError && /hidden\[1\]\.l2 must be a finite number ≥ 0/.test(e.message),
      String(bad),
    );
  }
  const lstm: LstmConfig = {
    ...mlp([]),
    kind: 'lstm',
    inputShape: [5, 3],
    lstm: [{ units: 4 }],
    dense: [{ units: 4, activation: 'relu', l2: -1 }],
  };
  assert.throws(() => buildModel(lstm), /dense\[0\]\.l2 must be a finite number ≥ 0, got -1/);
  // 0 is legal and means "no regulariser".
  const model = buildModel(mlp([{ units: 4, activation: 'relu', l2: 0 }]));
  assert.equal(describeLayout(model)[0].l2, undefined);
  model.dispose();
});

test('the training loss fitModel records is the data loss plus Σ l2·Σw² over the regularised kernels', async () => {
  const hidden: DenseSpec[] = [
    { units: 8, activation: 'relu', l2: 0.01 },
    { units: 5, activation: 'tanh', l2: 0.003 },
  ];
  const split = data(200, 7);
  const seed = 3;
  const { fit: fitRows } = carveRows(split.n, seed, 0.1);
  for (const [name, specs, factors] of [
    ['with l2', hidden, [0.01, 0.003, 0]],
    ['without l2', hidden.map(({ l2: _l2, ...rest }) => rest), [0, 0, 0]],
  ] as const) {
    const config = mlp([...specs]);
    const model = buildModel(config, { seed: 5 });
    // One epoch of one batch: the recorded loss is computed on the weights before the single update.
    const expectedData = dataLoss(model, split, fitRows);
    const penalty = kernelSquareSums(model).reduce((s, sq, i) => s + factors[i] * sq, 0);
    const fit = await fitModel(model, config, split, { seed, innerValFraction: 0.1 });
    assert.equal(fit.learningCurve.length, 1, name);
    const loss = fit.learningCurve[0].loss;
    assert.ok(
      Math.abs(loss - (expectedData + penalty)) < 1e-5,
      `${name}: loss ${loss} vs data ${expectedData} + penalty ${penalty}`,
    );
    if (name === 'with l2') assert.ok(penalty > 1e-3, `penalty ${penalty} is big enough to be seen`);
    model.dispose();
  }
});

test('a large l2 leaves clearly smaller kernels than none (same seed, same data)', async () => {
  const split = data(600, 11);
  const train = async (l2: number | undefined) => {
    const hidden: DenseSpec[] = [16, 16].map((units) => ({
      units,
      activation: 'relu',
      ...(l2 === undefined ? {} : { l2 }),
    }));
    const config = mlp(hidden, { optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 8 });
    const model = buildModel(config, { seed: 2 });
    const fit = await fitModel(model, config, split, { seed: 2, patienceEpochs: 100 });
    assert.notEqual(fit.status, 'failed');
    const [h0, h1] = kernelSquareSums(model);
    model.dispose();
    return h0 + h1;
  };
  const plain = await train(undefined);
  const decayed = await train(0.05);
  assert.ok(decayed < 0.5 * plain, `hidden kernels Σw²: ${decayed} with l2 = 0.05 vs ${plain} without`);
});

test('save → load keeps the regulariser: config, layout and the penalty in the training loss', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'train-l2-'));
  try {
    const config = mlp([
      { units: 6, activation: 'relu', l2: 0.02 },
      { units: 6, activation: 'relu' },
    ]);
    const model = buildModel(config, { seed: 9 });
    await saveModel(model, dir);
    const saved = readFileSync(join(dir, 'model.json'), 'utf8');
    assert.match(saved, /"kernel_regularizer":\{"class_name":"L1L2","config":\{"l1":0,"l2":0\.02\}\}/);
    const loaded = await loadModel(dir);
    assert.deepEqual(describeLayout(loaded), describeLayout(model));
    assert.deepEqual(
      describeLayout(loaded).map((r) => r.l2),
      [0.02, undefined, undefined],
    );

    // Same weights + same regulariser ⇒ the same penalised loss on a batch (learning rate 0: no update).
    const split = data(64, 4);
    const x = tf.tensor2d(split.x, [split.n, INPUTS]);
    const y = tf.oneHot(tf.tensor1d(Int32Array.from(split.labels), 'int32'), CLASSES);
    const losses: number[] = [];
    for (const m of [model, loaded]) {
      m.compile({ optimizer: tf.train.sgd(0), loss: 'categoricalCrossentropy' });
      losses.push((await m.trainOnBatch(x, y)) as number);
    }
    const expected =
      dataLoss(
        model,
        split,
        Int32Array.from({ length: split.n }, (_, i) => i),
      ) +
      0.02 * kernelSquareSums(model)[0];
    for (const loss of losses) assert.ok(Math.abs(loss - expected) < 1e-5, `loss ${loss} vs ${expected}`);
    tf.dispose([x, y]);
    model.dispose();
    loaded.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('l2 reaches every dense stack (MLP hidden, LSTM dense) and the layout rows, never the output layer', () => {
  const m = buildModel(
    mlp([
      { units: 4, activation: 'relu', l2: 1e-4 },
      { units: 3, activation: 'elu', l2: 2e-3 },
    ]),
  );
  assert.deepEqual(
    describeLayout(m).map((r) => [r.layer, r.l2]),
    [
      ['Dense', 1e-4],
      ['Dense', 2e-3],
      ['Dense', undefined],
    ],
  );
  m.dispose();
  const lstm: LstmConfig = {
    ...mlp([]),
    kind: 'lstm',
    inputShape: [5, 3],
    lstm: [{ units: 4 }],
    dense: [{ units: 4, activation: 'relu', l2: 5e-3 }],
  };
  const l = buildModel(lstm);
  assert.deepEqual(
    describeLayout(l).map((r) => [r.layer, r.l2]),
    [
      ['LSTM', undefined],
      ['Dense', 5e-3],
      ['Dense', undefined],
    ],
  );
  l.dispose();
});
