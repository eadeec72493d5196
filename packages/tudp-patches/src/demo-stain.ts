// Per-slide staining and scanning: haematoxylin and eosin optical-density vectors, stain amounts,
// glass tint and focus differ from slide to slide (labs and scanners differ). Colour comes from
// Beer–Lambert mixing, I = I₀ · exp(−Σ concentration · OD vector), as in colour deconvolution.
import type { Rng } from '@corpus-tune/core';
import type { StainCanvas } from './demo-canvas.ts';

type Rgb = [number, number, number];

export interface StainProfile {
  /** Unit OD vector (R, G, B) of haematoxylin on this slide. */
  hematoxylinOd: Rgb;
  eosinOd: Rgb;
  /** Stain amount multipliers (staining time, section thickness). */
  hematoxylinScale: number;
  eosinScale: number;
  /** Light through empty glass, 0–255 per channel. */
  backgroundRgb: Rgb;
  /** Gaussian focus blur, level-0 px (0 = sharp). */
  blurSigmaPx: number;
  /** Sensor noise amplitude, grey levels (uniform ±). */
  noiseAmplitude: number;
}

/** Ruifrok & Johnston's H&E OD vectors, the centre of the per-slide variation. */
const HEMATOXYLIN_OD: Rgb = [0.65, 0.7, 0.29];
const EOSIN_OD: Rgb = [0.07, 0.99, 0.11];
/** Ink OD per pen colour (green and blue absorb red more than green, which H&E never does). */
export const PEN_COLOURS = ['green', 'blue', 'black'] as const;
export type PenColour = (typeof PEN_COLOURS)[number];
const PEN_OD: Record<PenColour, Rgb> = {
  green: [1.3, 0.25, 1.1],
  blue: [2.0, 0.7, 0.1],
  black: [1.9, 1.9, 1.8],
};

export interface StainVariation {
  /**
   * Largest per-component change of the OD vectors before renormalising. Haematoxylin's stays
   * small: past ≈ 0.1 a nucleus would absorb red more than green, which is what ink does.
   */
  hematoxylinOdJitter: number;
  eosinOdJitter: number;
  /** Stain amounts are drawn from [1 − s, 1 + s]. */
  scaleSpread: number;
  maxBlurSigmaPx: number;
}

export const DEFAULT_STAIN_VARIATION: Readonly<StainVariation> = Object.freeze({
  hematoxylinOdJitter: 0.06,
  eosinOdJitter: 0.12,
  scaleSpread: 0.45,
  maxBlurSigmaPx: 2.2,
});

function round4(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

function jitteredUnit(rng: Rng, base: Rgb, jitter: number): Rgb {
  const v = base.map((c) => Math.max(0.01, c + (rng.float() * 2 - 1) * jitter));
  const norm = Math.hypot(v[0], v[1], v[2]);
  return v.map((c) => round4(c / norm)) as Rgb;
}

export function drawStainProfile(rng: Rng, variation: Readonly<StainVariation>): StainProfile {
  const glass = 238 + rng.float() * 10;
  const tint = (): number => Math.round(Math.min(254, glass + (rng.float() * 2 - 1) * 4));
  return {
    hematoxylinOd: jitteredUnit(rng, HEMATOXYLIN_OD, variation.hematoxylinOdJitter),
    eosinOd: jitteredUnit(rng, EOSIN_OD, variation.eosinOdJitter),
    hematoxylinScale: round4(1 + (rng.float() * 2 - 1) * variation.scaleSpread),
    eosinScale: round4(1 + (rng.float() * 2 - 1) * variation.scaleSpread),
    backgroundRgb: [tint(), tint(), tint()],
    blurSigmaPx: round4(rng.float() * variation.maxBlurSigmaPx),
    noiseAmplitude: round4(1 + rng.float() * 5),
  };
}

/** Separable Gaussian blur of one float channel in place (edges clamp). */
function blurChannel(data: Float32Array, width: number, height: number, sigmaPx: number): void {
  const radius = Math.ceil(sigmaPx * 3);
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] = Math.exp(-(k * k) / (2 * sigmaPx ** 2));
  for (let k = 0; k < kernel.length; k++) kernel[k] /= sum;
  const line = new Float32Array(Math.max(width, height));
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) line[x] = data[row + x];
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = x + k < 0 ? 0 : x + k >= width ? width - 1 : x + k;
        acc += kernel[k + radius] * line[xx];
      }
      data[row + x] = acc;
    }
  }
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) line[y] = data[y * width + x];
    for (let y = 0; y < height; y++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const yy = y + k < 0 ? 0 : y + k >= height ? height - 1 : y + k;
        acc += kernel[k + radius] * line[yy];
      }
      data[y * width + x] = acc;
    }
  }
}

/** Stain concentrations + ink → 8-bit RGB as this slide's lab and scanner would have produced it. */
export function composeRgb(canvas: StainCanvas, profile: StainProfile, rng: Rng): Uint8Array {
  const { widthPx, heightPx } = canvas;
  const n = widthPx * heightPx;
  const h = profile.hematoxylinOd.map((c) => c * profile.hematoxylinScale);
  const e = profile.eosinOd.map((c) => c * profile.eosinScale);
  const pens = PEN_COLOURS.map((name) => PEN_OD[name]);
  const channels = [0, 1, 2].map(() => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    const ch = canvas.hematoxylin[i];
    const ce = canvas.eosin[i];
    const ink = canvas.pen[i];
    for (let c = 0; c < 3; c++) {
      let od = ch * h[c] + ce * e[c];
      if (ink > 0) od += canvas.penDensity[i] * pens[ink - 1][c];
      channels[c][i] = profile.backgroundRgb[c] * Math.exp(-od);
    }
  }
  if (profile.blurSigmaPx > 0.05)
    for (const channel of channels) blurChannel(channel, widthPx, heightPx, profile.blurSigmaPx);
  // Sensor noise from a prime-length table: one RNG draw per pixel would dominate rendering.
  const noise = new Float32Array(65521);
  for (let i = 0; i < noise.length; i++) noise[i] = (rng.float() * 2 - 1) * profile.noiseAmplitude;
  let cursor = rng.int(noise.length);
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      cursor = cursor + 7 < noise.length ? cursor + 7 : cursor + 7 - noise.length;
      const v = Math.round(channels[c][i] + noise[cursor]);
      rgb[3 * i + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return rgb;
}
