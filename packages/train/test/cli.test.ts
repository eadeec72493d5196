import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Float32, FixedSizeList, Field, Int32, Int8, Table, makeVector, makeData } from 'apache-arrow';
import { createRng, readArrowFile, withMetadata, writeArrowFile } from '@corpus-tune/core';
import { noNormalization } from '@corpus-tune/features';
import { writePointsArrow } from '@corpus-tune/imld-gen';
import { readBayes, readMetrics } from '../src/index.ts';
import type { Metrics } from '../src/index.ts';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'train.js');
let root = '';

function blobs(n: number, seed: number): { x: Float32Array; y: Float32Array; label: Int8Array } {
  const rng = createRng(seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const label = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    label[i] = i % 2;
    x[i] = (label[i] ? 1.5 : -1.5) + 0.5 * rng.normal();
    y[i] = 0.5 * rng.normal();
  }
  return { x, y, label };
}

const meta = (split: string) => ({
  stage: 'test',
  codeVersion: 'test',
  seed: 1,
  params: {},
  inputs: {},
  classNames: ['a', 'b'],
  split,
});

/** The features contract's metadata (docs/conventions.md) for 2-feature rows, nothing normalised. */
const featureMeta = (split: string) => ({
  ...meta(split),
  stage: 'features',
  corpus: 'blobs',
  shape: [2],
  dtype: 'float32',
  normalization: noNormalization({ groupedBy: 'feature', groupStride: 1, groupCount: 2 }),
});

function writeImldSplit(dir: string, split: string, n: number, seed: number): void {
  const { x, y, label } = blobs(n, seed);
  writePointsArrow(
    join(dir, `${split}.arrow`),
    { x, y, label, classNames: ['a', 'b'] },
    {
      ...meta(split),
      stage: 'imld-gen',
      bayesError: { rate: 0.0013, lower95: 0.001, upper95: 0.002, draws: 1000 },
    },
  );
}

function writeFeatureSplit(dir: string, split: string, n: number, seed: number): void {
  const { x, y, label } = blobs(n, seed);
  const flat = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    flat[2 * i] = x[i];
    flat[2 * i + 1] = y[i];
  }
  const child = makeData({ type: new Float32(), length: 2 * n, data: flat });
  const listType = new FixedSizeList(2, new Field('item', new Float32(), false));
  const xs = makeVector(makeData({ type: listType, length: n, nullCount: 0, child }));
  const table = new Table({
    x: xs,
    label: makeVector({ type: new Int8(), data: label }),
    sourceRow: makeVector({ type: new Int32(), data: Int32Array.from({ length: n }, (_, i) => i) }),
  });
  writeArrowFile(join(dir, `${split}.arrow`), withMetadata(table, featureMeta(split)));
}

