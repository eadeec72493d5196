import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodePatch, prepareFeatures, readFeatureSplit } from '../src/index.ts';
import { readFileSync } from 'node:fs';
import { pngOf, tempDataRoot, writeTudpSplit } from './fixtures.ts';

function golden<T>(name: string): T {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'golden', name), 'utf8')) as T;
}

// Pillow's Lanczos-3 (tools/golden/features_patch_resize.py) is the independent truth. libvips
// computes in fixed point, Pillow in float, so single pixels differ by a few levels (max |Δ| measured 7
// at ÷1.6, 3 at ÷4); the mean |Δ| is what tells kernels apart: Lanczos-3 0.14 (÷1.6) and 0.33 (÷4),
// Pillow's bicubic on the same image 1.69 and 1.33.
const MEAN_TOLERANCE = 0.5;
const MAX_TOLERANCE = 8;

function goldenImage(sizePx: number): Uint8Array {
  const px = new Uint8Array(sizePx * sizePx * 3);
  for (let y = 0; y < sizePx; y++) {
    for (let x = 0; x < sizePx; x++) {
      const o = (y * sizePx + x) * 3;
      px[o] = (x * 4) % 256;
      px[o + 1] = (Math.floor(x / 4) + Math.floor(y / 4)) % 2 === 0 ? 40 : 220;
      px[o + 2] = (x - 32) ** 2 + (y - 28) ** 2 < 15 ** 2 ? 250 : (y * 3) % 256;
    }
  }
  return px;
}

function differences(a: ArrayLike<number>, b: ArrayLike<number>): { mean: number; max: number } {
  assert.equal(a.length, b.length);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / a.length, max };
}

test('patches are resized with Lanczos-3 as Pillow computes it (÷1.6, and ÷4 as 512 → 128 px)', async () => {
  const g = golden<{ sourcePx: number; cases: Record<string, { lanczos: number[]; bicubic: number[] }> }>(
    'patch_resize.json',
  );
  const png = await pngOf(goldenImage(g.sourcePx), g.sourcePx);
  for (const [size, want] of Object.entries(g.cases)) {
    const pixels = await decodePatch(png, Number(size));
    assert.equal(pixels.length, Number(size) ** 2 * 3);
    const lanczos = differences(pixels, want.lanczos);
    assert.ok(lanczos.mean <= MEAN_TOLERANCE, `${size} px: mean |Δ| ${lanczos.mean} vs Pillow Lanczos-3`);
    assert.ok(lanczos.max <= MAX_TOLERANCE, `${size} px: max |Δ| ${lanczos.max} vs Pillow Lanczos-3`);
    const bicubic = differences(pixels, want.bicubic);
    assert.ok(bicubic.mean > 2 * MEAN_TOLERANCE, `${size} px: the tolerance tells Lanczos-3 from bicubic`);
  }
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
