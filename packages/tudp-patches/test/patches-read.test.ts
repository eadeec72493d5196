// openPatchSplit reads back what the stage's own writer (patch-table.ts) writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeArrowBatches } from '@corpus-tune/core';
import { patchBatch, patchSchema } from '../src/patch-table.ts';
import type { PatchRow } from '../src/patch-table.ts';
import { openPatchSplit } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'patches-read-'));
const META = {
  stage: 'tudp-patches',
  codeVersion: 'test',
  params: {},
  inputs: {},
  classNames: ['indc', 'dcis'],
};
const row = (i: number, image: Uint8Array | null): PatchRow => ({
  slideId: `s${i}`,
  patientId: 'p',
  x: 512 * i,
  y: 0,
  level: 0,
  mpp: 0.5,
  tissueFraction: 0.9,
  label: i % 2,
  image,
  path: `patches/s${i}.png`,
  sha256: 'x',
});

test('round trip: metadata, encoded images and labels batch by batch as written', async () => {
  const path = join(dir, 'train.arrow');
  const schema = patchSchema(META, false);
  const bytes = (i: number) => Uint8Array.from({ length: 3 + i }, (_, k) => 10 * i + k);
  await writeArrowBatches(path, schema, [
    patchBatch(schema, [row(0, bytes(0)), row(1, bytes(1))]),
    patchBatch(schema, [row(2, bytes(2))]),
  ]);
  const split = await openPatchSplit(path);
  assert.deepEqual(split.metadata?.classNames, ['indc', 'dcis']);
  const seen: [number, number[][], number[]][] = [];
  for await (const b of split.batches()) seen.push([b.rows, b.images.map((im) => [...im]), [...b.label]]);
  assert.deepEqual(seen, [
    [
      2,
      [
        [0, 1, 2],
        [10, 11, 12, 13],
      ],
      [0, 1],
    ],
    [1, [[20, 21, 22, 23, 24]], [0]],
  ]);
});

test('a split written with patch files (no image column) is an InputError naming the file', async () => {
  const path = join(dir, 'files.arrow');
  const schema = patchSchema(META, true);
  await writeArrowBatches(path, schema, [patchBatch(schema, [row(0, null)])]);
  await assert.rejects(openPatchSplit(path), {
    message: `${path}: missing column "image" (columns: slideId, patientId, x, y, level, mpp, tissueFraction, label, path, sha256)`,
  });
});
