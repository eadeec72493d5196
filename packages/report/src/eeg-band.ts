// The EEG band the models actually see: the bandpass as designed, cut at the Nyquist frequency of the
// resampled signal (at 50 Hz nothing above 25 Hz survives, so 0.5–35 Hz is 0.5–25 Hz in effect).
import { isJsonObject as isObject } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import type { PosterResults } from './poster.ts';

export interface EegBand {
  /** Where the numbers come from: the tusz-segments output, or the poster when that is absent. */
  source: 'tusz-segments' | 'poster';
  lowCutHz: number;
  highCutHz: number;
  sampleRateHz: number;
  nyquistHz: number;
  effectiveLowHz: number;
  effectiveHighHz: number;
}

/** The first finite number under any key matching `pattern`, searched breadth-first. */
function findNumber(root: unknown, pattern: RegExp): number | undefined {
  const queue: unknown[] = [root];
  while (queue.length > 0) {
    const node = queue.shift();
    if (!isObject(node)) continue;
    for (const [key, value] of Object.entries(node)) {
      if (pattern.test(key) && typeof value === 'number' && Number.isFinite(value)) return value;
    }
    queue.push(...Object.values(node).filter(isObject));
  }
  return undefined;
}

function bandOf(root: unknown): [number, number] | undefined {
  const queue: unknown[] = [root];
  while (queue.length > 0) {
    const node = queue.shift();
    if (!isObject(node)) continue;
    for (const [key, value] of Object.entries(node)) {
      if (
        /band/i.test(key) &&
        Array.isArray(value) &&
        value.length === 2 &&
        value.every((v) => typeof v === 'number')
      ) {
        return [value[0] as number, value[1] as number];
      }
    }
    queue.push(...Object.values(node).filter(isObject));
  }
  return undefined;
}

/** The effective band from tusz-segments metadata (`filter`, `sampleRateHz`, `resample`), else the poster's. */
export function effectiveEegBand(segments: RunMetadata | null, poster: PosterResults): EegBand {
  const nominal = poster.preprocessing.tusz;
  let source: EegBand['source'] = 'poster';
  let [lowCutHz, highCutHz] = nominal.bandpassHz;
  let sampleRateHz = nominal.sampleRateHz;
  if (segments) {
    const filter = segments.filter ?? segments.params?.filter ?? segments.params;
    const band = bandOf(filter);
    const low = band?.[0] ?? findNumber(filter, /^(low(cut)?(hz)?|l_?freq|lowCutHz|highPassHz)$/i);
    const high = band?.[1] ?? findNumber(filter, /^(high(cut)?(hz)?|h_?freq|highCutHz|lowPassHz)$/i);
    const rate =
      (typeof segments.sampleRateHz === 'number' ? segments.sampleRateHz : undefined) ??
      findNumber(
        segments.resample,
        /^(target|out(put)?|to)?(sample)?rate(hz)?$|^(targetRateHz|toHz|outHz)$/i,
      );
    if (low !== undefined && high !== undefined && rate !== undefined) {
      [lowCutHz, highCutHz, sampleRateHz, source] = [low, high, rate, 'tusz-segments'];
    }
  }
  const nyquistHz = sampleRateHz / 2;
  return {
    source,
    lowCutHz,
    highCutHz,
    sampleRateHz,
    nyquistHz,
    effectiveLowHz: lowCutHz,
    effectiveHighHz: Math.min(highCutHz, nyquistHz),
  };
}