function train(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'train-cli-'));
  for (const [split, n, seed] of [
    ['train', 400, 1],
    ['dev', 100, 2],
    ['eval', 100, 3],
  ] as const) {
    writeImldSplit(join(root, 'imld'), split, n, seed);
    writeFeatureSplit(join(root, 'data', 'features', 'ds10'), split, n, seed);
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

test('baselines --data DIR --json prints percent error rates in the documented shape', () => {
  const r = train(['baselines', '--data', join(root, 'imld'), '--json', '--trees', '10']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(out), ['knn', 'rf', 'bayes']);
  assert.deepEqual(Object.keys(out.knn), ['k', 'train', 'dev', 'eval']);
  assert.deepEqual(Object.keys(out.rf), ['trees', 'train', 'dev', 'eval']);
  assert.equal(out.rf.trees, 10);
  assert.deepEqual(out.bayes.generator, { train: 0.13, dev: 0.13, eval: 0.13 });
  // Blobs 3σ apart: both baselines are nearly perfect (Bayes error 0.13 %), in percent not fractions.
  assert.ok((out.knn.dev as number) < 5 && (out.rf.eval as number) < 5, r.stdout);
  assert.match(r.stderr, /train baselines: KNN k=\d+/);
});

test('run trains MLP-M1 and writes metrics.json, predictions.arrow, surface.arrow and model/', () => {
  const out = join(root, 'out');
  const r = train([
    'run',
    '--corpus',
    'ds10',
    '--system',
    'mlp-m1',
    '--epochs',
    '2',
    '--backend',
    'wasm',
    '--features',
    join(root, 'data', 'features', 'ds10'),
    '--out',
    out,
    '--quiet',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /backend wasm/);
  assert.match(r.stderr, /train run: ds10\/mlp-m1 on wasm/);
  const dir = join(out, 'mlp-m1');
  const m = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as Metrics;
  assert.equal(m.label, 'MLP-M1');
  assert.equal(m.parameterCount, 2 * 64 + 64 + 64 * 32 + 32 + 32 * 16 + 16 + 16 * 2 + 2);
  assert.deepEqual(m.classNames, ['a', 'b']);
  assert.equal(m.learningCurve.length, 2);
  assert.ok(
    m.errors &&
      m.errors.dev.rate < 0.1 &&
      m.errors.dev.lower95 <= m.errors.dev.rate &&
      m.errors.dev.upper95 >= m.errors.dev.rate,
  );
  assert.equal(m.data.train + m.data.dev + m.data.eval, 600);
  assert.equal(m.data.inputs['train.arrow'].length, 64);
  // train's reader of metrics.json (the report's) gives back what the writer wrote.
  const read = readMetrics(join(dir, 'metrics.json'));
  assert.deepEqual(read.errors, m.errors);
  assert.deepEqual(read.confusion, m.confusion);
  assert.deepEqual(
    read.learningCurve,
    m.learningCurve.map(({ epoch, loss, innerValLoss, innerValError }) => ({
      epoch,
      loss,
      innerValLoss,
      innerValError,
    })),
  );
  assert.deepEqual(
    [read.system, read.label, read.kind, read.origin, read.parameterCount],
    ['mlp-m1', 'MLP-M1', 'mlp', 'manual', m.parameterCount],
  );
  const predictions = readArrowFile(join(dir, 'predictions.arrow'));
  assert.equal(predictions.numRows, 600);
  assert.deepEqual(
    predictions.schema.fields.map((f) => f.name),
    ['split', 'row', 'label', 'predicted', 'prob'],
  );
  const surface = readArrowFile(join(dir, 'surface.arrow'));
  assert.equal(surface.numRows, 100 * 100);
  assert.ok(existsSync(join(dir, 'model', 'model.json')) && existsSync(join(dir, 'model', 'weights.bin')));
  assert.ok(!existsSync(join(dir, 'checkpoint')), 'checkpoint removed after a completed run');
});

test('all skips corpora without features (logged) and trains the rest; a second run is a no-op', () => {
  const env = { CORPUS_TUNE_DATA: join(root, 'data') };
  const r = train(['all', '--demo', '--corpus', 'tusz'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /skip tusz: features missing/);
  const again = train(['all', '--demo', '--corpus', 'ds10', '--systems', 'mlp-a2,knn', '--jobs', '2'], env);
  assert.equal(again.status, 0, again.stderr);
  for (const s of ['mlp-a2', 'knn', 'rf'])
    assert.ok(existsSync(join(root, 'data', 'train', 'ds10', s, 'metrics.json')), s);
  const bayesPath = join(root, 'data', 'train', 'ds10', 'bayes.json');
  const written = JSON.parse(readFileSync(bayesPath, 'utf8')) as Record<
    string,
    Record<string, number> | null
  >;
  const asRates = (v: Record<string, number> | null) =>
    v && Object.fromEntries(Object.entries(v).map(([s, rate]) => [s, { rate }]));
  assert.deepEqual(readBayes(bayesPath), {
    generator: written.generator,
    closedLoop: asRates(written.closedLoop),
    coverHartLower: asRates(written.coverHartLower),
  });
  writeFileSync(join(root, 'broken.json'), '{"corpus": ');
  assert.throws(
    () => readMetrics(join(root, 'broken.json')),
    /broken\.json: metrics\.json is not valid JSON/,
  );
  const third = train(['all', '--demo', '--corpus', 'ds10', '--systems', 'mlp-a2,knn'], env);
  assert.match(third.stderr, /skip ds10: up to date/);
});

test('bad input: missing split names the file; unknown system lists the known ones', () => {
  mkdirSync(join(root, 'empty'), { recursive: true });
  writeFileSync(join(root, 'empty', 'train.arrow'), 'not arrow');
  const r = train(['baselines', '--data', join(root, 'empty'), '--json']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /train: error: .*empty\/dev\.arrow: missing split file/);
  const s = train(['run', '--corpus', 'ds10', '--system', 'nope']);
  assert.equal(s.status, 1);
  assert.match(s.stderr, /unknown system "nope" \(known: mlp-m1/);
});
