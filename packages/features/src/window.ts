import type { Taper } from './options.ts';

/**
 * The taper applied to each analysis window, as float64 weights. `hamming` is the symmetric
 * Hamming window 0.54 − 0.46·cos(2πn/(N−1)), n = 0…N−1 (numpy.hamming / scipy `sym=True`);
 * `none` is all ones.
 */
export function taperWeights(taper: Taper, windowSamples: number): Float64Array {
  const w = new Float64Array(windowSamples).fill(1);
  if (taper === 'hamming' && windowSamples > 1) {
    for (let n = 0; n < windowSamples; n++)
      w[n] = 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (windowSamples - 1));
  }
  return w;
}
