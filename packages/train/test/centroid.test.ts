import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { featureSplitFromArrays, noNormalization } from '@corpus-tune/features';
import type { FeatureSplit } from '@corpus-tune/features';
import {
  bandPowerFeatures,
  colourTextureFeatures,
  fitNearestCentroid,
  predictNearestCentroid,
  readMetrics,
  trainCentroid,
} from '../src/index.ts';
import { writeFeatureArrow } from './helpers.ts';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden', 'centroid.json');

interface Golden {
  nearestCentroid: {
    numClasses: number;
    dim: number;
    train: { x: number[]; y: number[] };
    test: { x: number[]; y: number[] };
    scalerMean: number[];
    scalerScale: number[];
    centroids: number[];
    predictedTrain: number[];
    predictedTest: number[];
  };
  patchFeatures: { shape: number[]; pixels: number[]; features: number[][] };
}
const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;

const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string, tol = 1e-9): void => {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++)
    assert.ok(
      Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])),
      `${what}[${i}]: ${a[i]} vs ${b[i]}`,
    );
};

test('nearest centroid on standardised features matches scikit-learn (StandardScaler + NearestCentroid)', () => {
  const g = golden.nearestCentroid;
  const model = fitNearestCentroid(Float64Array.from(g.train.x), g.train.y, g.dim, g.numClasses);
  close(model.mean, g.scalerMean, 'scaler mean');
  close(model.std, g.scalerScale, 'scaler scale (a constant feature scales by 1)');
  close(model.centroids, g.centroids, 'centroids');
  assert.deepEqual(Array.from(predictNearestCentroid(model, Float64Array.from(g.train.x))), g.predictedTrain);
  assert.deepEqual(Array.from(predictNearestCentroid(model, Float64Array.from(g.test.x))), g.predictedTest);
});

test('patch features (mean R, G, B; mean absolute adjacent grey difference) match numpy', () => {
  const g = golden.patchFeatures;
  const n = g.features.length;
  const split = featureSplitFromArrays({
    path: '(golden)',
    sha256: 'golden',
    x: Uint8Array.from(g.pixels),
    labels: new Int8Array(n),
    shape: g.shape,
  });
  const f = colourTextureFeatures(split);
  assert.deepEqual(f.names, ['meanR', 'meanG', 'meanB', 'meanAbsAdjacentGreyDiff']);
  close(f.values, g.features.flat(), 'patch features');
});

/** A hand-built EEG split: 2 rows of [3 frames, 2 channels, 4 features], bands not first in the names. */
function eegSplit(featureNames: string[]): FeatureSplit {
  const frames = 3;
  const channels = 2;
  const k = featureNames.length;
  // value = 1000·row + 100·frame + 10·channel + feature index: every mean is known by hand.
  const x = new Float32Array(2 * frames * channels * k);
  for (let r = 0; r < 2; r++)
    for (let f = 0; f < frames; f++)
      for (let c = 0; c < channels; c++)
        for (let j = 0; j < k; j++)
          x[((r * frames + f) * channels + c) * k + j] = 1000 * r + 100 * f + 10 * c + j;
  const base = featureSplitFromArrays({
    path: '(eeg)',
    sha256: 'eeg',
    x,
    labels: Int8Array.from([0, 1]),
    shape: [frames, channels, k],
  });
  return { ...base, metadata: { ...base.metadata, featureNames, channels: ['FP1-F7', 'T3-T5'] } };
}

test('EEG band-power features: the bands are found by name, each the mean over frames per channel', () => {
  const f = bandPowerFeatures(eegSplit(['logEnergy', 'logPower_4-8Hz', 'deltaLogEnergy', 'logPower_1-4Hz']));
  assert.deepEqual(f.names, [
    'FP1-F7:logPower_4-8Hz',
    'FP1-F7:logPower_1-4Hz',
    'T3-T5:logPower_4-8Hz',
    'T3-T5:logPower_1-4Hz',
  ]);
  // Mean over frames 0, 1, 2 of 100·f is 100; feature indices 1 and 3; channel 1 adds 10.
  assert.deepEqual(Array.from(f.values), [101, 103, 111, 113, 1101, 1103, 1111, 1113]);
  assert.throws(
    () => bandPowerFeatures(eegSplit(['sample_0', 'sample_1', 'sample_2', 'sample_3'])),
    /\(eeg\).*no logPower_<lo>-<hi>Hz features/s,
  );
});

const root = mkdtempSync(join(tmpdir(), 'train-centroid-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('trainCentroid writes metrics.json (dev and eval error with intervals) that train’s reader reads', () => {
  // 1-frame, 1-channel EEG rows whose only band separates the classes except for one dev row.
  const rows: Record<string, number[]> = { train: [0, 0.2, 1, 1.2], dev: [0.1, 0.9, 0.8], eval: [0.05, 1.1] };
  const labels: Record<string, number[]> = { train: [0, 0, 1, 1], dev: [0, 1, 0], eval: [0, 1] };
  const dir = join(root, 'features');
  for (const split of ['train', 'dev', 'eval']) {
    const flat = Float32Array.from(rows[split].flatMap((v) => [v, 5]));
    writeFeatureArrow(join(dir, `${split}.arrow`), flat, Int8Array.from(labels[split]), {
      stage: 'features',
      codeVersion: 'test',
      seed: 1,
      params: {},
      inputs: {},
      corpus: 'tusz',
      split,
      shape: [1, 1, 2],
      dtype: 'float32',
      normalization: noNormalization({ groupedBy: 'feature', groupStride: 1, groupCount: 2 }),
      classNames: ['bckg', 'seiz'],
      channels: ['FP1-F7'],
      featureNames: ['logPower_1-4Hz', 'logEnergy'],
    });
  }
  const out = join(root, 'centroid');
  trainCentroid({ corpus: 'tusz', system: 'centroid', featuresDir: dir, outDir: out });
  const m = readMetrics(join(out, 'metrics.json'));
  assert.deepEqual([m.system, m.kind, m.origin], ['centroid', 'centroid', 'baseline']);
  assert.equal(m.errors.train?.rate, 0);
  assert.equal(m.errors.dev?.rate, 1 / 3, 'dev row 0.8 of class 0 is nearer the class-1 centroid');
  assert.equal(m.errors.eval?.rate, 0);
  assert.ok((m.errors.dev?.lower95 ?? 1) < 1 / 3 && (m.errors.dev?.upper95 ?? 0) > 1 / 3);
  assert.match(m.description ?? '', /nearest centroid on mean log band power/);
});
