import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { memoryLogger, readArrowFile, runMetadataOf, sha256File } from '@corpus-tune/core';
import { prepareFeatures, readFeatureSplit, openFeatureSplit } from '../src/index.ts';
import { tempDataRoot, writeImld, writeTudp, writeTusz } from './fixtures.ts';

async function producers(root: string, tuszBatchRows?: number): Promise<void> {
  writeTusz(root, { train: 6, dev: 3, eval: 3 }, tuszBatchRows);
  writeImld(root, 'ds08', 1);
  writeImld(root, 'ds09', 2);
  await writeTudp(root);
}

function featureFiles(root: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const corpus of readdirSync(join(root, 'features')).sort()) {
    for (const name of readdirSync(join(root, 'features', corpus)).sort())
      out[`${corpus}/${name}`] = readFileSync(join(root, 'features', corpus, name));
  }
  return out;
}

test('same inputs and seed give byte-identical outputs, whatever the input batching', async () => {
  const a = tempDataRoot();
  const b = tempDataRoot();
  await producers(a);
  await producers(b, 2); // same rows, tusz written in batches of 2
  await prepareFeatures({ dataRoot: a, seed: 7 });
  await prepareFeatures({ dataRoot: b, seed: 7 });
  const filesA = featureFiles(a);
  const filesB = featureFiles(b);
  assert.deepEqual(Object.keys(filesA).sort(), Object.keys(filesB).sort());
  for (const name of Object.keys(filesA)) {
    // tusz inputs differ in bytes (batching) so their recorded input hashes differ; everything else is identical.
    if (name.startsWith('tusz/')) continue;
    assert.ok(filesA[name].equals(filesB[name]), `${name} differs`);
  }
  for (const split of ['train', 'dev', 'eval']) {
    const x = readFeatureSplit(join(a, 'features', 'tusz', `${split}.arrow`));
    const y = readFeatureSplit(join(b, 'features', 'tusz', `${split}.arrow`));
    assert.ok(
      Buffer.from(x.x.buffer, x.x.byteOffset, x.x.byteLength).equals(
        Buffer.from(y.x.buffer, y.x.byteOffset, y.x.byteLength),
      ),
      `tusz ${split} x`,
    );
  }
  // Rerunning into a fresh copy of the same inputs reproduces every byte.
  const c = tempDataRoot();
  await producers(c);
  await prepareFeatures({ dataRoot: c, seed: 7 });
  const filesC = featureFiles(c);
  for (const name of Object.keys(filesA))
    assert.ok(filesA[name].equals(filesC[name]), `${name} not reproducible`);
});

test('outputs follow the contract: x, label, sourceRow and metadata with seed, params, input hashes and code version', async () => {
  const root = tempDataRoot();
  await producers(root);
  await prepareFeatures({ dataRoot: root, seed: 3 });
  const table = readArrowFile(join(root, 'features', 'tusz', 'dev.arrow'));
  assert.deepEqual(
    table.schema.fields.map((f) => [f.name, String(f.type)]),
    [
      ['x', 'FixedSizeList[14000]<Float32>'],
      ['label', 'Int8'],
      ['sourceRow', 'Int32'],
    ],
  );
  const meta = runMetadataOf(table);
  assert.equal(meta.stage, 'features');
  assert.equal(meta.seed, 3);
  assert.equal(meta.split, 'dev');
  assert.deepEqual(meta.shape, [100, 20, 7]);
  assert.equal(meta.dtype, 'float32');
  assert.match(meta.codeVersion, /^@corpus-tune\/features@0\.1\.0\+[0-9a-f]{12}$/);
  assert.deepEqual(meta.inputs, {
    'tusz-segments/train.arrow': sha256File(join(root, 'tusz-segments', 'train.arrow')),
    'tusz-segments/dev.arrow': sha256File(join(root, 'tusz-segments', 'dev.arrow')),
    'tusz-segments/eval.arrow': sha256File(join(root, 'tusz-segments', 'eval.arrow')),
  });
  const eeg = (meta.params as { eeg: Record<string, unknown> }).eeg;
  assert.equal(eeg.kind, 'spectral');
  assert.equal(eeg.taper, 'hamming');
  assert.equal(eeg.fftSize, 16);
  assert.deepEqual(meta.classNames, ['bckg', 'seiz']);
  assert.ok(!JSON.stringify(meta).includes(root), 'no absolute paths in metadata');
  const split = readFeatureSplit(join(root, 'features', 'tusz', 'dev.arrow'));
  assert.deepEqual([...split.sourceRow], [0, 1, 2]);
  assert.deepEqual([...split.labels], [0, 1, 0]);

  const patches = readFeatureSplit(join(root, 'features', 'tudp', 'train.arrow'));
  assert.equal(patches.dtype, 'uint8');
  assert.ok(patches.x instanceof Uint8Array);
  assert.deepEqual(patches.shape, [128, 128, 3]);
  assert.equal(patches.normalization.method, 'standard');
  assert.equal(patches.normalization.applied, false);
  const synthetic = readFeatureSplit(join(root, 'features', 'ds08', 'eval.arrow'));
  assert.deepEqual(synthetic.shape, [2]);
  assert.equal(synthetic.n, 50);
});

