import type { Sos } from './butterworth.ts';
import type { DspKernel } from './dsp-kernel.ts';

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

/** Section `s` of `sos` normalised by a0: b0 b1 b2 a1 a2. */
function coefficients(sos: Sos, s: number): [number, number, number, number, number] {
  const a0 = sos[6 * s + 3];
  return [
    sos[6 * s] / a0,
    sos[6 * s + 1] / a0,
    sos[6 * s + 2] / a0,
    sos[6 * s + 4] / a0,
    sos[6 * s + 5] / a0,
  ];
}

/**
 * In-place cascade over `x[from]`, `x[from + step]`, … up to (not including) `x[to]`, with `step`
 * +1 (forward) or −1 (backward, which spares reversing the buffer twice), sections starting in
 * states `z`. Four sections run per pass over the data: their recurrences overlap in the CPU and the
 * samples are loaded and stored once (measured here: 4.4 ns per sample for 4 sections fused against
 * 7 ns as two passes of two).
 */
function cascadeInPlace(
  sos: Sos,
  x: Float64Array,
  from: number,
  to: number,
  step: 1 | -1,
  z: Float64Array,
): void {
  const n = sos.length / 6;
  let s = 0;
  for (; s + 3 < n; s += 4) {
    const [b0, b1, b2, a1, a2] = coefficients(sos, s);
    const [c0, c1, c2, d1, d2] = coefficients(sos, s + 1);
    const [e0, e1, e2, f1, f2] = coefficients(sos, s + 2);
    const [g0, g1, g2, h1, h2] = coefficients(sos, s + 3);
    let z0 = z[2 * s],
      z1 = z[2 * s + 1],
      w0 = z[2 * s + 2],
      w1 = z[2 * s + 3],
      u0 = z[2 * s + 4],
      u1 = z[2 * s + 5],
      q0 = z[2 * s + 6],
      q1 = z[2 * s + 7];
    for (let i = from; i !== to; i += step) {
      const xi = x[i];
      const y = b0 * xi + z0;
      z0 = b1 * xi - a1 * y + z1;
      z1 = b2 * xi - a2 * y;
      const v = c0 * y + w0;
      w0 = c1 * y - d1 * v + w1;
      w1 = c2 * y - d2 * v;
      const t = e0 * v + u0;
      u0 = e1 * v - f1 * t + u1;
      u1 = e2 * v - f2 * t;
      const o = g0 * t + q0;
      q0 = g1 * t - h1 * o + q1;
      q1 = g2 * t - h2 * o;
      x[i] = o;
    }
  }
  for (; s < n; s++) {
    const [b0, b1, b2, a1, a2] = coefficients(sos, s);
    let z0 = z[2 * s],
      z1 = z[2 * s + 1];
    for (let i = from; i !== to; i += step) {
      const xi = x[i];
      const y = b0 * xi + z0;
      z0 = b1 * xi - a1 * y + z1;
      z1 = b2 * xi - a2 * y;
      x[i] = y;
    }
  }
}

/**
 * Zero-phase filtering in place: `ext` holds the signal at `[padLen, padLen + n)`; the odd extension
 * is written into the `padLen` samples either side, and on return `[padLen, padLen + n)` holds
 * scipy.signal.sosfiltfilt's output (the pads hold filter residue). Lets a caller decode straight into
 * one reused buffer instead of allocating and copying per channel.
 */
export function sosfiltfiltPadded(sos: Sos, ext: Float64Array, n: number, padLen = defaultPadLen(sos)): void {
  if (n <= padLen) {
    throw new RangeError(
      `signal of ${n} samples is too short for zero-phase filtering (needs more than ${padLen})`,
    );
  }
  if (ext.length < n + 2 * padLen)
    throw new RangeError(`buffer of ${ext.length} samples cannot hold ${n} samples with ${padLen} padding`);
  const first = ext[padLen];
  const last = ext[padLen + n - 1];
  for (let i = 0; i < padLen; i++) ext[i] = 2 * first - ext[2 * padLen - i];
  for (let j = 0; j < padLen; j++) ext[n + padLen + j] = 2 * last - ext[n + padLen - 2 - j];
  const end = n + 2 * padLen;
  const zi = sosfiltZi(sos);
  const z = new Float64Array(zi.length);
  const x0 = ext[0];
  for (let i = 0; i < z.length; i++) z[i] = zi[i] * x0;
  cascadeInPlace(sos, ext, 0, end, 1, z);
  const y0 = ext[end - 1];
  for (let i = 0; i < z.length; i++) z[i] = zi[i] * y0;
  cascadeInPlace(sos, ext, end - 1, -1, -1, z);
}

