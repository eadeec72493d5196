import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@corpus-tune/core';
import { buildModel, fitModel, namedConfig } from '../src/index.ts';
import type { FitResult, MlpConfig } from '../src/index.ts';
import { memorySplit, useBackend } from './helpers.ts';

// The dense engine against tfjs's layers (options.engine 'tfjs', the independent path): same data,
// seed and initial weights must give the same learning curve. Both run float32 with different
// summation orders, so they agree closely, not bit for bit.
const REL_TOLERANCE = 1e-4;

before(() => useBackend('wasm'));

/** Three noisy classes on rings in `width` dimensions (the first two carry the signal). */
function ringSet(n: number, width: number, classes: number) {
  const rng = createRng(77);
  const labels = Int8Array.from({ length: n }, (_, i) => i % classes);
  const x = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    const angle = 2 * Math.PI * rng.float();
    const radius = 1 + labels[i] + 0.4 * rng.normal();
    for (let j = 0; j < width; j++) x[i * width + j] = rng.normal() * 0.5;
    x[i * width] = radius * Math.cos(angle);
    x[i * width + 1] = radius * Math.sin(angle);
  }
  return memorySplit(
    x,
    labels,
    [width],
    Array.from({ length: classes }, (_, c) => String(c)),
  );
}

function mlp(overrides: Partial<MlpConfig> & Pick<MlpConfig, 'hidden'>, width = 2, classes = 2): MlpConfig {
  return {
    kind: 'mlp',
    inputShape: [width],
    numClasses: classes,
    output: { activation: 'softmax' },
    training: { optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 3 },
    ...overrides,
  };
}

async function fitWith(
  config: MlpConfig,
  engine: 'auto' | 'tfjs',
  n: number,
  extra = {},
): Promise<FitResult> {
  const split = ringSet(n, config.inputShape[0], config.numClasses);
  return fitModel(buildModel(config, { seed: 5 }), config, split, {
    seed: 5,
    innerValFraction: 0.2,
    patienceEpochs: 99,
    engine,
    ...extra,
  });
}

function assertSameCurve(got: FitResult, want: FitResult): void {
  assert.equal(got.learningCurve.length, want.learningCurve.length);
  got.learningCurve.forEach((e, i) => {
    const w = want.learningCurve[i];
    for (const [what, a, b] of [
      ['loss', e.loss, w.loss],
      ['inner-val loss', e.innerValLoss, w.innerValLoss],
    ] as const)
      assert.ok(
        Math.abs(a - b) <= REL_TOLERANCE * Math.abs(b),
        `epoch ${e.epoch} ${what}: dense ${a}, tfjs ${b}`,
      );
  });
}

const CASES: { name: string; config: MlpConfig; n: number }[] = [
  {
    name: 'ReLU widths off the 16-column tiles, 3 classes, a short last batch',
    config: mlp(
      {
        hidden: [
          { units: 23, activation: 'relu' },
          { units: 5, activation: 'relu' },
        ],
      },
      3,
      3,
    ),
    n: 1000,
  },
  {
    name: 'sigmoid / tanh / ELU hidden layers with L2 on two of them',
    config: mlp({
      hidden: [
        { units: 17, activation: 'sigmoid', l2: 0.01 },
        { units: 16, activation: 'tanh' },
        { units: 6, activation: 'elu', l2: 0.003 },
      ],
    }),
    n: 700,
  },
  {
    name: 'SELU / softplus / exponential / linear under SGD',
    config: mlp({
      hidden: [
        { units: 12, activation: 'selu' },
        { units: 9, activation: 'softplus' },
        { units: 4, activation: 'exponential' },
        { units: 8, activation: 'linear' },
      ],
      training: { optimizer: 'sgd', learningRate: 0.05, batchSize: 20, epochs: 3 },
    }),
    n: 600,
  },
  {
    name: 'dropout after two of three layers (the masks SeededDropout draws), Adam',
    config: mlp({
      hidden: [
        { units: 24, activation: 'relu', dropout: 0.3 },
        { units: 12, activation: 'tanh' },
        { units: 8, activation: 'relu', dropout: 0.5 },
      ],
    }),
    n: 900,
  },
  {
    name: 'RMSprop, batch 16',
    config: mlp({
      hidden: [
        { units: 20, activation: 'relu' },
        { units: 10, activation: 'sigmoid' },
      ],
      training: { optimizer: 'rmsprop', learningRate: 0.003, batchSize: 16, epochs: 3 },
    }),
    n: 500,
  },
  {
    name: 'sigmoid outputs with binary cross-entropy, 5 input features',
    config: mlp({ hidden: [{ units: 32, activation: 'relu' }], output: { activation: 'sigmoid' } }, 5, 2),
    n: 800,
  },
];

for (const c of CASES) {
  test(`dense engine follows tfjs's learning curve: ${c.name}`, async () => {
    const dense = await fitWith(c.config, 'auto', c.n);
    const layers = await fitWith(c.config, 'tfjs', c.n);
    assert.deepEqual(dense.engine, { name: 'dense' });
    assert.deepEqual(layers.engine, { name: 'tfjs' });
    assertSameCurve(dense, layers);
  });
}

test('the dense engine leaves non-MLPs to tfjs, saying why', async () => {
  const cnn = namedConfig('cnn-m', [40, 40, 1], 2);
  const patches = memorySplit(new Float32Array(16 * 1600), ringSet(16, 2, 2).labels, [40, 40, 1]);
  const cnnFit = await fitModel(buildModel(cnn, { seed: 1 }), cnn, patches, { epochs: 1 });
  assert.deepEqual(cnnFit.engine, { name: 'tfjs', reason: 'a cnn, not an MLP' });
});

test("a checkpoint written by the dense engine resumes on tfjs's path to the same curve", async () => {
  const config = mlp({
    hidden: [
      { units: 16, activation: 'relu' },
      { units: 8, activation: 'tanh' },
    ],
  });
  const full = { ...config, training: { ...config.training, epochs: 4 } };
  const dir = mkdtempSync(join(tmpdir(), 'dense-ckpt-'));
  try {
    const uninterrupted = await fitWith(full, 'tfjs', 600);
    const firstHalf = await fitWith(full, 'auto', 600, { checkpointDir: dir, epochs: 2 });
    assert.equal(firstHalf.engine.name, 'dense');
    const resumed = await fitWith(full, 'tfjs', 600, { checkpointDir: dir });
    assert.equal(resumed.resumedFromEpoch, 2);
    assertSameCurve(resumed, uninterrupted);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a diverging dense fit ends as failed, naming what went non-finite, as on the tfjs path', async () => {
  const config = mlp({
    hidden: [{ units: 16, activation: 'exponential' }],
    training: { optimizer: 'sgd', learningRate: 1e6, batchSize: 32, epochs: 3 },
  });
  const dense = await fitWith(config, 'auto', 400);
  const layers = await fitWith(config, 'tfjs', 400);
  // Where it shows first differs (tfjs's clip maps a NaN probability into range, so it finds the
  // weights); that it fails, and says why, does not.
  assert.equal(layers.status, 'failed');
  assert.equal(dense.status, 'failed');
  assert.match(dense.reason ?? '', /^non-finite (loss|weights|inner-validation loss)/);
});
