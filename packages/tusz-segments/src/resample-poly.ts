// Polyphase rational resampling written by hand (fili has no resampler; fft.js would give the
// FFT method, which wraps around and is not what scipy's resample_poly does). This reproduces
// scipy 1.10 `resample_poly(x, up, down)` with its defaults: a Kaiser-windowed (β = 5) sinc
// low-pass of 2·10·max(up, down) + 1 taps at cutoff 1/max(up, down) of the Nyquist frequency,
// zero padding outside the signal, output length ceil(n·up/down). Only the kept outputs are
// computed, each as one polyphase dot product, in a WebAssembly SIMD kernel (dsp-kernel.wat).

import { createDspKernel } from './dsp-kernel.ts';
import type { DspKernel } from './dsp-kernel.ts';

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges for the βs used). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** scipy.signal.firwin(numTaps, cutoff, window=('kaiser', beta)) for a low-pass, unit DC gain. */
export function firwinKaiser(numTaps: number, cutoff: number, beta: number): Float64Array {
  const h = new Float64Array(numTaps);
  const alpha = (numTaps - 1) / 2;
  const i0Beta = besselI0(beta);
  let sum = 0;
  for (let n = 0; n < numTaps; n++) {
    const m = n - alpha;
    const arg = cutoff * m;
    const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
    const r = (2 * n) / (numTaps - 1) - 1;
    const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    h[n] = cutoff * sinc * w;
    sum += h[n];
  }
  for (let n = 0; n < numTaps; n++) h[n] /= sum;
  return h;
}

export interface Resampler {
  up: number;
  down: number;
  taps: number;
  /** Output length for an input of `n` samples: ceil(n·up/down). */
  outputLength(n: number): number;
  /** The WebAssembly kernel (memory and functions) this resampler runs in. */
  readonly kernel: DspKernel;
  /**
   * A buffer of `length` interleaved sample pairs (2·length values) in the kernel's memory, with room
   * for their outputs: pairs filtered there are resampled without a copy (`resamplePairs`). A later
   * call for a longer length, or resampling longer signals from elsewhere, takes fresh memory and
   * detaches earlier views.
   */
  pairBuffer(length: number): Float64Array;
  resample(x: Float64Array): Float64Array;
  /** Two equally long signals at once (the same outputs as two `resample` calls). */
  resamplePair(xa: Float64Array, xb: Float64Array): [Float64Array, Float64Array];
  /** Both lanes of interleaved `pairs`, a view into `pairBuffer`'s memory. */
  resamplePairs(pairs: Float64Array): [Float64Array, Float64Array];
}

