import { InputError, checkInteger, checkOneOf, checkPositive } from '@corpus-tune/core';

/** Corpora this stage knows, in the order `prepare` visits them. */
export { CORPORA, SPLITS } from '@corpus-tune/core';
export type { CorpusId as Corpus, SplitName as Split } from '@corpus-tune/core';

export const EEG_KINDS = ['raw', 'spectral'] as const;
export type EegKind = (typeof EEG_KINDS)[number];
export const TAPERS = ['hamming', 'none'] as const;
export type Taper = (typeof TAPERS)[number];
export const NORMALIZATIONS = ['standard', 'none'] as const;
export type NormalizationMode = (typeof NORMALIZATIONS)[number];

/** EEG framing and feature options (#12). */
export interface EegFeatureOptions {
  /** `raw`: the tapered window samples; `spectral`: log band powers + frame energy + its delta. */
  kind: EegKind;
  /** Frame hop in seconds (0.1 s = 5 samples at 50 Hz). */
  hopSec: number;
  /** Analysis window in seconds, centred on its hop interval (0.3 s = 15 samples at 50 Hz). */
  windowSec: number;
  /** Taper applied to every window (symmetric Hamming, as numpy.hamming). */
  taper: Taper;
  /** Band edges in Hz for `spectral`: band k holds FFT bins with edgesHz[k] ≤ f < edgesHz[k+1]; the last band includes its upper edge. */
  bandEdgesHz: readonly number[];
  /** FFT length in samples (a power of two ≥ the window; 0 = the next power of two). */
  fftSize: number;
  /** Half-width N of the regression window of the energy derivative: d_t = Σₙ n(e_{t+n} − e_{t−n}) / (2Σₙ n²). */
  deltaWindowFrames: number;
  /** Floor added before every logarithm (in squared input units). */
  logFloor: number;
  /** Per-channel standardisation fitted on train. */
  normalization: NormalizationMode;
}

export const DEFAULT_EEG_OPTIONS: Readonly<EegFeatureOptions> = Object.freeze({
  kind: 'spectral',
  hopSec: 0.1,
  windowSec: 0.3,
  taper: 'hamming',
  bandEdgesHz: Object.freeze([0.5, 4, 8, 13, 20, 25]),
  fftSize: 0,
  deltaWindowFrames: 2,
  logFloor: 1e-10,
  normalization: 'standard',
});

/** Patch options (#11). */
export interface PatchFeatureOptions {
  /** Side of the square model input the patches are resized to. */
  sizePx: number;
}

export const DEFAULT_PATCH_OPTIONS: Readonly<PatchFeatureOptions> = Object.freeze({ sizePx: 128 });

/** Synthetic-corpus options (#08–#10). */
export interface SyntheticOptions {
  /** `none` passes x, y through; `standard` standardises each feature with train statistics. */
  normalization: NormalizationMode;
}

export const DEFAULT_SYNTHETIC_OPTIONS: Readonly<SyntheticOptions> = Object.freeze({ normalization: 'none' });

export function resolveEegOptions(partial: Partial<EegFeatureOptions> = {}): Readonly<EegFeatureOptions> {
  const o = { ...DEFAULT_EEG_OPTIONS, ...partial };
  checkOneOf('eeg kind', o.kind, EEG_KINDS);
  checkOneOf('taper', o.taper, TAPERS);
  checkOneOf('eeg normalization', o.normalization, NORMALIZATIONS);
  checkPositive('hopSec', o.hopSec);
  checkPositive('windowSec', o.windowSec);
  if (o.windowSec < o.hopSec) throw new InputError(`windowSec ${o.windowSec} must be ≥ hopSec ${o.hopSec}`);
  checkInteger('fftSize', o.fftSize, { min: 0 });
  if (o.fftSize !== 0 && (o.fftSize < 2 || (o.fftSize & (o.fftSize - 1)) !== 0)) {
    throw new InputError(`fftSize ${o.fftSize} must be 0 (auto) or a power of two ≥ 2`);
  }
  checkInteger('deltaWindowFrames', o.deltaWindowFrames, { min: 1 });
  checkPositive('logFloor', o.logFloor);
  if (o.bandEdgesHz.length < 2) throw new InputError('bandEdgesHz needs at least two edges');
  for (let i = 1; i < o.bandEdgesHz.length; i++) {
    if (!(o.bandEdgesHz[i] > o.bandEdgesHz[i - 1]))
      throw new InputError(`bandEdgesHz must increase, got ${o.bandEdgesHz.join(', ')}`);
  }
  return Object.freeze({ ...o, bandEdgesHz: Object.freeze([...o.bandEdgesHz]) });
}

export function resolvePatchOptions(
  partial: Partial<PatchFeatureOptions> = {},
): Readonly<PatchFeatureOptions> {
  const o = { ...DEFAULT_PATCH_OPTIONS, ...partial };
  checkInteger('patch sizePx', o.sizePx, { min: 8, max: 4096 });
  return Object.freeze(o);
}

export function resolveSyntheticOptions(partial: Partial<SyntheticOptions> = {}): Readonly<SyntheticOptions> {
  const o = { ...DEFAULT_SYNTHETIC_OPTIONS, ...partial };
  checkOneOf('synthetic normalization', o.normalization, NORMALIZATIONS);
  return Object.freeze(o);
}
