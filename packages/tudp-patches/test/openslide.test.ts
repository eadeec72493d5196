// Reading real slides: every file in ../shared/data/slides opens or is rejected with a clear reason,
// and pixels match python3-openslide's (golden file made by tools/golden/tudp_regions.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { InputError } from '@corpus-tune/core';
import { inspectSlide } from '../src/inspect.ts';
import { openSlide, rgbaToRgb, withSlide } from '../src/slide.ts';
import { openslideMissing, sharedMissing, slidesDir } from './helpers.ts';

const skip = sharedMissing || openslideMissing;
const golden = JSON.parse(readFileSync(new URL('./golden/tudp-regions.json', import.meta.url), 'utf8')) as {
  regions: {
    file: string;
    x: number;
    y: number;
    level: number;
    width: number;
    height: number;
    rgbaSha256: string;
    rgbSha256: string;
    pixels: { x: number; y: number; rgba: number[] }[];
  }[];
  associated: { file: string; name: string; width: number; height: number; rgbaSha256: string }[];
};
const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

// Table of every kept slide: what it must open as, or the reason it must be rejected with.
const CASES: {
  file: string;
  vendor?: string;
  levels?: number;
  size?: [number, number];
  mpp?: number | null;
  reject?: RegExp;
}[] = [
  { file: 'CMU-1-Small-Region.svs', vendor: 'aperio', levels: 1, size: [2220, 2967], mpp: 0.499 },
  {
    file: 'hamamatsu_test3-DAPI-2-(387).ndpi',
    vendor: 'hamamatsu',
    levels: 7,
    size: [3968, 4864],
    mpp: 0.2281750559028887,
  },
  { file: 'openslide-python_boxes.tiff', vendor: 'generic-tiff', levels: 4, size: [300, 250] },
  { file: 'openslide-python_small.svs', vendor: 'aperio', levels: 1, size: [16, 16], mpp: 0.499 },
  { file: 'openslide-python_unopenable.tiff', reject: /Unsupported TIFF compression: 52479/ },
  { file: 'openslide-python_unreadable.svs', reject: /reading region .*Bogus marker length/ },
  {
    file: 'openslide-python_boxes_dicom/boxes_0.dcm',
    reject: /DICOM whole-slide images need OpenSlide ≥ 4\.0/,
  },
  {
    file: 'openslide-python_boxes_dicom/boxes_1.dcm',
    reject: /DICOM whole-slide images need OpenSlide ≥ 4\.0/,
  },
];

for (const c of CASES) {
  test(`slide ${c.file} ${c.reject ? 'is rejected with a clear reason' : 'opens'}`, { skip }, async () => {
    const path = join(slidesDir, c.file);
    if (c.reject) {
      await assert.rejects(inspectSlide(path), (error: unknown) => {
        assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
        assert.ok(error.message.startsWith(path), 'message names the file');
        assert.match(error.message, c.reject!);
        assert.doesNotMatch(error.message, /\n/, 'one line');
        return true;
      });
      return;
    }
    const info = await inspectSlide(path);
    assert.equal(info.vendor, c.vendor);
    assert.equal(info.levels.length, c.levels);
    assert.deepEqual([info.levels[0].width, info.levels[0].height], c.size);
    if (c.mpp !== undefined)
      assert.ok(info.mppX !== null && Math.abs(info.mppX - (c.mpp ?? 0)) < 1e-9, `mpp ${info.mppX}`);
    assert.equal(info.properties['openslide.vendor'], c.vendor);
  });
}

test('boxes.tiff reports OpenSlide downsamples, including non-integer ones', { skip }, async () => {
  const info = await inspectSlide(join(slidesDir, 'openslide-python_boxes.tiff'));
  assert.deepEqual(
    info.levels.map((l) => [l.width, l.height]),
    [
      [300, 250],
      [150, 125],
      [75, 62],
      [37, 31],
    ],
  );
  assert.ok(Math.abs(info.levels[2].downsample - 4.016129032258064) < 1e-12);
});

for (const r of golden.regions) {
  test(
    `read_region matches python3-openslide: ${r.file} (${r.x}, ${r.y}) level ${r.level} ${r.width}×${r.height}`,
    { skip },
    async () => {
      await withSlide(join(slidesDir, r.file), async (slide) => {
        const region = await slide.readRegion(r.x, r.y, r.level, r.width, r.height);
        for (const p of r.pixels) {
          const i = (p.y * r.width + p.x) * 4;
          assert.deepEqual([...region.data.subarray(i, i + 4)], p.rgba, `pixel (${p.x}, ${p.y})`);
        }
        assert.equal(sha(region.data), r.rgbaSha256, 'RGBA bytes');
        assert.equal(sha(rgbaToRgb(region)), r.rgbSha256, 'RGB bytes');
        assert.equal(
          sha(await slide.readRegionRgb(r.x, r.y, r.level, r.width, r.height)),
          r.rgbSha256,
          'RGB bytes of the one-pass patch path',
        );
      });
    },
  );
}

for (const a of golden.associated) {
  test(`associated image matches python3-openslide: ${a.file} ${a.name}`, { skip }, async () => {
    await withSlide(join(slidesDir, a.file), async (slide) => {
      assert.ok(slide.associatedImageNames.includes(a.name));
      const image = await slide.readAssociatedImage(a.name);
      assert.deepEqual([image.width, image.height], [a.width, a.height]);
      assert.equal(sha(image.data), a.rgbaSha256);
    });
  });
}

test('a closed slide refuses further reads (handles are released deterministically)', { skip }, async () => {
  const slide = await openSlide(join(slidesDir, 'openslide-python_small.svs'));
  slide.close();
  slide.close(); // idempotent
  await assert.rejects(slide.readRegion(0, 0, 0, 4, 4), /already closed/);
});

test('a truncated slide is rejected naming the file', { skip }, async (t) => {
  const { tempDir } = await import('./helpers.ts');
  const { writeFileSync } = await import('node:fs');
  const dir = tempDir(t);
  const path = join(dir, 'truncated.svs');
  const bytes = readFileSync(join(slidesDir, 'CMU-1-Small-Region.svs'));
  writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  await assert.rejects(
    inspectSlide(path),
    (error: unknown) => error instanceof InputError && error.message.startsWith(path),
  );
});
