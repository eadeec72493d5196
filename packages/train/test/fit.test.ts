import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@corpus-tune/core';
import {
  buildModel,
  namedConfig,
  fitModel,
  evaluateModel,
  saveModel,
  loadModel,
  predictSplit,
  wilsonInterval,
} from '../src/index.ts';
import type { MlpConfig } from '../src/index.ts';
import { memorySplit, useBackend } from './helpers.ts';

before(() => useBackend('wasm'));

/** Two Gaussian blobs 8σ apart: Bayes error ≈ 0, so a working learner gets < 2 %. */
function blobs(n: number, seed: number) {
  const rng = createRng(seed);
  const x = new Float32Array(2 * n);
  const labels = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    labels[i] = c;
    x[2 * i] = (c ? 2 : -2) + 0.5 * rng.normal();
    x[2 * i + 1] = (c ? 2 : -2) + 0.5 * rng.normal();
  }
  return memorySplit(x, labels, [2]);
}

const small = (epochs: number): MlpConfig => ({
  ...(namedConfig('mlp-m1', [2], 2) as MlpConfig),
  training: { optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs },
});

test('MLP-M1 learns a separable toy set to < 2 % error on held-out data', async () => {
  const train = blobs(1000, 1);
  const held = blobs(1000, 2);
  const model = buildModel(small(5), { seed: 1 });
  const fit = await fitModel(model, small(5), train, { seed: 1 });
  assert.notEqual(fit.status, 'failed');
  assert.equal(fit.trainRows + fit.innerValRows, 1000);
  const ev = evaluateModel(model, held);
  assert.ok(ev.error.rate < 0.02, `error ${ev.error.rate}`);
  assert.equal(
    ev.confusion.flat().reduce((a, b) => a + b, 0),
    1000,
  );
});

test('same seed ⇒ identical weights after training (dropout included)', async () => {
  const cfg = {
    ...(namedConfig('mlp-m2', [2], 2) as MlpConfig),
    training: { optimizer: 'adam' as const, learningRate: 0.01, batchSize: 64, epochs: 2 },
  };
  const train = blobs(400, 3);
  const run = async () => {
    const m = buildModel(cfg, { seed: 4 });
    await fitModel(m, cfg, train, { seed: 4 });
    return m.getWeights().map((w) => Array.from(w.dataSync()));
  };
  assert.deepEqual(await run(), await run());
});

