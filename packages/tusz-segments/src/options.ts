import { checkFiniteNumber, checkInteger, checkOneOf, checkPositive, InputError } from '@corpus-tune/core';

export const MONTAGES = ['tcp20', 'referential19'] as const;
export type MontageName = (typeof MONTAGES)[number];
import { SPLITS } from '@corpus-tune/core';
import type { SplitName } from '@corpus-tune/core';

export { SPLITS };
export type { SplitName };

/** Everything that shapes the segments; all of it goes into the cache key and the metadata. */
export interface SegmentOptions {
  /** Butterworth order of both the high-pass and the low-pass (even; default 4). */
  filterOrder: number;
  /** High-pass corner in Hz (default 0.5). */
  lowCutHz: number;
  /** Low-pass corner in Hz (default 35; at 50 Hz output nothing above 25 Hz survives anyway). */
  highCutHz: number;
  /** Output sample rate in Hz (default 50). */
  targetRateHz: number;
  /** Segment length in seconds (default 10). */
  segmentSec: number;
  /** Only stretches longer than this are cut (default 15 s, poster §Dataset #12). */
  minStretchSec: number;
  /** `tcp20` (default): the 20 TCP bipolar channels; `referential19`: the 10-20 electrodes. */
  montage: MontageName;
  /** How far an annotation may run past the end of the EDF before the file is rejected (s). */
  annotationToleranceSec: number;
}

/** Everything that shapes the selection into splits. */
export interface SplitOptions {
  /** Segments per split (half per class); fewer when fewer are available. */
  counts: Record<SplitName, number>;
  seed: number;
}

export type PrepareOptions = SegmentOptions & SplitOptions;

export const DEFAULT_OPTIONS: Readonly<PrepareOptions> = Object.freeze({
  filterOrder: 4,
  lowCutHz: 0.5,
  highCutHz: 35,
  targetRateHz: 50,
  segmentSec: 10,
  minStretchSec: 15,
  montage: 'tcp20',
  annotationToleranceSec: 1,
  counts: Object.freeze({ train: 10000, dev: 2500, eval: 2500 }),
  seed: 1,
});

export function resolveOptions(partial: Partial<PrepareOptions> = {}): Readonly<PrepareOptions> {
  const o = { ...DEFAULT_OPTIONS, ...partial, counts: { ...DEFAULT_OPTIONS.counts, ...partial.counts } };
  checkInteger('filterOrder', o.filterOrder, { min: 2, max: 24 });
  if (o.filterOrder % 2 !== 0)
    throw new InputError(
      `filterOrder ${o.filterOrder} must be even (the design is built from second-order sections)`,
    );
  checkPositive('lowCutHz', o.lowCutHz);
  checkPositive('highCutHz', o.highCutHz);
  if (o.lowCutHz >= o.highCutHz)
    throw new InputError(`lowCutHz ${o.lowCutHz} must be below highCutHz ${o.highCutHz}`);
  checkPositive('targetRateHz', o.targetRateHz);
  checkPositive('segmentSec', o.segmentSec);
  checkFiniteNumber('minStretchSec', o.minStretchSec, { min: 0 });
  checkFiniteNumber('annotationToleranceSec', o.annotationToleranceSec, { min: 0 });
  if (!Number.isInteger(o.segmentSec * o.targetRateHz))
    throw new InputError(`segmentSec × targetRateHz must be a whole number of samples`);
  checkOneOf('montage', o.montage, MONTAGES);
  for (const s of SPLITS) checkInteger(`counts.${s}`, o.counts[s], { min: 0 });
  checkInteger('seed', o.seed, { min: 0, max: 0xffffffff });
  return Object.freeze(o);
}

export function segmentOptionsOf(o: PrepareOptions): SegmentOptions {
  const {
    filterOrder,
    lowCutHz,
    highCutHz,
    targetRateHz,
    segmentSec,
    minStretchSec,
    montage,
    annotationToleranceSec,
  } = o;
  return {
    filterOrder,
    lowCutHz,
    highCutHz,
    targetRateHz,
    segmentSec,
    minStretchSec,
    montage,
    annotationToleranceSec,
  };
}

/** The band that survives both the filter and the resampler (nothing above targetRate/2). */
export function effectiveBandHz(o: SegmentOptions): [number, number] {
  return [o.lowCutHz, Math.min(o.highCutHz, o.targetRateHz / 2)];
}
