import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import {
  applyAugmentation,
  drawAugmentation,
  featureSplitFromArrays,
  DEFAULT_AUGMENT_OPTIONS,
} from '@corpus-tune/features';
import type { Normalization } from '@corpus-tune/features';
import { epochData } from '../src/batches.ts';
import { augmentationRng } from '../src/augmentation.ts';
import { buildModel, fitModel, namedConfig, trainSystem } from '../src/index.ts';
import type { Metrics } from '../src/index.ts';
import { memorySplit, useBackend, writeFeatureArrow } from './helpers.ts';

before(() => useBackend('wasm'));

const H = 40;
const W = 40;
const SIZE = H * W * 3;
const MEAN = [150, 100, 170];
const STD = [40, 35, 30];

/** Random RGB patches whose left half is brighter, so crops and flips change the pixels a lot. */
function patchPixels(n: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const x = new Uint8Array(n * SIZE);
  for (let i = 0; i < x.length; i++) {
    const col = Math.floor(i / 3) % W;
    x[i] = Math.min(255, Math.floor(rng.float() * 128) + (col < W / 2 ? 120 : 0));
  }
  return x;
}

const pendingNormalization: Normalization = {
  method: 'standard',
  fittedOn: 'train',
  groupedBy: 'channel',
  groupStride: 1,
  groupCount: 3,
  count: [1, 1, 1],
  mean: MEAN,
  std: STD,
  applied: false,
};

function patchSplit(n: number, seed: number) {
  const metadata: RunMetadata = {
    stage: 'features',
    codeVersion: 'test',
    params: {},
    inputs: {},
    normalization: pendingNormalization,
  };
  const labels = Int8Array.from({ length: n }, (_, i) => i % 2);
  return { x: patchPixels(n, seed), shape: [H, W, 3], size: SIZE, labels, metadata };
}

