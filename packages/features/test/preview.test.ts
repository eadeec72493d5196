import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { InputError } from '@corpus-tune/core';
import { prepareFeatures, writePreview } from '../src/index.ts';
import { tempDataRoot, writeTudp } from './fixtures.ts';

test('preview writes a deterministic PNG grid of original | augmented pairs', async () => {
  const root = tempDataRoot();
  await writeTudp(root, 64, { train: 6, dev: 1, eval: 1 });
  await prepareFeatures({ dataRoot: root, corpora: ['tudp'], patch: { sizePx: 32 } });
  const input = join(root, 'features', 'tudp', 'train.arrow');
  const a = await writePreview({ inputPath: input, outputPath: join(root, 'a.png'), count: 4, seed: 3 });
  const b = await writePreview({ inputPath: input, outputPath: join(root, 'b.png'), count: 4, seed: 3 });
  assert.deepEqual(a, b);
  assert.ok(readFileSync(join(root, 'a.png')).equals(readFileSync(join(root, 'b.png'))));
  assert.equal(a.rows.length, 4);
  assert.equal(new Set(a.rows).size, 4);
  // 2 × 2 pairs: width 4 + 2·(2·32 + 2 + 4), height 4 + 2·(32 + 4).
  const info = await sharp(join(root, 'a.png')).metadata();
  assert.deepEqual([info.width, info.height, info.format], [a.gridWidthPx, a.gridHeightPx, 'png']);
  assert.deepEqual([a.gridWidthPx, a.gridHeightPx], [4 + 2 * (2 * 32 + 2 + 4), 4 + 2 * (32 + 4)]);
  const more = await writePreview({ inputPath: input, outputPath: join(root, 'c.png'), count: 16, seed: 3 });
  assert.equal(more.rows.length, 6, 'asks for 16, the split has 6');
});

test('preview of a missing split is an input error naming the file', async () => {
  const root = tempDataRoot();
  await assert.rejects(
    writePreview({ inputPath: join(root, 'nope.arrow'), outputPath: join(root, 'p.png'), count: 4, seed: 1 }),
    (e: unknown) =>
      e instanceof InputError && /nope\.arrow: cannot read Arrow file \(ENOENT\)$/.test(e.message),
  );
});