test('save → load gives identical predictions (model.json + weights.bin, no native addon)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'train-io-'));
  try {
    for (const system of ['mlp-a2', 'cnn-lstm']) {
      const shape = system === 'cnn-lstm' ? [6, 3] : [2];
      const model = buildModel(namedConfig(system, shape, 2), { seed: 2 });
      const rng = createRng(9);
      const n = 50;
      const split = memorySplit(
        Float32Array.from({ length: n * shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
        new Int8Array(n),
        shape,
      );
      await saveModel(model, join(dir, system));
      assert.ok(existsSync(join(dir, system, 'model.json')) && existsSync(join(dir, system, 'weights.bin')));
      const again = await loadModel(join(dir, system));
      const a = predictSplit(model, split);
      const b = predictSplit(again, split);
      assert.deepEqual(b.predicted, a.predicted);
      assert.deepEqual(b.probMax, a.probMax);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an interrupted fit resumes from its checkpoint and ends where an uninterrupted one does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'train-ckpt-'));
  try {
    const train = blobs(300, 5);
    const cfg = small(4);
    const straight = buildModel(cfg, { seed: 7 });
    const full = await fitModel(straight, cfg, train, { seed: 7, patienceEpochs: 99 });
    // "Interrupt" after epoch 2 by pruning, then resume with a fresh model and the same checkpoint dir.
    const first = buildModel(cfg, { seed: 7 });
    const part = await fitModel(first, cfg, train, {
      seed: 7,
      patienceEpochs: 99,
      checkpointDir: dir,
      onEpochEnd: (log) => (log.epoch === 2 ? 'stop' : undefined),
    });
    assert.equal(part.status, 'pruned');
    const second = buildModel(cfg, { seed: 99 });
    const rest = await fitModel(second, cfg, train, { seed: 7, patienceEpochs: 99, checkpointDir: dir });
    assert.equal(rest.resumedFromEpoch, 2);
    assert.deepEqual(
      rest.learningCurve.map((e) => e.epoch),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      rest.learningCurve.map((e) => e.loss),
      full.learningCurve.map((e) => e.loss),
    );
    const w1 = straight.getWeights().map((w) => Array.from(w.dataSync()));
    const w2 = second.getWeights().map((w) => Array.from(w.dataSync()));
    // tfjs's Adam.setWeights recomputes β^t with pow() rather than by repeated products, so the
    // resumed run agrees to float32 rounding, not bit for bit.
    w1.forEach((layer, i) =>
      layer.forEach((v, j) =>
        assert.ok(
          Math.abs(v - w2[i][j]) <= 1e-5 * Math.max(1, Math.abs(v)),
          `w${i}[${j}] ${v} vs ${w2[i][j]}`,
        ),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a NaN loss ends the fit as failed with the reason', async () => {
  const train = blobs(200, 6);
  train.x[10] = Number.NaN;
  // MLP-A1's sigmoid passes NaN on (ReLU would map it to 0).
  const cfg: MlpConfig = {
    ...(namedConfig('mlp-a1', [2], 2) as MlpConfig),
    training: { optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 2 },
  };
  const fit = await fitModel(buildModel(cfg, { seed: 1 }), cfg, train, { seed: 1, innerValFraction: 0.05 });
  assert.equal(fit.status, 'failed');
  assert.match(fit.reason ?? '', /non-finite (loss \(NaN\) at epoch 1, batch \d+|weights after epoch 1)/);
});

test('an exploding learning rate (Inf/NaN) is reported, not thrown', async () => {
  const train = blobs(200, 8);
  // MLP-A2's exponential layer overflows to Inf once SGD with a huge step blows the weights up.
  const cfg: MlpConfig = {
    ...(namedConfig('mlp-a2', [2], 2) as MlpConfig),
    training: { optimizer: 'sgd', learningRate: 1e4, batchSize: 16, epochs: 2 },
  };
  const fit = await fitModel(buildModel(cfg, { seed: 1 }), cfg, train, { seed: 1 });
  assert.equal(fit.status, 'failed');
  assert.match(fit.reason ?? '', /non-finite/);
});

test('Wilson interval matches the closed form for a known case (Newcombe 1998, 81/263)', () => {
  // Newcombe's example: 81 of 263 → 0.2553 to 0.3662 (95 %).
  const w = wilsonInterval(81, 263);
  assert.ok(Math.abs(w.lower95 - 0.2553) < 5e-4 && Math.abs(w.upper95 - 0.3662) < 5e-4, JSON.stringify(w));
  assert.deepEqual(wilsonInterval(0, 10).lower95, 0);
});

test('CNN+LSTM and the manual CNN train on WASM (our Conv2DBackpropFilter) and learn a trivially separable set', async () => {
  const rng = createRng(12);
  for (const [system, shape] of [
    ['cnn-lstm', [8, 3]],
    ['cnn-m', [40, 40, 1]],
  ] as const) {
    const size = shape.reduce((a: number, b: number) => a * b, 1);
    const n = 96;
    const labels = Int8Array.from({ length: n }, (_, i) => i % 2);
    // Class 1 is shifted by +1 everywhere: separable by the mean.
    const x = Float32Array.from(
      { length: n * size },
      (_, j) => 0.3 * rng.normal() + labels[Math.floor(j / size)],
    );
    const split = memorySplit(x, labels, [...shape]);
    const base = namedConfig(system, [...shape], 2);
    const cfg = {
      ...base,
      training: { optimizer: 'adam' as const, learningRate: 0.01, batchSize: 16, epochs: 4 },
    };
    const model = buildModel(cfg, { seed: 1 });
    const fit = await fitModel(model, cfg, split, { seed: 1, innerValFraction: 0.25, patienceEpochs: 10 });
    assert.notEqual(fit.status, 'failed', fit.reason);
    assert.ok(
      evaluateModel(model, split).error.rate < 0.1,
      `${system} error ${evaluateModel(model, split).error.rate}`,
    );
  }
});