test('streamed output: record batches stay bounded and the header is readable before the rows', async () => {
  const root = tempDataRoot();
  writeTusz(root, { train: 40, dev: 3, eval: 3 }, 7);
  await prepareFeatures({ dataRoot: root, corpora: ['tusz'], eeg: { kind: 'raw' } });
  const split = await openFeatureSplit(join(root, 'features', 'tusz', 'train.arrow'));
  assert.deepEqual(split.shape, [100, 20, 15]);
  const sizes: number[] = [];
  const rows: number[] = [];
  for await (const chunk of split.chunks()) {
    sizes.push(chunk.label.length);
    rows.push(...chunk.sourceRow);
  }
  assert.ok(sizes.length > 1, `${sizes.length} record batches`);
  assert.ok(Math.max(...sizes) <= 7, 'no batch larger than an input batch');
  assert.deepEqual(
    rows,
    Array.from({ length: 40 }, (_, i) => i),
  );
});

test('per-corpus cache: unchanged corpora are skipped, a changed corpus alone is redone', async () => {
  const root = tempDataRoot();
  await producers(root);
  const first = await prepareFeatures({ dataRoot: root });
  assert.deepEqual(
    first.map((r) => [r.corpus, r.status]),
    [
      ['ds08', 'written'],
      ['ds09', 'written'],
      ['ds10', 'skipped'],
      ['tudp', 'written'],
      ['tusz', 'written'],
    ],
  );
  const mtime = (corpus: string) => statSync(join(root, 'features', corpus, 'train.arrow')).mtimeMs;
  const before = { ds08: mtime('ds08'), tusz: mtime('tusz') };
  const second = await prepareFeatures({ dataRoot: root });
  assert.deepEqual(
    second.map((r) => r.status),
    ['unchanged', 'unchanged', 'skipped', 'unchanged', 'unchanged'],
  );
  writeImld(root, 'ds09', 99); // new ds09 inputs
  const logger = memoryLogger();
  const third = await prepareFeatures({ dataRoot: root, logger });
  assert.deepEqual(
    third.map((r) => r.status),
    ['unchanged', 'written', 'skipped', 'unchanged', 'unchanged'],
  );
  assert.equal(third[1].reason, 'inputs changed');
  assert.equal(mtime('ds08'), before.ds08);
  assert.equal(mtime('tusz'), before.tusz);
  assert.ok(
    logger.lines.some((l) => /ds10: skipped: no producer output imld-gen\/ds10\/train.arrow/.test(l)),
    logger.lines.join('\n'),
  );
  // Params changes redo only the corpus they belong to.
  const fourth = await prepareFeatures({ dataRoot: root, eeg: { taper: 'none' } });
  assert.deepEqual(
    fourth.map((r) => r.status),
    ['unchanged', 'unchanged', 'skipped', 'unchanged', 'written'],
  );
  assert.equal(fourth[4].reason, 'params changed');
  const manifest = JSON.parse(readFileSync(join(root, 'features', 'tusz', 'manifest.json'), 'utf8')) as {
    inputs: Record<string, string>;
  };
  assert.equal(
    manifest.inputs['tusz-segments/train.arrow'],
    sha256File(join(root, 'tusz-segments', 'train.arrow')),
  );
});

test('with no producer output at all, every corpus is skipped with its reason', async () => {
  const root = tempDataRoot();
  const logger = memoryLogger();
  const reports = await prepareFeatures({ dataRoot: root, logger });
  assert.deepEqual(
    reports.map((r) => r.status),
    ['skipped', 'skipped', 'skipped', 'skipped', 'skipped'],
  );
  assert.equal(logger.lines.length, 5);
  assert.match(logger.lines[4], /features tusz: skipped: no producer output tusz-segments\/train.arrow/);
});
