// The nearest-centroid baseline's simple features, computed from a features split's rows:
// EEG (tusz): per channel and band, the mean over frames of the log band power;
// patches (tudp): mean R, G, B and the mean absolute grey difference of adjacent pixels.
import { InputError } from '@corpus-tune/core';
import type { FeatureSplit } from './data.ts';

/** Row-major [n, names.length] features (f64) and what each column is. */
export interface SimpleFeatures {
  values: Float64Array;
  n: number;
  names: string[];
  /** One line for metrics.json and the report's "What it is". */
  description: string;
}

const BAND_NAME = /^logPower_.+Hz$/;

/** Grey level as ITU-R BT.601 luma, the weights the augmentation's saturation step uses too. */
const grey = (r: number, g: number, b: number): number => 0.299 * r + 0.587 * g + 0.114 * b;

/**
 * Per channel and band, the mean over frames of `logPower_<lo>-<hi>Hz`, the bands found by name in
 * the split's metadata `featureNames` (rows are [frames, channels, featuresPerChannel]). The features
 * stage may have standardised each feature on train; that is affine per column and the baseline
 * standardises again, so its predictions do not change.
 */
export function bandPowerFeatures(split: FeatureSplit): SimpleFeatures {
  const featureNames = split.metadata.featureNames;
  if (split.shape.length !== 3 || !Array.isArray(featureNames) || featureNames.length !== split.shape[2])
    throw new InputError(
      `band-power features need rows [frames, channels, features] with metadata featureNames of the ` +
        `last axis, got shape ${JSON.stringify(split.shape)}`,
      { file: split.path },
    );
  const [frames, channels, perChannel] = split.shape;
  const bands = featureNames
    .map((name, index) => ({ name: String(name), index }))
    .filter((f) => BAND_NAME.test(f.name));
  if (bands.length === 0)
    throw new InputError(
      `no logPower_<lo>-<hi>Hz features in featureNames (${featureNames.slice(0, 4).join(', ')}, …): ` +
        `the baseline needs the spectral EEG features`,
      { file: split.path },
    );
  const channelNames = Array.isArray(split.metadata.channels)
    ? (split.metadata.channels as unknown[]).map(String)
    : Array.from({ length: channels }, (_, c) => `ch${c}`);
  const dim = channels * bands.length;
  const values = new Float64Array(split.n * dim);
  const x = split.x;
  for (let r = 0; r < split.n; r++) {
    const row = r * split.size;
    for (let c = 0; c < channels; c++) {
      for (let b = 0; b < bands.length; b++) {
        let sum = 0;
        for (let f = 0; f < frames; f++) sum += x[row + (f * channels + c) * perChannel + bands[b].index];
        values[r * dim + c * bands.length + b] = sum / frames;
      }
    }
  }
  return {
    values,
    n: split.n,
    names: channelNames.flatMap((ch) => bands.map((b) => `${ch}:${b.name}`)),
    description: `mean log band power per channel and band (${channels} × ${bands.length})`,
  };
}

/**
 * Mean R, G, B over an HWC uint8 patch and the mean absolute grey difference over all horizontally
 * and vertically adjacent pixel pairs (one pool of h·(w−1) + (h−1)·w pairs), on the 0–255 scale.
 */
export function colourTextureFeatures(split: FeatureSplit): SimpleFeatures {
  if (!(split.x instanceof Uint8Array) || split.shape.length !== 3 || split.shape[2] !== 3)
    throw new InputError(
      `colour/texture features need uint8 [h, w, 3] patches, got ${split.dtype} ${JSON.stringify(split.shape)}`,
      { file: split.path },
    );
  const [h, w] = split.shape;
  const pixels = h * w;
  const pairs = h * (w - 1) + (h - 1) * w;
  const values = new Float64Array(split.n * 4);
  const greys = new Float64Array(pixels);
  const x = split.x;
  for (let r = 0; r < split.n; r++) {
    const row = r * split.size;
    let red = 0;
    let green = 0;
    let blue = 0;
    for (let p = 0; p < pixels; p++) {
      const o = row + 3 * p;
      red += x[o];
      green += x[o + 1];
      blue += x[o + 2];
      greys[p] = grey(x[o], x[o + 1], x[o + 2]);
    }
    let diff = 0;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const g = greys[i * w + j];
        if (j + 1 < w) diff += Math.abs(greys[i * w + j + 1] - g);
        if (i + 1 < h) diff += Math.abs(greys[(i + 1) * w + j] - g);
      }
    }
    values.set([red / pixels, green / pixels, blue / pixels, pairs > 0 ? diff / pairs : 0], 4 * r);
  }
  return {
    values,
    n: split.n,
    names: ['meanR', 'meanG', 'meanB', 'meanAbsAdjacentGreyDiff'],
    description: 'mean R, G, B and mean absolute adjacent grey difference (4)',
  };
}

/** The baseline's features for a split: colour/texture for uint8 patches, band power for EEG. */
export function simpleFeaturesOf(split: FeatureSplit): SimpleFeatures {
  return split.x instanceof Uint8Array ? colourTextureFeatures(split) : bandPowerFeatures(split);
}
