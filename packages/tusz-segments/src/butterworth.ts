import fili from 'fili';
import { InputError } from '@corpus-tune/core';

// Butterworth design comes from `fili`: its cascaded high-pass and low-pass sections equal
// scipy.signal.butter(N, fc, 'highpass'|'lowpass', output='sos') to 1e-12 (measured; also
// test/golden). Two of its traps are handled here: its `order` counts second-order sections
// (scipy order 4 = fili order 2), and it silently clips more than 12 sections. Its `bandpass` is
// not a Butterworth band-pass, so the band is a high-pass cascaded with a low-pass.

/** Second-order sections in scipy's layout: 6 numbers per section, b0 b1 b2 a0 a1 a2 (a0 = 1). */
export type Sos = Float64Array;

export interface BandpassDesign {
  kind: 'butterworth high-pass × low-pass, zero-phase (sosfiltfilt)';
  order: number;
  lowCutHz: number | null;
  highCutHz: number | null;
  sampleRateHz: number;
  sos: number[][];
}

function toSos(sections: { a: number[]; b: number[]; k: number }[]): number[][] {
  return sections.map((s) => [s.b[0] * s.k, s.b[1] * s.k, s.b[2] * s.k, 1, s.a[0], s.a[1]]);
}

/**
 * An order-`order` Butterworth high-pass at `lowCutHz` followed by an order-`order` low-pass at
 * `highCutHz` (either may be null to skip it). Orders must be even: fili builds biquads only.
 */
export function designBandpass(
  order: number,
  lowCutHz: number | null,
  highCutHz: number | null,
  sampleRateHz: number,
): BandpassDesign {
  const nyquistHz = sampleRateHz / 2;
  if (!Number.isInteger(order) || order < 2 || order > 24 || order % 2 !== 0) {
    throw new InputError(
      `filter order ${order} must be an even integer from 2 to 24 (fili designs second-order sections, at most 12)`,
    );
  }
  for (const [name, f] of [
    ['lowCutHz', lowCutHz],
    ['highCutHz', highCutHz],
  ] as const) {
    if (f !== null && !(f > 0 && f < nyquistHz)) {
      throw new InputError(
        `${name} ${f} must be between 0 and the Nyquist frequency (${nyquistHz} Hz at ${sampleRateHz} Hz)`,
      );
    }
  }
  if (lowCutHz !== null && highCutHz !== null && lowCutHz >= highCutHz) {
    throw new InputError(`lowCutHz ${lowCutHz} must be below highCutHz ${highCutHz}`);
  }
  const calc = new fili.CalcCascades();
  const sections = order / 2;
  const sos: number[][] = [];
  if (lowCutHz !== null)
    sos.push(
      ...toSos(
        calc.highpass({ order: sections, characteristic: 'butterworth', Fs: sampleRateHz, Fc: lowCutHz }),
      ),
    );
  if (highCutHz !== null)
    sos.push(
      ...toSos(
        calc.lowpass({ order: sections, characteristic: 'butterworth', Fs: sampleRateHz, Fc: highCutHz }),
      ),
    );
  return {
    kind: 'butterworth high-pass × low-pass, zero-phase (sosfiltfilt)',
    order,
    lowCutHz,
    highCutHz,
    sampleRateHz,
    sos,
  };
}

export function sosArray(sections: readonly (readonly number[])[]): Sos {
  return Float64Array.from(sections.flat());
}
