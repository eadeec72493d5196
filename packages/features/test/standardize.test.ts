import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  applyNormalization,
  createEegExtractor,
  createStatsAccumulator,
  prepareFeatures,
  readFeatureSplit,
  resolveEegOptions,
} from '../src/index.ts';
import { CHANNELS, SAMPLES, randomSegments, tempDataRoot, writeImld, writeTusz } from './fixtures.ts';

test('the accumulator gives the population mean and std of each group', () => {
  // Rows of length 6 = 3 groups of stride 2.
  const rows = [
    [1, 2, 10, 20, 100, 200],
    [3, 4, 30, 40, 300, 400],
  ];
  const acc = createStatsAccumulator({ groupedBy: 'g', groupStride: 2, groupCount: 3 });
  acc.add(Float32Array.from(rows.flat()), 0, 6, 2);
  const n = acc.finish(true);
  assert.deepEqual(n.mean, [2.5, 25, 250]);
  const std = (xs: number[]) =>
    Math.sqrt(xs.reduce((s, x) => s + (x - xs.reduce((a, b) => a + b) / xs.length) ** 2, 0) / xs.length);
  assert.deepEqual(n.std, [std([1, 2, 3, 4]), std([10, 20, 30, 40]), std([100, 200, 300, 400])]);
  assert.deepEqual(n.count, [4, 4, 4]);
  const values = Float32Array.from(rows.flat());
  applyNormalization(values, 6, 2, n);
  assert.ok(Math.abs(values[0] - (1 - 2.5) / n.std[0]) < 1e-6);
});

test('EEG standardisation is fitted on train only: dev/eval statistics do not leak into it', async () => {
  const root = tempDataRoot();
  writeTusz(root); // train N(c, 1+c/10); dev offset +50, ×3; eval offset −50, ×0.5
  await prepareFeatures({ dataRoot: root, corpora: ['tusz'], eeg: { kind: 'raw', taper: 'none' } });
  const train = readFeatureSplit(join(root, 'features', 'tusz', 'train.arrow'));
  const dev = readFeatureSplit(join(root, 'features', 'tusz', 'dev.arrow'));
  const evalSplit = readFeatureSplit(join(root, 'features', 'tusz', 'eval.arrow'));
  assert.deepEqual(dev.normalization, train.normalization);
  assert.deepEqual(evalSplit.normalization, train.normalization);
  assert.equal(train.normalization.groupedBy, 'channel');
  assert.equal(train.normalization.fittedOn, 'train');

  // Independent truth: the statistics of the unnormalised train features, computed here.
  const extractor = createEegExtractor(
    CHANNELS.length,
    SAMPLES,
    50,
    resolveEegOptions({ kind: 'raw', taper: 'none', normalization: 'none' }),
  );
  const rawOf = (seed: number, offset: number, scale: number, rows: number) => {
    const { samples } = randomSegments(rows, seed, offset, scale);
    const out = new Float32Array(rows * extractor.rowLength);
    for (let r = 0; r < rows; r++)
      extractor.extract(samples, r * CHANNELS.length * SAMPLES, out, r * extractor.rowLength);
    return out;
  };
  const trainRaw = rawOf(1, 0, 1, 6);
  const devRaw = rawOf(2, 50, 3, 3);
  for (let c = 0; c < CHANNELS.length; c++) {
    let sum = 0;
    let sumSq = 0;
    let n = 0;
    for (let r = 0; r < 6; r++) {
      for (let f = 0; f < 100; f++) {
        for (let k = 0; k < 15; k++) {
          const v = trainRaw[r * extractor.rowLength + (f * CHANNELS.length + c) * 15 + k];
          sum += v;
          sumSq += v * v;
          n++;
        }
      }
    }
    const mean = sum / n;
    const std = Math.sqrt(sumSq / n - mean * mean);
    assert.ok(
      Math.abs(train.normalization.mean[c] - mean) < 1e-6 * Math.max(1, Math.abs(mean)),
      `mean of channel ${c}`,
    );
    assert.ok(Math.abs(train.normalization.std[c] - std) < 1e-6 * std, `std of channel ${c}`);
  }
  // Dev was shifted by +50: standardised with train statistics it stays far from zero mean.
  let devMean = 0;
  for (let i = 0; i < dev.x.length; i++) devMean += dev.x[i];
  devMean /= dev.x.length;
  assert.ok(devMean > 10, `dev mean after train-fitted standardisation is ${devMean}`);
  // And each dev value is exactly (raw − train mean) / train std.
  const i = 12345;
  const c = Math.floor((i % (CHANNELS.length * 15)) / 15);
  assert.ok(
    Math.abs(dev.x[i] - (devRaw[i] - train.normalization.mean[c]) / train.normalization.std[c]) < 1e-4,
  );
  let trainMean = 0;
  for (let k = 0; k < train.x.length; k++) trainMean += train.x[k];
  assert.ok(Math.abs(trainMean / train.x.length) < 1e-4, 'train is centred by its own statistics');
});

test('synthetic standardisation (optional) uses train statistics; the default is a pass-through', async () => {
  const root = tempDataRoot();
  writeImld(root, 'ds10', 4);
  await prepareFeatures({ dataRoot: root, corpora: ['ds10'] });
  const passTrain = readFeatureSplit(join(root, 'features', 'ds10', 'train.arrow'));
  assert.equal(passTrain.normalization.method, 'none');
  const passDev = readFeatureSplit(join(root, 'features', 'ds10', 'dev.arrow'));
  await prepareFeatures({ dataRoot: root, corpora: ['ds10'], synthetic: { normalization: 'standard' } });
  const train = readFeatureSplit(join(root, 'features', 'ds10', 'train.arrow'));
  const dev = readFeatureSplit(join(root, 'features', 'ds10', 'dev.arrow'));
  const { mean, std } = train.normalization;
  for (let d = 0; d < 2; d++) {
    const xs = Array.from({ length: passTrain.n }, (_, r) => passTrain.x[2 * r + d]);
    const m = xs.reduce((a, b) => a + b) / xs.length;
    const s = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
    assert.ok(Math.abs(mean[d] - m) < 1e-9 * Math.max(1, Math.abs(m)) + 1e-9);
    assert.ok(Math.abs(std[d] - s) < 1e-9 * s + 1e-9);
    assert.ok(Math.abs(dev.x[d] - (passDev.x[d] - m) / s) < 1e-5);
  }
  assert.deepEqual(dev.normalization, train.normalization);
});
