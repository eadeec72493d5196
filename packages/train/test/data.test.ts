// The splits train reads go through the producers' readers: features' readFeatureSplit for features
// files, imld-gen's reader for point files. Files here are written by the producers' own writers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, makeVector } from 'apache-arrow';
import { silentLogger, withMetadata, writeArrowFile } from '@corpus-tune/core';
import { readFeatureSplit } from '@corpus-tune/features';
import { writePointsArrow } from '@corpus-tune/imld-gen';
import { loadTrainingSplit, pointSplitOf, readSurface, surfaceGrid, writeSurface } from '../src/index.ts';
import { memorySplit } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'train-data-'));
const meta = { stage: 'imld-gen', codeVersion: 'test', seed: 3, params: {}, inputs: {}, split: 'dev' };

test('an imld-gen point file becomes a 2-feature split: rows [x, y], its labels, hash and metadata', () => {
  const path = join(dir, 'ds09', 'dev.arrow');
  const x = Float32Array.from([0.5, -1.25, 3]);
  const y = Float32Array.from([2, 0.75, -0.5]);
  const label = Int8Array.from([1, 0, 1]);
  writePointsArrow(path, { x, y, label, classNames: ['a', 'b'] }, { ...meta, bayesError: { rate: 0.1 } });
  const split = loadTrainingSplit(path);
  assert.deepEqual([...split.x], [0.5, 2, -1.25, 0.75, 3, -0.5]);
  assert.deepEqual([split.n, split.size, split.dtype, ...split.shape], [3, 2, 'float32', 2]);
  assert.deepEqual([...split.labels], [1, 0, 1]);
  assert.deepEqual(split.classNames, ['a', 'b']);
  assert.equal(split.sha256, createHash('sha256').update(readFileSync(path)).digest('hex'));
  assert.deepEqual(split.metadata.bayesError, { rate: 0.1 }, 'imld-gen provenance kept (exact Bayes error)');
  assert.equal(split.metadata.corpus, 'ds09');
  assert.equal(split.normalization.applied, false);
  const points = pointSplitOf(split);
  assert.deepEqual([...points.points], [0.5, 2, -1.25, 0.75, 3, -0.5]);
});

test('an imld-gen file whose labels exceed its classNames is an InputError naming the file', () => {
  const path = join(dir, 'bad', 'train.arrow');
  writePointsArrow(
    path,
    { x: new Float32Array(2), y: new Float32Array(2), label: Int8Array.from([0, 2]), classNames: ['a', 'b'] },
    meta,
  );
  assert.throws(
    () => loadTrainingSplit(path),
    (e: Error) => e.message === `${path}: label code 2 but only 2 classNames`,
  );
});

test('the baselines refuse rows that are not 2-D points, naming the file', () => {
  const split = memorySplit(new Float32Array(6), new Int8Array(2), [3]);
  assert.throws(() => pointSplitOf(split), /point baselines need 2 features per row, x lists hold 3/);
});

test('surface.arrow round trip: readSurface gives back the grid and the cells writeSurface wrote', () => {
  const { grid, points } = surfaceGrid([Float32Array.from([0, 0, 1, 2])], 4);
  assert.deepEqual(grid, { nx: 4, ny: 4, xMin: -0.05, xMax: 1.05, yMin: -0.1, yMax: 2.1 });
  const predicted = Int8Array.from({ length: 16 }, (_, k) => (points[2 * k + 1] > points[2 * k] ? 1 : 0));
  const probMax = Float32Array.from({ length: 16 }, (_, k) => 0.5 + k / 40);
  const path = join(dir, 'surface.arrow');
  writeSurface(path, grid, points, predicted, probMax, {
    stage: 'train',
    codeVersion: 't',
    params: {},
    inputs: {},
  });
  const back = readSurface(path);
  assert.deepEqual(back.grid, grid);
  assert.deepEqual([...back.predicted], [...predicted]);
  assert.deepEqual([...back.probMax], [...probMax]);
  // Row j·nx + i is the centre of cell (i, j): the bottom-left cell is class 1 only above the diagonal.
  assert.deepEqual([...back.predicted.subarray(0, 4)], [1, 0, 0, 0]);
});

test('readSurface: a file without grid metadata or with the wrong row count is an InputError naming it', () => {
  const { grid, points } = surfaceGrid([Float32Array.from([0, 0, 1, 1])], 3);
  const table = { stage: 'train', codeVersion: 't', params: {}, inputs: {} };
  const short = join(dir, 'short.arrow');
  writeSurface(short, grid, points.subarray(0, 8), new Int8Array(4), new Float32Array(4), table);
  assert.throws(
    () => readSurface(short),
    (e: Error) => e.message === `${short}: 4 rows for a 3×3 grid`,
  );
  const noGrid = join(dir, 'no-grid.arrow');
  const columns = { predicted: makeVector(new Int8Array(9)), probMax: makeVector(new Float32Array(9)) };
  writeArrowFile(noGrid, withMetadata(new Table(columns), table));
  assert.throws(
    () => readSurface(noGrid),
    /no-grid\.arrow: metadata "grid" must hold nx, ny, xMin, xMax, yMin, yMax, got undefined/,
  );
  const flat = join(dir, 'flat.arrow');
  writeSurface(flat, { ...grid, yMax: grid.yMin }, points, new Int8Array(9), new Float32Array(9), table);
  assert.throws(() => readSurface(flat), /degenerate surface grid/);
});

test('a features file reads the same through train as through features', async () => {
  const { prepareFeatures } = await import('@corpus-tune/features');
  const root = mkdtempSync(join(tmpdir(), 'train-data-features-'));
  for (const s of ['train', 'dev', 'eval'] as const) {
    const n = 6;
    writePointsArrow(
      join(root, 'imld-gen', 'ds08', `${s}.arrow`),
      {
        x: Float32Array.from({ length: n }, (_, i) => i),
        y: Float32Array.from({ length: n }, (_, i) => -i),
        label: Int8Array.from({ length: n }, (_, i) => i % 2),
        classNames: ['0', '1'],
      },
      { ...meta, split: s },
    );
  }
  await prepareFeatures({ dataRoot: root, corpora: ['ds08'], logger: silentLogger });
  const path = join(root, 'features', 'ds08', 'dev.arrow');
  const viaTrain = loadTrainingSplit(path);
  assert.deepEqual(viaTrain, readFeatureSplit(path));
  assert.equal(viaTrain.metadata.stage, 'features');
});
