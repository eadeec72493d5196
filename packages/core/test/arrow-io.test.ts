import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Field,
  FixedSizeList,
  Float32,
  Int8,
  RecordBatch,
  Schema,
  makeData,
  makeTable,
  Struct,
} from 'apache-arrow';
import {
  readArrowFile,
  readRunMetadata,
  withMetadata,
  writeArrowBatches,
  writeArrowFile,
  writeFileAtomic,
  InputError,
} from '../src/index.ts';

const meta = { stage: 'test', codeVersion: 'x@0+abc', seed: 1, params: { a: 1 }, inputs: {} };

test('a table round-trips through an Arrow file with its metadata', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ct-arrow-'));
  const table = withMetadata(
    makeTable({ x: new Float32Array([1, 2, 3]), label: new Int8Array([0, 1, 0]) }),
    meta,
  );
  const path = join(dir, 'a.arrow');
  writeArrowFile(path, table);
  const back = readArrowFile(path);
  assert.deepEqual([...back.getChild('x')!.toArray()], [1, 2, 3]);
  assert.deepEqual([...back.getChild('label')!.toArray()], [0, 1, 0]);
  assert.deepEqual(readRunMetadata(path), meta);
  assert.deepEqual(readdirSync(dir), ['a.arrow'], 'no temp files left behind');
});

test('streamed batches of fixed-size lists are written and read back exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ct-arrow-'));
  const width = 6;
  const listType = new FixedSizeList(width, new Field('v', new Float32(), false));
  const schema = new Schema([new Field('samples', listType, false), new Field('label', new Int8(), false)]);
  function* batches() {
    for (let b = 0; b < 3; b++) {
      const rows = 4;
      const values = Float32Array.from({ length: rows * width }, (_, i) => b * 100 + i);
      const child = makeData({ type: new Float32(), length: values.length, data: values });
      const samples = makeData({ type: listType, length: rows, child });
      const label = makeData({ type: new Int8(), length: rows, data: new Int8Array(rows).fill(b) });
      const struct = makeData({ type: new Struct(schema.fields), length: rows, children: [samples, label] });
      yield new RecordBatch(schema, struct);
    }
  }
  const path = join(dir, 's.arrow');
  const rows = await writeArrowBatches(path, schema, batches());
  assert.equal(rows, 12);
  const back = readArrowFile(path);
  assert.equal(back.numRows, 12);
  const row9 = back.getChild('samples')!.get(9)!.toArray() as Float32Array;
  assert.deepEqual([...row9], [206, 207, 208, 209, 210, 211]);
});

test('a truncated Arrow file is an InputError naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ct-arrow-'));
  const good = join(dir, 'good.arrow');
  writeArrowFile(good, withMetadata(makeTable({ x: new Float32Array([1, 2]) }), meta));
  const bad = join(dir, 'bad.arrow');
  const bytes = readFileSync(good);
  writeFileSync(bad, bytes.subarray(0, bytes.length - 40));
  assert.throws(
    () => readArrowFile(bad),
    (e: unknown) => e instanceof InputError && e.message.startsWith(bad),
  );
  assert.throws(
    () => readArrowFile(join(dir, 'missing.arrow')),
    /missing\.arrow: cannot read Arrow file \(ENOENT\)/,
  );
});

test('writeFileAtomic keeps the old file when the data fails after some bytes were written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ct-atomic-'));
  const path = join(dir, 'f.txt');
  writeFileAtomic(path, 'old');
  let written = 0;
  // The generator is consumed by the writer itself: its first chunk reaches the disk before it throws.
  function* failing(): Generator<Uint8Array> {
    yield new Uint8Array([110, 101, 119]);
    written++;
    throw new Error('disk full');
  }
  assert.throws(() => writeFileAtomic(path, failing()), /disk full/);
  assert.equal(written, 1, 'the failure came after the first chunk was handed to the writer');
  assert.equal(readFileSync(path, 'utf8'), 'old');
  assert.deepEqual(readdirSync(dir), ['f.txt']);
});

test('writeArrowBatches keeps the old file when a batch fails after earlier batches were written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ct-atomic-'));
  const path = join(dir, 'b.arrow');
  writeArrowFile(path, withMetadata(makeTable({ x: new Float32Array([7]) }), meta));
  const before = readFileSync(path);
  const schema = new Schema([new Field('x', new Float32(), false)]);
  async function* batches(): AsyncGenerator<RecordBatch> {
    const data = makeData({ type: new Float32(), length: 2, data: new Float32Array([1, 2]) });
    yield new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 2, children: [data] }));
    await new Promise<void>((r) => setImmediate(r));
    throw new Error('source failed');
  }
  await assert.rejects(writeArrowBatches(path, schema, batches()), /source failed/);
  assert.deepEqual(readFileSync(path), before);
  assert.deepEqual(readdirSync(dir), ['b.arrow']);
});
