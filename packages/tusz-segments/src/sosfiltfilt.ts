import type { Sos } from './butterworth.ts';

// Zero-phase filtering written by hand: fili's filtfilt has no edge padding and no steady-state
// initial conditions (against scipy.signal.sosfiltfilt it was off by ~78 µV at the edges and ~4 µV
// inside on a 15 µV-rms signal). This follows scipy 1.10 exactly: odd extension by
// padlen = 3·(2·sections + 1) samples, sosfilt_zi initial conditions scaled by the first sample,
// forward pass, backward pass. Direct form II transposed, float64 throughout.

/** scipy's default padlen for sosfiltfilt. */
export function defaultPadLen(sos: Sos): number {
  const n = sos.length / 6;
  let b2zero = 0;
  let a2zero = 0;
  for (let s = 0; s < n; s++) {
    if (sos[6 * s + 2] === 0) b2zero++;
    if (sos[6 * s + 5] === 0) a2zero++;
  }
  return 3 * (2 * n + 1 - Math.min(b2zero, a2zero));
}

/** Steady-state state of each section for a unit step (scipy.signal.sosfilt_zi), 2 per section. */
export function sosfiltZi(sos: Sos): Float64Array {
  const n = sos.length / 6;
  const zi = new Float64Array(2 * n);
  let scale = 1;
  for (let s = 0; s < n; s++) {
    const [b0, b1, b2, a0, a1, a2] = sos.subarray(6 * s, 6 * s + 6);
    const nb0 = b0 / a0,
      nb1 = b1 / a0,
      nb2 = b2 / a0,
      na1 = a1 / a0,
      na2 = a2 / a0;
    // lfilter_zi: solve (I − companion(a)ᵀ) zi = b[1:] − a[1:]·b0 for a biquad.
    const r0 = nb1 - na1 * nb0;
    const r1 = nb2 - na2 * nb0;
    // [[1 + a1, −1], [a2, 1]] · [z0, z1] = [r0, r1]
    const z0 = (r0 + r1) / (1 + na1 + na2);
    const z1 = r1 - na2 * z0;
    zi[2 * s] = scale * z0;
    zi[2 * s + 1] = scale * z1;
    scale *= (nb0 + nb1 + nb2) / (1 + na1 + na2);
  }
  return zi;
}

/**
 * In-place cascade filter of `x` from index 0 upward, sections starting in states `z`. Two sections
 * run per pass over the data (half the memory traffic of one pass per section).
 */
function sosfiltInPlace(sos: Sos, x: Float64Array, z: Float64Array): void {
  const n = sos.length / 6;
  const len = x.length;
  const coef = (s: number): number[] => {
    const a0 = sos[6 * s + 3];
    return [
      sos[6 * s] / a0,
      sos[6 * s + 1] / a0,
      sos[6 * s + 2] / a0,
      sos[6 * s + 4] / a0,
      sos[6 * s + 5] / a0,
    ];
  };
  let s = 0;
  for (; s + 1 < n; s += 2) {
    const [b0, b1, b2, a1, a2] = coef(s);
    const [c0, c1, c2, d1, d2] = coef(s + 1);
    let z0 = z[2 * s],
      z1 = z[2 * s + 1],
      w0 = z[2 * s + 2],
      w1 = z[2 * s + 3];
    for (let i = 0; i < len; i++) {
      const xi = x[i];
      const y = b0 * xi + z0;
      z0 = b1 * xi - a1 * y + z1;
      z1 = b2 * xi - a2 * y;
      const v = c0 * y + w0;
      w0 = c1 * y - d1 * v + w1;
      w1 = c2 * y - d2 * v;
      x[i] = v;
    }
  }
  if (s < n) {
    const [b0, b1, b2, a1, a2] = coef(s);
    let z0 = z[2 * s],
      z1 = z[2 * s + 1];
    for (let i = 0; i < len; i++) {
      const xi = x[i];
      const y = b0 * xi + z0;
      z0 = b1 * xi - a1 * y + z1;
      z1 = b2 * xi - a2 * y;
      x[i] = y;
    }
  }
}

/** Zero-phase filtered copy of `x` (scipy.signal.sosfiltfilt with padtype 'odd'). */
export function sosfiltfilt(sos: Sos, x: Float64Array, padLen = defaultPadLen(sos)): Float64Array {
  const n = x.length;
  if (n <= padLen) {
    throw new RangeError(
      `signal of ${n} samples is too short for zero-phase filtering (needs more than ${padLen})`,
    );
  }
  const ext = new Float64Array(n + 2 * padLen);
  const first = x[0];
  const last = x[n - 1];
  for (let i = 0; i < padLen; i++) ext[i] = 2 * first - x[padLen - i];
  ext.set(x, padLen);
  for (let j = 0; j < padLen; j++) ext[n + padLen + j] = 2 * last - x[n - 2 - j];
  const zi = sosfiltZi(sos);
  const z = new Float64Array(zi.length);
  const x0 = ext[0];
  for (let i = 0; i < z.length; i++) z[i] = zi[i] * x0;
  sosfiltInPlace(sos, ext, z);
  ext.reverse();
  const y0 = ext[0];
  for (let i = 0; i < z.length; i++) z[i] = zi[i] * y0;
  sosfiltInPlace(sos, ext, z);
  ext.reverse();
  return ext.slice(padLen, padLen + n);
}
