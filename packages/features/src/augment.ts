import { InputError } from '@corpus-tune/core';
import type { Rng } from '@corpus-tune/core';
import type { PatchShape } from './patches.ts';

/** Per-channel statistics (0–255 units) that patches are normalised with: (v − mean[c]) / std[c]. */
export interface ChannelStats {
  mean: readonly number[];
  std: readonly number[];
}

/** The poster's augmentation (random crop, colour jitter, rotations, flips). Defaults in DEFAULT_AUGMENT_OPTIONS. */
export interface AugmentOptions {
  /** Side of the random square crop as a fraction of the patch side, uniform in [minCropFraction, 1]; resampled back to full size. */
  minCropFraction: number;
  /** Rotate by a uniformly drawn multiple of 90°. */
  quarterTurns: boolean;
  /** Extra small rotation, uniform in ±maxRotationDeg degrees. */
  maxRotationDeg: number;
  /** Probability of a left–right flip, and of an up–down flip. */
  flipProbability: number;
  /** Brightness, contrast and saturation factors, each uniform in [1 − j, 1 + j] (torchvision ColorJitter semantics). */
  brightnessJitter: number;
  contrastJitter: number;
  saturationJitter: number;
}

export const DEFAULT_AUGMENT_OPTIONS: Readonly<AugmentOptions> = Object.freeze({
  minCropFraction: 0.8,
  quarterTurns: true,
  maxRotationDeg: 15,
  flipProbability: 0.5,
  brightnessJitter: 0.2,
  contrastJitter: 0.2,
  saturationJitter: 0.2,
});

/** Complete, validated augmentation options (defaults for the fields not given). */
export function resolveAugmentOptions(partial: Partial<AugmentOptions> = {}): Readonly<AugmentOptions> {
  const o: AugmentOptions = { ...DEFAULT_AUGMENT_OPTIONS, ...partial };
  const inRange = (name: keyof AugmentOptions, lo: number, hi: number): void => {
    const v = o[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi)
      throw new InputError(`augmentation ${name} must be a number in [${lo}, ${hi}], got ${String(v)}`);
  };
  inRange('minCropFraction', Number.MIN_VALUE, 1);
  inRange('maxRotationDeg', 0, 180);
  inRange('flipProbability', 0, 1);
  inRange('brightnessJitter', 0, 1);
  inRange('contrastJitter', 0, 1);
  inRange('saturationJitter', 0, 1);
  if (typeof o.quarterTurns !== 'boolean')
    throw new InputError(`augmentation quarterTurns must be true or false, got ${String(o.quarterTurns)}`);
  return Object.freeze(o);
}

/** No augmentation at all (output = the normalised input). */
export const NO_AUGMENTATION: Readonly<AugmentOptions> = Object.freeze({
  minCropFraction: 1,
  quarterTurns: false,
  maxRotationDeg: 0,
  flipProbability: 0,
  brightnessJitter: 0,
  contrastJitter: 0,
  saturationJitter: 0,
});

/** One draw of the random parameters (drawn from the rng in this field order). */
export interface AugmentationDraw {
  flipLeftRight: boolean;
  flipUpDown: boolean;
  quarterTurns: number;
  rotationDeg: number;
  cropFraction: number;
  /** Crop centre offset from the patch centre, as a fraction of the slack (−1…1). */
  cropShiftX: number;
  cropShiftY: number;
  brightness: number;
  contrast: number;
  saturation: number;
}

export function drawAugmentation(
  rng: Rng,
  options: Readonly<AugmentOptions> = DEFAULT_AUGMENT_OPTIONS,
): AugmentationDraw {
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * rng.float();
  return {
    flipLeftRight: rng.float() < options.flipProbability,
    flipUpDown: rng.float() < options.flipProbability,
    quarterTurns: options.quarterTurns ? rng.int(4) : 0,
    rotationDeg: options.maxRotationDeg > 0 ? uniform(-options.maxRotationDeg, options.maxRotationDeg) : 0,
    cropFraction: options.minCropFraction < 1 ? uniform(options.minCropFraction, 1) : 1,
    cropShiftX: uniform(-1, 1),
    cropShiftY: uniform(-1, 1),
    brightness:
      options.brightnessJitter > 0 ? uniform(1 - options.brightnessJitter, 1 + options.brightnessJitter) : 1,
    contrast:
      options.contrastJitter > 0 ? uniform(1 - options.contrastJitter, 1 + options.contrastJitter) : 1,
    saturation:
      options.saturationJitter > 0 ? uniform(1 - options.saturationJitter, 1 + options.saturationJitter) : 1,
  };
}

function checkPatch(pixels: Uint8Array, shape: PatchShape): void {
  if (shape.channels !== 3) throw new InputError(`patches must have 3 channels (RGB), got ${shape.channels}`);
  if (pixels.length !== shape.heightPx * shape.widthPx * 3) {
    throw new InputError(`patch has ${pixels.length} values, expected ${shape.heightPx}×${shape.widthPx}×3`);
  }
}

function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}