/** A reusable resampler by the reduced ratio up/down (e.g. 256 → 50 Hz is 25/128). */
export function createResampler(upIn: number, downIn: number, kaiserBeta = 5): Resampler {
  if (!Number.isInteger(upIn) || !Number.isInteger(downIn) || upIn < 1 || downIn < 1) {
    throw new RangeError(`up ${upIn} and down ${downIn} must be positive integers`);
  }
  const g = gcd(upIn, downIn);
  const up = upIn / g;
  const down = downIn / g;
  const maxRate = Math.max(up, down);
  const halfLen = 10 * maxRate;
  const h = firwinKaiser(2 * halfLen + 1, 1 / maxRate, kaiserBeta);
  const taps = h.length;
  // Polyphase split: phase p holds h[p], h[p + up], h[p + 2·up], … scaled by `up` (zero stuffing
  // divides the signal's energy by `up`). Each phase is stored reversed, so the kernel walks the
  // input forwards, and all phases sit in one array (`phaseStart[p]`, `phaseLen[p]`).
  const phaseLen = Int32Array.from({ length: up }, (_, p) => Math.max(0, Math.ceil((taps - p) / up)));
  const phaseStart = new Int32Array(up);
  for (let p = 1; p < up; p++) phaseStart[p] = phaseStart[p - 1] + phaseLen[p - 1];
  const total = phaseStart[up - 1] + phaseLen[up - 1];
  const kernel = createDspKernel();
  const { memory, fn } = kernel;
  const coefAt = kernel.alloc(8 * total);
  const phaseStartAt = kernel.alloc(4 * up);
  const phaseLenAt = kernel.alloc(4 * up);
  const coef = new Float64Array(memory.buffer, coefAt, total);
  for (let p = 0; p < up; p++) {
    const len = phaseLen[p];
    for (let t = 0; t < len; t++) coef[phaseStart[p] + len - 1 - t] = h[p + up * t] * up;
  }
  new Int32Array(memory.buffer, phaseStartAt, up).set(phaseStart);
  new Int32Array(memory.buffer, phaseLenAt, up).set(phaseLen);
  const outputLength = (n: number): number => Math.ceil((n * up) / down);
  // The input pairs and their outputs, for signals of up to `capacity` samples.
  let capacity = 0;
  let inAt = 0;
  let outAt = 0;
  const reserve = (length: number): void => {
    if (length <= capacity) return;
    inAt = kernel.alloc(16 * length);
    outAt = kernel.alloc(16 * outputLength(length));
    capacity = length;
  };
  const pairs = (length: number): Float64Array => new Float64Array(memory.buffer, inAt, 2 * length);
  /** Resamples the `nIn` pairs at byte `at`; the outputs de-interleaved. */
  const run = (at: number, nIn: number): [Float64Array, Float64Array] => {
    const nOut = outputLength(nIn);
    if ((nOut - 1) * down + halfLen > 2 ** 31 - 1)
      throw new RangeError(`signal of ${nIn} samples is too long to resample by ${up}/${down} in one piece`);
    fn.resamplePairs(coefAt, phaseStartAt, phaseLenAt, up, down, halfLen, at, nIn, outAt, nOut);
    const y = new Float64Array(memory.buffer, outAt, 2 * nOut);
    const ya = new Float64Array(nOut);
    const yb = new Float64Array(nOut);
    for (let j = 0; j < nOut; j++) {
      ya[j] = y[2 * j];
      yb[j] = y[2 * j + 1];
    }
    return [ya, yb];
  };
  /** Interleaves two signals from anywhere into the input pairs and resamples them. */
  const copyIn = (xa: Float64Array, xb: Float64Array): [Float64Array, Float64Array] => {
    const n = xa.length;
    if (up === 1 && down === 1) return [xa.slice(), xb.slice()];
    // Copies first when they are views of the memory, which growing it would detach.
    const a = xa.buffer === memory.buffer ? xa.slice() : xa;
    const b = xb.buffer === memory.buffer ? xb.slice() : xb;
    reserve(n);
    const v = pairs(n);
    for (let i = 0; i < n; i++) {
      v[2 * i] = a[i];
      v[2 * i + 1] = b[i];
    }
    return run(inAt, n);
  };
  return {
    up,
    down,
    taps,
    outputLength,
    kernel,
    pairBuffer(length: number): Float64Array {
      reserve(length);
      return pairs(length);
    },
    resample(x: Float64Array): Float64Array {
      return copyIn(x, x)[0];
    },
    resamplePair(xa: Float64Array, xb: Float64Array): [Float64Array, Float64Array] {
      if (xb.length !== xa.length)
        throw new RangeError(`resamplePair: lengths ${xa.length} and ${xb.length} differ`);
      return copyIn(xa, xb);
    },
    resamplePairs(v: Float64Array): [Float64Array, Float64Array] {
      if (
        v.buffer !== memory.buffer ||
        v.byteOffset < inAt ||
        v.byteOffset + v.byteLength > inAt + 16 * capacity
      )
        throw new RangeError("resamplePairs: the pairs must lie in this resampler's pairBuffer");
      if (v.length % 2 !== 0) throw new RangeError(`resamplePairs: odd length ${v.length}`);
      if (up === 1 && down === 1) return [v.filter((_, i) => i % 2 === 0), v.filter((_, i) => i % 2 === 1)];
      return run(v.byteOffset, v.length / 2);
    },
  };
}

/** The exact rational ratio from `fromHz` to `toHz` (both must be integers in Hz × 1000). */
export function resampleRatio(fromHz: number, toHz: number): { up: number; down: number } {
  const a = Math.round(fromHz * 1000);
  const b = Math.round(toHz * 1000);
  if (Math.abs(a - fromHz * 1000) > 1e-6 || Math.abs(b - toHz * 1000) > 1e-6 || a <= 0 || b <= 0) {
    throw new RangeError(`cannot form an exact rational ratio from ${fromHz} Hz to ${toHz} Hz`);
  }
  const g = gcd(a, b);
  return { up: b / g, down: a / g };
}

/** One-shot scipy.signal.resample_poly(x, up, down). */
export function resamplePoly(x: Float64Array, up: number, down: number): Float64Array {
  return createResampler(up, down).resample(x);
}