/** What the loader must produce for one row: preview's code path, then (v − mean) / std by hand. */
function expectedRow(pixels: Uint8Array, seed: number, epoch: number, row: number): Float32Array {
  const draw = drawAugmentation(augmentationRng(seed, epoch, row), DEFAULT_AUGMENT_OPTIONS);
  const out = applyAugmentation(
    pixels.subarray(row * SIZE, (row + 1) * SIZE),
    { heightPx: H, widthPx: W, channels: 3 },
    draw,
  );
  for (let i = 0; i < out.length; i++) out[i] = (out[i] - MEAN[i % 3]) / STD[i % 3];
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const batchValues = (data: ReturnType<typeof epochData>, order: Int32Array, epoch: number): Float32Array => {
  const batches = data.epoch(order, epoch);
  const { x, y } = batches.slice(0, order.length);
  const values = x.dataSync() as Float32Array;
  tf.dispose([x, y]);
  batches.dispose();
  return values;
};

test('augmented batches: each row is preview’s applyAugmentation of its (seed, epoch, row) draw, normalised', () => {
  const split = patchSplit(6, 3);
  const fitRows = Int32Array.from([5, 1, 3]);
  const order = Int32Array.from([2, 0, 1]); // rows 3, 5, 1
  const augmentation = { options: DEFAULT_AUGMENT_OPTIONS, seed: 7, stream: '' };
  const data = epochData(split, fitRows, 2, Infinity, augmentation);
  const values = batchValues(data, order, 4);
  [3, 5, 1].forEach((row, r) => {
    const got = values.subarray(r * SIZE, (r + 1) * SIZE);
    assert.ok(maxAbsDiff(got, expectedRow(split.x, 7, 4, row)) < 1e-5, `row ${row}`);
  });
});

test('with a fixed seed two epochs see different crops of a patch; without augmentation identical ones', () => {
  const split = patchSplit(4, 5);
  const fitRows = Int32Array.from([0, 1, 2, 3]);
  const order = Int32Array.from([0, 1, 2, 3]);
  const augmentation = { options: DEFAULT_AUGMENT_OPTIONS, seed: 11, stream: '' };
  const augmented = epochData(split, fitRows, 2, Infinity, augmentation);
  const e1 = batchValues(augmented, order, 1);
  const e2 = batchValues(augmented, order, 2);
  const again = batchValues(epochData(split, fitRows, 2, Infinity, augmentation), order, 1);
  assert.deepEqual(again, e1, 'same seed and epoch ⇒ the same augmented batch');
  for (let r = 0; r < 4; r++) {
    const a = e1.subarray(r * SIZE, (r + 1) * SIZE);
    const b = e2.subarray(r * SIZE, (r + 1) * SIZE);
    assert.ok(maxAbsDiff(a, b) > 0.5, `row ${r}: epochs 1 and 2 differ`);
  }
  for (const resident of [Infinity, 0]) {
    const plain = epochData(split, fitRows, 2, resident, null);
    const p1 = batchValues(plain, order, 1);
    const p2 = batchValues(plain, order, 2);
    assert.deepEqual(p1, p2, 'no augmentation ⇒ every epoch sees the same pixels');
    // …and those are the stored pixels, normalised only.
    const stored = Float32Array.from(split.x, (v, i) => (v - MEAN[i % 3]) / STD[i % 3]);
    assert.ok(maxAbsDiff(p1, stored) < 1e-5);
    plain.dispose();
  }
});

test('fitModel augments patch splits by default, not with augment null, never non-patch splits', async () => {
  const s = patchSplit(24, 9);
  const base = featureSplitFromArrays({
    path: '(memory)',
    sha256: 'p',
    x: s.x,
    labels: s.labels,
    shape: s.shape,
  });
  const split = { ...base, metadata: { ...base.metadata, normalization: pendingNormalization } };
  const config = {
    ...namedConfig('cnn-m', [H, W, 3], 2),
    training: { optimizer: 'sgd' as const, learningRate: 0.001, batchSize: 8, epochs: 1 },
  };
  const on = await fitModel(buildModel(config, { seed: 1 }), config, split, { seed: 3 });
  assert.deepEqual(on.augmentation?.options, DEFAULT_AUGMENT_OPTIONS);
  assert.equal(on.augmentation?.seed, 3);
  const off = await fitModel(buildModel(config, { seed: 1 }), config, split, { seed: 3, augment: null });
  assert.equal(off.augmentation, null);
  const points = memorySplit(
    Float32Array.from({ length: 40 }, (_, i) => i % 7),
    new Int8Array(20),
    [2],
  );
  const mlp = { ...namedConfig('mlp-m1', [2], 2), training: { ...config.training, batchSize: 4 } };
  const flat = await fitModel(buildModel(mlp, { seed: 1 }), mlp, points, { seed: 3 });
  assert.equal(flat.augmentation, null);
});

let root = '';
before(() => {
  root = mkdtempSync(join(tmpdir(), 'train-augment-'));
  const dir = join(root, 'features');
  mkdirSync(dir, { recursive: true });
  for (const [split, n, seed] of [
    ['train', 24, 1],
    ['dev', 8, 2],
    ['eval', 8, 3],
  ] as const) {
    const labels = Int8Array.from({ length: n }, (_, i) => i % 2);
    writeFeatureArrow(join(dir, `${split}.arrow`), patchPixels(n, seed), labels, {
      stage: 'features',
      codeVersion: 'test',
      seed: 1,
      params: {},
      inputs: {},
      corpus: 'tudp',
      split,
      shape: [H, W, 3],
      dtype: 'uint8',
      normalization: pendingNormalization,
      classNames: ['dcis', 'indc'],
    });
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

test('metrics.json records the augmentation setting: on (options, seed) by default, off with augment null', async () => {
  const run = async (name: string, augment?: null): Promise<Metrics> => {
    await trainSystem({
      corpus: 'tudp',
      system: 'cnn-m',
      featuresDir: join(root, 'features'),
      outDir: join(root, name),
      backend: 'wasm',
      epochs: 1,
      seed: 5,
      ...(augment === null ? { augment } : {}),
    });
    return JSON.parse(readFileSync(join(root, name, 'metrics.json'), 'utf8')) as Metrics;
  };
  const on = await run('on');
  assert.equal(on.augmentation?.on, true);
  assert.ok(on.augmentation?.on && on.augmentation.seed === 5);
  assert.deepEqual(on.augmentation?.on && on.augmentation.options, { ...DEFAULT_AUGMENT_OPTIONS });
  const off = await run('off', null);
  assert.deepEqual(off.augmentation, { on: false, reason: 'turned off (--no-augment)' });
  assert.notDeepEqual(on.learningCurve, off.learningCurve, 'the augmented run trained on other pixels');
});

test('`train run --no-augment` records augmentation off; without it, on', () => {
  const bin = join(import.meta.dirname, '..', 'bin', 'train.js');
  const run = (name: string, extra: string[]): Metrics => {
    const args = ['run', '--corpus', 'tudp', '--system', 'cnn-m', '--epochs', '1', '--backend', 'wasm'];
    const r = spawnSync(
      process.execPath,
      [bin, ...args, '--features', join(root, 'features'), '--out', join(root, name), '--quiet', ...extra],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(readFileSync(join(root, name, 'cnn-m', 'metrics.json'), 'utf8')) as Metrics;
  };
  assert.equal(run('cli-on', []).augmentation?.on, true);
  assert.deepEqual(run('cli-off', ['--no-augment']).augmentation, {
    on: false,
    reason: 'turned off (--no-augment)',
  });
});
