import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '@corpus-tune/core';
import {
  NO_AUGMENTATION,
  DEFAULT_AUGMENT_OPTIONS,
  applyAugmentation,
  augmentPatch,
  drawAugmentation,
  normalizePatch,
  resolveAugmentOptions,
} from '../src/index.ts';
import type { AugmentationDraw, PatchShape } from '../src/index.ts';
import { testPatchPixels } from './fixtures.ts';

const SIZE = 32;
const shape: PatchShape = { heightPx: SIZE, widthPx: SIZE, channels: 3 };
const stats = { mean: [120, 110, 100], std: [60, 50, 40] };
const pixels = testPatchPixels(SIZE, 2);
const at = (values: ArrayLike<number>, i: number, j: number, c: number) => values[(i * SIZE + j) * 3 + c];
const plain: AugmentationDraw = { ...drawAugmentation(createRng(0), NO_AUGMENTATION) };

test('same seed, same augmentation; another seed, another one', () => {
  const a = augmentPatch(pixels, shape, createRng(11), stats);
  const b = augmentPatch(pixels, shape, createRng(11), stats);
  const c = augmentPatch(pixels, shape, createRng(12), stats);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.equal(a.length, SIZE * SIZE * 3);
  assert.ok(a.every(Number.isFinite));
});

test('with augmentation off, the output is the patch normalised with the train statistics', () => {
  const out = augmentPatch(pixels, shape, createRng(1), stats, NO_AUGMENTATION);
  assert.deepEqual(out, normalizePatch(pixels, shape, stats));
  assert.ok(Math.abs(out[0] - (pixels[0] - 120) / 60) < 1e-6);
});

test('quarter turns and flips move pixels exactly', () => {
  const turned = applyAugmentation(pixels, shape, { ...plain, quarterTurns: 1 });
  const lr = applyAugmentation(pixels, shape, { ...plain, flipLeftRight: true });
  const ud = applyAugmentation(pixels, shape, { ...plain, flipUpDown: true });
  const half = applyAugmentation(pixels, shape, { ...plain, quarterTurns: 2 });
  for (let i = 0; i < SIZE; i++) {
    for (let j = 0; j < SIZE; j++) {
      for (let c = 0; c < 3; c++) {
        assert.equal(at(turned, i, j, c), at(pixels, SIZE - 1 - j, i, c));
        assert.equal(at(lr, i, j, c), at(pixels, i, SIZE - 1 - j, c));
        assert.equal(at(ud, i, j, c), at(pixels, SIZE - 1 - i, j, c));
        assert.equal(at(half, i, j, c), at(pixels, SIZE - 1 - i, SIZE - 1 - j, c));
      }
    }
  }
});

test('a centred crop zooms in; brightness scales; saturation 0 gives grey', () => {
  const zoom = applyAugmentation(pixels, shape, {
    ...plain,
    cropFraction: 0.5,
    cropShiftX: 0,
    cropShiftY: 0,
  });
  // Output column j samples source x = 8 + 0.5·(j + 0.5) − 0.5 … the red channel is a horizontal ramp.
  const ramp = (x: number) => (x * 255) / (SIZE - 1);
  assert.ok(Math.abs(at(zoom, 20, 4, 0) - ramp(8 + 0.5 * 4.5 - 0.5)) < 1.5, `${at(zoom, 20, 4, 0)}`);
  const bright = applyAugmentation(pixels, shape, { ...plain, brightness: 0.5 });
  assert.ok(Math.abs(at(bright, 30, 30, 0) - at(pixels, 30, 30, 0) * 0.5) < 1e-4);
  const grey = applyAugmentation(pixels, shape, { ...plain, saturation: 0 });
  assert.ok(Math.abs(at(grey, 5, 9, 0) - at(grey, 5, 9, 2)) < 1e-3);
  assert.ok(grey.every((v) => v >= 0 && v <= 255));
});

test('the default draw stays within its documented ranges', () => {
  const rng = createRng(5);
  const turns = new Set<number>();
  for (let k = 0; k < 200; k++) {
    const d = drawAugmentation(rng);
    turns.add(d.quarterTurns);
    assert.ok(Math.abs(d.rotationDeg) <= DEFAULT_AUGMENT_OPTIONS.maxRotationDeg);
    assert.ok(d.cropFraction >= DEFAULT_AUGMENT_OPTIONS.minCropFraction && d.cropFraction <= 1);
    assert.ok(
      Math.abs(d.brightness - 1) <= 0.2 &&
        Math.abs(d.contrast - 1) <= 0.2 &&
        Math.abs(d.saturation - 1) <= 0.2,
    );
  }
  assert.deepEqual([...turns].sort(), [0, 1, 2, 3]);
});

test('resolveAugmentOptions completes partial options and names a bad field', () => {
  assert.deepEqual(resolveAugmentOptions({ maxRotationDeg: 5 }), {
    ...DEFAULT_AUGMENT_OPTIONS,
    maxRotationDeg: 5,
  });
  assert.ok(Object.isFrozen(resolveAugmentOptions()));
  assert.throws(() => resolveAugmentOptions({ minCropFraction: 0 }), /minCropFraction must be a number in/);
  assert.throws(() => resolveAugmentOptions({ flipProbability: 1.5 }), /flipProbability/);
  assert.throws(() => resolveAugmentOptions({ brightnessJitter: Number.NaN }), /brightnessJitter/);
});
