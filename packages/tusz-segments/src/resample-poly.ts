// Polyphase rational resampling written by hand (fili has no resampler; fft.js would give the
// FFT method, which wraps around and is not what scipy's resample_poly does). This reproduces
// scipy 1.10 `resample_poly(x, up, down)` with its defaults: a Kaiser-windowed (β = 5) sinc
// low-pass of 2·10·max(up, down) + 1 taps at cutoff 1/max(up, down) of the Nyquist frequency,
// zero padding outside the signal, output length ceil(n·up/down). Only the kept outputs are
// computed, each as one polyphase dot product.

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
  resample(x: Float64Array): Float64Array;
  /**
   * Two equally long signals at once (same outputs as two `resample` calls): each coefficient is
   * loaded once for both, which measured here 0.6 against 0.9 ns per multiply-add.
   */
  resamplePair(xa: Float64Array, xb: Float64Array): [Float64Array, Float64Array];
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
  // divides the signal's energy by `up`). Each phase is stored reversed, so the inner loop walks the
  // input forwards, and all phases sit in one array (`phaseStart[p]`, `phaseLen[p]`) so the hot loop
  // reads one typed array instead of an array of them.
  const phaseStart = new Int32Array(up);
  const phaseLen = new Int32Array(up);
  let total = 0;
  for (let p = 0; p < up; p++) {
    phaseStart[p] = total;
    phaseLen[p] = Math.max(0, Math.ceil((taps - p) / up));
    total += phaseLen[p];
  }
  const coef = new Float64Array(total);
  for (let p = 0; p < up; p++) {
    const len = phaseLen[p];
    for (let t = 0; t < len; t++) coef[phaseStart[p] + len - 1 - t] = h[p + up * t] * up;
  }
  const outputLength = (n: number): number => Math.ceil((n * up) / down);
  const current = { kStart: 0, xStart: 0, count: 0 };
  // The taps output j uses: coef[kStart + k] · x[xStart + k] for k < count. One reused record, so
  // the hot loop allocates nothing.
  const span = (j: number, nIn: number): typeof current => {
    // Output j is centred on the zero-stuffed input position j·down (scipy's kept slice).
    const c = j * down + halfLen;
    const p = c % up;
    const n0 = (c - p) / up;
    const len = phaseLen[p];
    // Tap t (reversed index len − 1 − t) multiplies x[n0 − t]; keep 0 ≤ n0 − t < nIn.
    const tMin = Math.max(0, n0 - nIn + 1);
    const tMax = Math.min(len - 1, n0);
    current.xStart = n0 - tMax;
    current.kStart = phaseStart[p] + len - 1 - tMax;
    current.count = tMax - tMin + 1;
    return current;
  };
  return {
    up,
    down,
    taps,
    outputLength,
    resample(x: Float64Array): Float64Array {
      const nIn = x.length;
      const nOut = outputLength(nIn);
      const y = new Float64Array(nOut);
      if (up === 1 && down === 1) {
        y.set(x);
        return y;
      }
      for (let j = 0; j < nOut; j++) {
        const { kStart, xStart, count } = span(j, nIn);
        // Four partial sums: one running sum is bound by the latency of each addition. The order
        // of additions differs from scipy's single sum only at rounding level (the golden tests
        // hold it to 1e-9 relative).
        let a0 = 0,
          a1 = 0,
          a2 = 0,
          a3 = 0;
        let k = 0;
        for (; k + 3 < count; k += 4) {
          const kk = kStart + k;
          const xx = xStart + k;
          a0 += coef[kk] * x[xx];
          a1 += coef[kk + 1] * x[xx + 1];
          a2 += coef[kk + 2] * x[xx + 2];
          a3 += coef[kk + 3] * x[xx + 3];
        }
        for (; k < count; k++) a0 += coef[kStart + k] * x[xStart + k];
        y[j] = a0 + a1 + (a2 + a3);
      }
      return y;
    },
    resamplePair(xa: Float64Array, xb: Float64Array): [Float64Array, Float64Array] {
      const nIn = xa.length;
      if (xb.length !== nIn) throw new RangeError(`resamplePair: lengths ${nIn} and ${xb.length} differ`);
      const nOut = outputLength(nIn);
      const ya = new Float64Array(nOut);
      const yb = new Float64Array(nOut);
      if (up === 1 && down === 1) {
        ya.set(xa);
        yb.set(xb);
        return [ya, yb];
      }
      // One output of both signals, any position (edges included).
      const one = (j: number): void => {
        const { kStart, xStart, count } = span(j, nIn);
        let a0 = 0,
          a1 = 0,
          a2 = 0,
          a3 = 0,
          b0 = 0,
          b1 = 0,
          b2 = 0,
          b3 = 0;
        let k = 0;
        for (; k + 3 < count; k += 4) {
          const kk = kStart + k;
          const xx = xStart + k;
          const c0 = coef[kk];
          const c1 = coef[kk + 1];
          const c2 = coef[kk + 2];
          const c3 = coef[kk + 3];
          a0 += c0 * xa[xx];
          b0 += c0 * xb[xx];
          a1 += c1 * xa[xx + 1];
          b1 += c1 * xb[xx + 1];
          a2 += c2 * xa[xx + 2];
          b2 += c2 * xb[xx + 2];
          a3 += c3 * xa[xx + 3];
          b3 += c3 * xb[xx + 3];
        }
        for (; k < count; k++) {
          const c0 = coef[kStart + k];
          a0 += c0 * xa[xStart + k];
          b0 += c0 * xb[xStart + k];
        }
        ya[j] = a0 + a1 + (a2 + a3);
        yb[j] = b0 + b1 + (b2 + b3);
      };
      // Outputs j, j + up, j + 2·up and j + 3·up use the same polyphase branch at inputs `down`
      // apart: away from the edges they go together, so each coefficient is loaded once for eight
      // multiply-adds (4 outputs × 2 signals); measured here 0.54 against 0.9 ns per multiply-add.
      const step = 4 * up;
      for (let jb = 0; jb < nOut; jb += step) {
        for (let r = 0; r < up && jb + r < nOut; r++) {
          const j = jb + r;
          const last = j + 3 * up;
          const p = (j * down + halfLen) % up;
          const len = phaseLen[p];
          if (last < nOut && span(j, nIn).count === len && span(last, nIn).count === len) {
            const { kStart, xStart } = span(j, nIn);
            const x1 = xStart + down;
            const x2 = xStart + 2 * down;
            const x3 = xStart + 3 * down;
            let a0 = 0,
              a1 = 0,
              a2 = 0,
              a3 = 0,
              b0 = 0,
              b1 = 0,
              b2 = 0,
              b3 = 0;
            for (let k = 0; k < len; k++) {
              const h = coef[kStart + k];
              a0 += h * xa[xStart + k];
              a1 += h * xa[x1 + k];
              a2 += h * xa[x2 + k];
              a3 += h * xa[x3 + k];
              b0 += h * xb[xStart + k];
              b1 += h * xb[x1 + k];
              b2 += h * xb[x2 + k];
              b3 += h * xb[x3 + k];
            }
            ya[j] = a0;
            ya[j + up] = a1;
            ya[j + 2 * up] = a2;
            ya[last] = a3;
            yb[j] = b0;
            yb[j + up] = b1;
            yb[j + 2 * up] = b2;
            yb[last] = b3;
          } else {
            for (let q = j; q < nOut && q <= last; q += up) one(q);
          }
        }
      }
      return [ya, yb];
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
