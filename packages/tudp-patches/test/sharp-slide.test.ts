// The sharp (libvips) fallback for plain tiled TIFF, run against the same contract as OpenSlide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InputError, createRng } from '@corpus-tune/core';
import { renderDemoSlide, writePyramidalTiff } from '../src/demo-corpus.ts';
import { openSlide, withSlide } from '../src/slide.ts';
import { openslideMissing, sharedMissing, slidesDir, tempDir } from './helpers.ts';

test(
  'without OpenSlide, non-TIFF slides fail with one message naming the package to install',
  { skip: sharedMissing },
  async () => {
    for (const file of ['CMU-1-Small-Region.svs', 'hamamatsu_test3-DAPI-2-(387).ndpi']) {
      const path = join(slidesDir, file);
      await assert.rejects(openSlide(path, { backend: 'sharp-tiff' }), (error: unknown) => {
        assert.ok(error instanceof InputError);
        assert.ok(error.message.startsWith(path));
        assert.match(error.message, /apt-get install libopenslide0/);
        return true;
      });
    }
  },
);

test(
  'without OpenSlide, an unreadable TIFF is rejected naming the file',
  { skip: sharedMissing },
  async () => {
    const path = join(slidesDir, 'openslide-python_unopenable.tiff');
    await assert.rejects(
      openSlide(path, { backend: 'sharp-tiff' }),
      (e: unknown) => e instanceof InputError && e.message.startsWith(path),
    );
  },
);

test(
  'sharp reads the same levels as OpenSlide on a generic tiled TIFF',
  { skip: sharedMissing || openslideMissing },
  async () => {
    const path = join(slidesDir, 'openslide-python_boxes.tiff');
    const a = await withSlide(path, async (s) => s.levels, { backend: 'openslide' });
    const b = await withSlide(path, async (s) => s.levels, { backend: 'sharp-tiff' });
    assert.equal(b.length, a.length);
    a.forEach((level, i) => {
      assert.deepEqual([b[i].width, b[i].height], [level.width, level.height]);
      assert.ok(Math.abs(b[i].downsample - level.downsample) < 1e-9);
    });
  },
);

/** Writes the demo pyramidal TIFF and checks what any backend must read from it; returns one region. */
async function readDemoTiff(
  t: { after: (fn: () => void) => void },
  backend: 'sharp-tiff' | 'openslide',
): Promise<Uint8Array> {
  const path = join(tempDir(t), 'slide.tiff');
  const { rgb } = renderDemoSlide(createRng(5), 1024, 768);
  await writePyramidalTiff(path, rgb, 1024, 768, 0.25);
  return withSlide(
    path,
    async (slide) => {
      assert.ok(slide.mppX !== null && Math.abs(slide.mppX - 0.25) < 1e-9, `${backend} mpp ${slide.mppX}`);
      assert.deepEqual(
        slide.levels.map((l) => l.width),
        [1024, 512, 256],
      );
      const region = await slide.readRegion(960, 700, 0, 128, 128);
      // Columns past x = 1024 and rows past y = 768 lie outside: transparent black.
      const outside = (100 * 128 + 100) * 4;
      assert.deepEqual([...region.data.subarray(outside, outside + 4)], [0, 0, 0, 0]);
      assert.equal(region.data[3], 255);
      return (await slide.readRegion(256, 128, 1, 64, 64)).data;
    },
    { backend },
  );
}

test('sharp reads a sharp-written pyramidal TIFF: mpp, levels, out-of-bounds transparency', async (t) => {
  await readDemoTiff(t, 'sharp-tiff');
});

test(
  'OpenSlide reads the same sharp-written TIFF alike and agrees with sharp on the pixels (±2)',
  { skip: openslideMissing },
  async (t) => {
    const bySharp = await readDemoTiff(t, 'sharp-tiff');
    const byOpenSlide = await readDemoTiff(t, 'openslide');
    // Both decode the same JPEG tiles; allow ±2 for IDCT/upsampling differences between libjpeg builds.
    let maxDiff = 0;
    for (let i = 0; i < bySharp.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(bySharp[i] - byOpenSlide[i]));
    assert.equal(byOpenSlide.length, bySharp.length);
    assert.ok(maxDiff <= 2, `max difference ${maxDiff}`);
  },
);
