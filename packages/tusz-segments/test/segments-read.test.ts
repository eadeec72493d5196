// openSegmentSplit reads back what the stage's own writer (arrow-output.ts) writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeArrowBatches } from '@corpus-tune/core';
import { segmentBatch, segmentSchema } from '../src/arrow-output.ts';
import type { SegmentRow } from '../src/arrow-output.ts';
import { openSegmentSplit } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'segments-read-'));
const META = {
  stage: 'tusz-segments',
  codeVersion: 'test',
  params: {},
  inputs: {},
  channels: ['FP1-F7', 'F7-T3'],
  sampleRateHz: 4,
  segmentSec: 1.5,
};
const row = (i: number): SegmentRow => ({
  recordingId: `r${i}`,
  patientId: 'p',
  sessionId: 's',
  startSec: i,
  stopSec: i + 1.5,
  label: i % 2 ? 'seiz' : 'bckg',
  sourceSampleRateHz: 256,
});

async function write(path: string, meta: Record<string, unknown>, valuesPerRow: number, batches: number[][]) {
  const schema = segmentSchema(valuesPerRow, { ...META, ...meta });
  await writeArrowBatches(
    path,
    schema,
    batches.map((ids) =>
      segmentBatch(
        schema,
        ids.map(row),
        Float32Array.from({ length: ids.length * valuesPerRow }, (_, k) => ids[0] * 100 + k),
      ),
    ),
  );
}

test('round trip: layout from the metadata, samples and labels batch by batch as written', async () => {
  const path = join(dir, 'train.arrow');
  await write(path, {}, 12, [[0, 1], [2]]);
  const split = await openSegmentSplit(path);
  assert.deepEqual(split.layout, {
    channelNames: ['FP1-F7', 'F7-T3'],
    sampleRateHz: 4,
    samplesPerChannel: 6,
  });
  const seen: { rows: number; samples: number[]; label: number[] }[] = [];
  for await (const b of split.batches())
    seen.push({ rows: b.rows, samples: [...b.samples], label: [...b.label] });
  assert.deepEqual(
    seen.map((b) => [b.rows, b.label]),
    [
      [2, [0, 1]],
      [1, [0]],
    ],
  );
  assert.deepEqual(
    seen[0].samples,
    Array.from({ length: 24 }, (_, k) => k),
  );
  assert.deepEqual(
    seen[1].samples,
    Array.from({ length: 12 }, (_, k) => 200 + k),
  );
});

test('a bad layout or a samples list that does not match it is an InputError naming the file', async () => {
  const noRate = join(dir, 'no-rate.arrow');
  await write(noRate, { sampleRateHz: 'fast' }, 12, [[0]]);
  await assert.rejects(openSegmentSplit(noRate), {
    message: `${noRate}: metadata "sampleRateHz" must be a positive number, got "fast"`,
  });
  const wrongSize = join(dir, 'wrong-size.arrow');
  await write(wrongSize, {}, 10, [[0]]);
  await assert.rejects(openSegmentSplit(wrongSize), {
    message: `${wrongSize}: column "samples" has list size 10, expected 12`,
  });
});