/**
 * Applies one drawn augmentation to HWC uint8 RGB pixels, returning HWC float32 values on the
 * 0–255 scale. Geometry is one inverse mapping per output pixel: undo the flips, undo the
 * rotation (quarter turns + small angle, about the centre), scale into the crop square, then
 * sample bilinearly with reflection at the borders. Colour jitter follows in the order
 * brightness, contrast (about the mean grey level), saturation (about each pixel's grey,
 * 0.299 R + 0.587 G + 0.114 B), clamping to 0–255 after each step.
 */
export function applyAugmentation(
  pixels: Uint8Array,
  shape: PatchShape,
  draw: AugmentationDraw,
): Float32Array {
  checkPatch(pixels, shape);
  const { heightPx: h, widthPx: w } = shape;
  const out = new Float32Array(h * w * 3);
  const theta = (draw.rotationDeg * Math.PI) / 180;
  const cosT = Math.cos(theta);
  const sinT = Math.sin(theta);
  const s = draw.cropFraction;
  const cx = w / 2 + (draw.cropShiftX * ((1 - s) * w)) / 2;
  const cy = h / 2 + (draw.cropShiftY * ((1 - s) * h)) / 2;
  const identityGeometry =
    !draw.flipLeftRight && !draw.flipUpDown && draw.quarterTurns === 0 && theta === 0 && s === 1;
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const o = (i * w + j) * 3;
      if (identityGeometry) {
        out[o] = pixels[o];
        out[o + 1] = pixels[o + 1];
        out[o + 2] = pixels[o + 2];
        continue;
      }
      // Output position relative to the centre; undo flips.
      let u = j + 0.5 - w / 2;
      let v = i + 0.5 - h / 2;
      if (draw.flipLeftRight) u = -u;
      if (draw.flipUpDown) v = -v;
      // Undo the quarter turns exactly (forward: (u, v) → (−v, u) per counter-clockwise turn on screen).
      for (let k = 0; k < draw.quarterTurns; k++) {
        const t = u;
        u = v;
        v = -t;
      }
      // Undo the small rotation.
      const ru = cosT * u + sinT * v;
      const rv = -sinT * u + cosT * v;
      const x = cx + s * ru - 0.5;
      const y = cy + s * rv - 0.5;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      const xa = reflect(x0, w);
      const xb = reflect(x0 + 1, w);
      const ya = reflect(y0, h);
      const yb = reflect(y0 + 1, h);
      const p00 = (ya * w + xa) * 3;
      const p01 = (ya * w + xb) * 3;
      const p10 = (yb * w + xa) * 3;
      const p11 = (yb * w + xb) * 3;
      for (let c = 0; c < 3; c++) {
        const top = pixels[p00 + c] + (pixels[p01 + c] - pixels[p00 + c]) * fx;
        const bottom = pixels[p10 + c] + (pixels[p11 + c] - pixels[p10 + c]) * fx;
        out[o + c] = top + (bottom - top) * fy;
      }
    }
  }
  jitterColour(out, draw);
  return out;
}

const clamp255 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

function jitterColour(values: Float32Array, draw: AugmentationDraw): void {
  const n = values.length;
  if (draw.brightness !== 1) for (let i = 0; i < n; i++) values[i] = clamp255(values[i] * draw.brightness);
  if (draw.contrast !== 1) {
    let grey = 0;
    for (let i = 0; i < n; i += 3) grey += 0.299 * values[i] + 0.587 * values[i + 1] + 0.114 * values[i + 2];
    const meanGrey = grey / (n / 3);
    for (let i = 0; i < n; i++) values[i] = clamp255(meanGrey + (values[i] - meanGrey) * draw.contrast);
  }
  if (draw.saturation !== 1) {
    for (let i = 0; i < n; i += 3) {
      const g = 0.299 * values[i] + 0.587 * values[i + 1] + 0.114 * values[i + 2];
      for (let c = 0; c < 3; c++) values[i + c] = clamp255(g + (values[i + c] - g) * draw.saturation);
    }
  }
}

/** (v − mean[c]) / std[c] in place over HWC float values. */
export function normalizeInPlace(values: Float32Array, stats: ChannelStats): Float32Array {
  if (stats.mean.length !== 3 || stats.std.length !== 3)
    throw new InputError('patch normalisation needs 3 means and 3 stds');
  const scale = stats.std.map((s) => 1 / s);
  for (let i = 0; i < values.length; i += 3) {
    for (let c = 0; c < 3; c++) values[i + c] = (values[i + c] - stats.mean[c]) * scale[c];
  }
  return values;
}

/** A stored patch normalised without augmentation (for dev/eval and inference). */
export function normalizePatch(pixels: Uint8Array, shape: PatchShape, stats: ChannelStats): Float32Array {
  checkPatch(pixels, shape);
  return normalizeInPlace(Float32Array.from(pixels), stats);
}

/**
 * The training data loader's on-the-fly augmentation: draws one augmentation from `rng`
 * (seeded, so a run is reproducible), applies it to a stored HWC uint8 RGB patch and returns
 * HWC float32 normalised with the train statistics recorded in the split's metadata.
 */
export function augmentPatch(
  pixels: Uint8Array,
  shape: PatchShape,
  rng: Rng,
  stats: ChannelStats,
  options: Readonly<AugmentOptions> = DEFAULT_AUGMENT_OPTIONS,
): Float32Array {
  return normalizeInPlace(applyAugmentation(pixels, shape, drawAugmentation(rng, options)), stats);
}
