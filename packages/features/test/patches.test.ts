import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodePatch, prepareFeatures, readFeatureSplit } from '../src/index.ts';
import { pngOf, tempDataRoot, testPatchPixels, writeTudpSplit } from './fixtures.ts';

test('patches are decoded and resized to 128 × 128 RGB (sharp, Lanczos-3)', async () => {
  const png = await pngOf(testPatchPixels(512, 1), 512);
  const pixels = await decodePatch(png, 128);
  assert.equal(pixels.length, 128 * 128 * 3);
  const expected = await sharp(Buffer.from(png))
    .resize(128, 128, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  assert.ok(Buffer.from(pixels).equals(expected));
});

test('grey and RGBA patches become RGB (alpha flattened onto white)', async () => {
  const grey = await pngOf(new Uint8Array(16 * 16).fill(77), 16, 1);
  const g = await decodePatch(grey, 8);
  assert.equal(g.length, 8 * 8 * 3);
  assert.ok(g.every((v) => v === 77));
  const rgba = new Uint8Array(16 * 16 * 4);
  for (let i = 0; i < 16 * 16; i++) rgba.set([0, 0, 0, 0], 4 * i); // fully transparent black
  const transparent = await pngOf(rgba, 16, 4);
  const t = await decodePatch(transparent, 8);
  assert.ok(t.every((v) => v === 255));
});

test('stored patches are uint8 with per-channel mean/std of the train pixels only', async () => {
  const root = tempDataRoot();
  const dir = join(root, 'tudp-patches');
  const solid = async (rgb: [number, number, number]) => {
    const px = new Uint8Array(32 * 32 * 3);
    for (let i = 0; i < 32 * 32; i++) px.set(rgb, 3 * i);
    return pngOf(px, 32);
  };
  // Train: two solid patches, so the statistics are known exactly; dev/eval are very different.
  await writeTudpSplit(
    join(dir, 'train.arrow'),
    [await solid([10, 100, 200]), await solid([30, 100, 0])],
    [0, 1],
  );
  await writeTudpSplit(join(dir, 'dev.arrow'), [await solid([255, 255, 255])], [1]);
  await writeTudpSplit(join(dir, 'eval.arrow'), [await solid([0, 0, 0])], [0]);
  await prepareFeatures({ dataRoot: root, corpora: ['tudp'], patch: { sizePx: 16 } });
  const train = readFeatureSplit(join(root, 'features', 'tudp', 'train.arrow'));
  const dev = readFeatureSplit(join(root, 'features', 'tudp', 'dev.arrow'));
  assert.deepEqual(train.shape, [16, 16, 3]);
  assert.equal(train.metadata.dtype, 'uint8');
  assert.deepEqual(train.normalization.mean, [20, 100, 100]);
  assert.deepEqual(train.normalization.std, [10, 1, 100]); // std of channel g is 0 → recorded as 1
  assert.deepEqual(dev.normalization, train.normalization);
  assert.ok(dev.x.every((v) => v === 255));
  assert.deepEqual([...train.x.subarray(0, 3)], [10, 100, 200]);
});