/**
 * sosfiltfiltPadded for two signals at once, interleaved in a kernel's memory (`pairs[2·i + lane]`,
 * the signals at pair indices [padLen, padLen + n)), run by the WebAssembly cascade with both lanes
 * in one f64x2: per lane the same operations in the same order as sosfiltfiltPadded.
 */
export function sosfiltfiltPairs(
  kernel: DspKernel,
  sos: Sos,
  pairs: Float64Array,
  n: number,
  padLen = defaultPadLen(sos),
): void {
  if (n <= padLen) {
    throw new RangeError(
      `signal of ${n} samples is too short for zero-phase filtering (needs more than ${padLen})`,
    );
  }
  if (pairs.length < 2 * (n + 2 * padLen) || pairs.buffer !== kernel.memory.buffer)
    throw new RangeError(
      `the pairs must lie in the kernel's memory with room for ${n} + 2·${padLen} samples`,
    );
  const sections = sos.length / 6;
  // The kernel's 1-KiB scratch holds the coefficients (5 f64) and states (2 f64x2) of each section.
  if (sections > 12) throw new RangeError(`${sections} sections; the kernel takes at most 12`);
  for (let lane = 0; lane < 2; lane++) {
    const first = pairs[2 * padLen + lane];
    const last = pairs[2 * (padLen + n - 1) + lane];
    for (let i = 0; i < padLen; i++) pairs[2 * i + lane] = 2 * first - pairs[2 * (2 * padLen - i) + lane];
    for (let j = 0; j < padLen; j++)
      pairs[2 * (n + padLen + j) + lane] = 2 * last - pairs[2 * (n + padLen - 2 - j) + lane];
  }
  const coefAt = kernel.scratch;
  const statesAt = kernel.scratch + 512;
  const coef = new Float64Array(kernel.memory.buffer, coefAt, 5 * sections);
  for (let s = 0; s < sections; s++) coef.set(coefficients(sos, s), 5 * s);
  const states = new Float64Array(kernel.memory.buffer, statesAt, 4 * sections);
  const zi = sosfiltZi(sos);
  const startFrom = (i: number): void => {
    for (let lane = 0; lane < 2; lane++) {
      const x0 = pairs[2 * i + lane];
      for (let s = 0; s < sections; s++) {
        states[4 * s + lane] = zi[2 * s] * x0;
        states[4 * s + 2 + lane] = zi[2 * s + 1] * x0;
      }
    }
  };
  const pass = (from: number, to: number, step: 1 | -1): void => {
    const at = (i: number): number => pairs.byteOffset + 16 * i;
    let s = 0;
    for (; s + 3 < sections; s += 4)
      kernel.fn.cascade4(coefAt + 40 * s, statesAt + 32 * s, at(from), at(to), 16 * step);
    for (; s < sections; s++)
      kernel.fn.cascade1(coefAt + 40 * s, statesAt + 32 * s, at(from), at(to), 16 * step);
  };
  const end = n + 2 * padLen;
  startFrom(0);
  pass(0, end, 1);
  startFrom(end - 1);
  pass(end - 1, -1, -1);
}

/** Zero-phase filtered copy of `x` (scipy.signal.sosfiltfilt with padtype 'odd'). */
export function sosfiltfilt(sos: Sos, x: Float64Array, padLen = defaultPadLen(sos)): Float64Array {
  const n = x.length;
  const ext = new Float64Array(n + 2 * padLen);
  ext.set(x, padLen);
  sosfiltfiltPadded(sos, ext, n, padLen);
  return ext.slice(padLen, padLen + n);
}
