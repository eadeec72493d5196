// Polyphase rational resampling written by hand (fili has no resampler; fft.js would give the
// FFT method, which wraps around and is not what scipy's resample_poly does). This reproduces
// scipy 1.10 `resample_poly(x, up, down)` with its defaults: a Kaiser-windowed (β = 5) sinc
// low-pass of 2·10·max(up, down) + 1 taps at cutoff 1/max(up, down) of the Nyquist frequency,
// zero padding outside the signal, output length ceil(n·up/down). Only the kept outputs are
// computed, each as one polyphase dot product, in a WebAssembly SIMD kernel (resample-kernel.wat).

import { RESAMPLE_KERNEL_WASM_BASE64 } from './resample-kernel-wasm.ts';

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
  /**
   * Two buffers of `length` samples inside the kernel's memory: signals written there (or into
   * subarrays of them) are resampled without being copied in. A later call for a longer length, or
   * resampling longer signals from elsewhere, moves them (the earlier views then read as empty).
   */
  buffers(length: number): [Float64Array, Float64Array];
  resample(x: Float64Array): Float64Array;
  /** Two equally long signals at once (same outputs as two `resample` calls, to rounding). */
  resamplePair(xa: Float64Array, xb: Float64Array): [Float64Array, Float64Array];
}

let kernelModule: WebAssembly.Module | undefined;
interface KernelExports {
  resamplePair(
    coef: number,
    phaseStart: number,
    phaseLen: number,
    up: number,
    down: number,
    halfLen: number,
    xa: number,
    xb: number,
    nIn: number,
    ya: number,
    yb: number,
    nOut: number,
  ): void;
}

const PAGE_BYTES = 65536;
const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

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
  // Kernel memory: coefficients, the two phase tables, then two input slots and two output slots
  // of `capacity` samples (laid out again when a longer signal comes).
  const coefAt = 0;
  const phaseStartAt = align16(8 * total);
  const phaseLenAt = phaseStartAt + 4 * up;
  const inputsAt = align16(phaseLenAt + 4 * up);
  kernelModule ??= new WebAssembly.Module(Buffer.from(RESAMPLE_KERNEL_WASM_BASE64, 'base64'));
  const memory = new WebAssembly.Memory({ initial: Math.ceil(inputsAt / PAGE_BYTES) });
  const kernel = new WebAssembly.Instance(kernelModule, { env: { memory } })
    .exports as unknown as KernelExports;
  const writeTables = (): void => {
    const coef = new Float64Array(memory.buffer, coefAt, total);
    for (let p = 0; p < up; p++) {
      const len = phaseLen[p];
      for (let t = 0; t < len; t++) coef[phaseStart[p] + len - 1 - t] = h[p + up * t] * up;
    }
    new Int32Array(memory.buffer, phaseStartAt, up).set(phaseStart);
    new Int32Array(memory.buffer, phaseLenAt, up).set(phaseLen);
  };
  writeTables();
  const outputLength = (n: number): number => Math.ceil((n * up) / down);
  let capacity = 0;
  const slotAt = (slot: number): number => inputsAt + slot * align16(8 * capacity);
  const outAt = (slot: number): number => slotAt(2) + slot * align16(8 * outputLength(capacity));
  const reserve = (length: number): void => {
    if (length <= capacity) return;
    capacity = length;
    const needed = outAt(2) - memory.buffer.byteLength;
    if (needed > 0) memory.grow(Math.ceil(needed / PAGE_BYTES));
  };
  const slot = (s: number, length: number): Float64Array =>
    new Float64Array(memory.buffer, slotAt(s), length);
  /** Resamples `xa` (and `xb`, or `xa` again when null) in the kernel; returns the outputs' offsets. */
  const run = (xa: Float64Array, xb: Float64Array | null): [number, number] => {
    const nIn = xa.length;
    const nOut = outputLength(nIn);
    if ((nOut - 1) * down + halfLen > 2 ** 31 - 1)
      throw new RangeError(`signal of ${nIn} samples is too long to resample by ${up}/${down} in one piece`);
    const own = (x: Float64Array): boolean => x.buffer === memory.buffer;
    let pa = xa.byteOffset;
    let pb = xb ? xb.byteOffset : pa;
    if (!own(xa) || (xb !== null && !own(xb))) {
      // Copies first: growing the memory detaches views of it.
      const a = own(xa) ? xa.slice() : xa;
      const b = xb && own(xb) ? xb.slice() : xb;
      reserve(nIn);
      slot(0, nIn).set(a);
      pa = pb = slotAt(0);
      if (b) {
        slot(1, nIn).set(b);
        pb = slotAt(1);
      }
    }
    kernel.resamplePair(
      coefAt,
      phaseStartAt,
      phaseLenAt,
      up,
      down,
      halfLen,
      pa,
      pb,
      nIn,
      outAt(0),
      outAt(1),
      nOut,
    );
    return [outAt(0), outAt(1)];
  };
  const output = (at: number, n: number): Float64Array => new Float64Array(memory.buffer, at, n).slice();
  return {
    up,
    down,
    taps,
    outputLength,
    buffers(length: number): [Float64Array, Float64Array] {
      reserve(length);
      return [slot(0, length), slot(1, length)];
    },
    resample(x: Float64Array): Float64Array {
      if (up === 1 && down === 1) return x.slice();
      const [ya] = run(x, null);
      return output(ya, outputLength(x.length));
    },
    resamplePair(xa: Float64Array, xb: Float64Array): [Float64Array, Float64Array] {
      const nIn = xa.length;
      if (xb.length !== nIn) throw new RangeError(`resamplePair: lengths ${nIn} and ${xb.length} differ`);
      if (up === 1 && down === 1) return [xa.slice(), xb.slice()];
      const [ya, yb] = run(xa, xb);
      return [output(ya, outputLength(nIn)), output(yb, outputLength(nIn))];
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
