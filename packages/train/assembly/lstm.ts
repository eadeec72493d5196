// AssemblyScript source of the fused LSTM kernels (src/lstm-fused.ts drives them on the wasm backend)
// and of the SIMD tanh they share with the Tanh kernel. Built to committed bytes by
// bin/build-lstm-kernel.ts; not part of the TypeScript build. Like winograd.ts, the module imports the
// wasm backend's memory (pointers are byte offsets into tfjs's heap) and has no data of its own.
//
// Why: tfjs-layers runs an LSTM as a loop of tensor ops per time step, forward and backward (≈6,000
// kernel calls of ≈13 µs bookkeeping per training step of the #12 LSTM), so the recurrence is bound
// by dispatch, not arithmetic. Here a whole sequence is one call each way.
//
// The cell is tfjs-layers' LSTMCell with its defaults (tanh, hard-sigmoid gates, bias), gates in its
// order i, f, c, o: z = x·K + h·R + b; i, f, o = clip(0.2·z + 0.5, 0, 1); g = tanh(z_c);
// c' = f·c + i·g; h' = o·tanh(c'). Everything is time-major: row (t, b) of every [T, B, ·] array.
// Unit counts must be multiples of 4 (one SIMD vector holds 4 units).

import { gemm } from './gemm';

/**
 * tanh of four lanes, within 1.2e-7 relative of Math.tanh: an odd series below |x| = 0.625,
 * 1 − 2/(e^{2|x|} + 1) above (e^y by range reduction and a degree-7 series, 2|x| capped at 18,
 * where tanh rounds to 1); the sign copied back, so tanh(−0) = −0 and NaN stays NaN.
 */
// @ts-ignore: AssemblyScript's decorator (not TypeScript: prettier and eslint skip this file)
@inline
function tanh4(v: v128): v128 {
  const a = f32x4.abs(v);
  let s = f32x4.mul(a, a);
  let p = f32x4.splat(0.000590027);
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(-0.001455834));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(0.003592128));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(-0.008863236));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(0.021869488));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(-0.053968254));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(0.133333333));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(-0.333333333));
  const small = f32x4.add(a, f32x4.mul(f32x4.mul(a, s), p));
  const y = f32x4.min(f32x4.add(a, a), f32x4.splat(18));
  const k = f32x4.nearest(f32x4.mul(y, f32x4.splat(1.4426950408889634)));
  const r = f32x4.sub(
    f32x4.sub(y, f32x4.mul(k, f32x4.splat(0.693145751953125))),
    f32x4.mul(k, f32x4.splat(1.428606765330187e-6)),
  );
  s = f32x4.splat(0.0001984127);
  s = f32x4.add(f32x4.mul(s, r), f32x4.splat(0.0013888889));
  s = f32x4.add(f32x4.mul(s, r), f32x4.splat(0.008333334));
  s = f32x4.add(f32x4.mul(s, r), f32x4.splat(0.041666668));
  s = f32x4.add(f32x4.mul(s, r), f32x4.splat(0.16666667));
  s = f32x4.add(f32x4.mul(s, r), f32x4.splat(0.5));
  s = f32x4.add(f32x4.mul(s, r), f32x4.splat(1));
  s = f32x4.add(f32x4.mul(s, r), f32x4.splat(1));
  // · 2^k, built in the exponent bits (k ≤ 26)
  s = f32x4.mul(s, i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(k), i32x4.splat(127)), 23));
  const large = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(s, f32x4.splat(1))));
  return v128.bitselect(v, v128.bitselect(small, large, f32x4.lt(a, f32x4.splat(0.625))), i32x4.splat(0x80000000));
}

/** out[i] = tanh(x[i]) for n floats (the Tanh kernel). */
export function tanh(x: usize, out: usize, n: i32): void {
  const end = x + ((<usize>n) << 2);
  const end4 = x + ((<usize>(n & -4)) << 2);
  for (; x < end4; x += 16, out += 16) v128.store(out, tanh4(v128.load(x)));
  for (; x < end; x += 4, out += 4) store<f32>(out, f32x4.extract_lane(tanh4(f32x4.splat(load<f32>(x))), 0));
}

/** dst[cols][rows] = src[rows][cols]ᵀ. */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) store<f32>(dst + ((<usize>c * rows + r) << 2), load<f32>(src + ((<usize>r * cols + c) << 2)));
}

/** dst[b][a][·] = src[a][b][·] for rows of rowFloats floats (batch-major ↔ time-major). */
export function swapLeadingAxes(src: usize, dst: usize, a: i32, b: i32, rowFloats: i32): void {
  const rowBytes = (<usize>rowFloats) << 2;
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++) memory.copy(dst + (<usize>j * a + i) * rowBytes, src + (<usize>i * b + j) * rowBytes, rowBytes);
}

// @ts-ignore: AssemblyScript's decorator
@inline
function clip01(v: v128): v128 {
  return f32x4.max(f32x4.min(v, f32x4.splat(1)), f32x4.splat(0));
}

// The hard sigmoid's slope where tfjs's clipByValue passes the gradient (0 ≤ 0.2·z + 0.5 ≤ 1).
// @ts-ignore: AssemblyScript's decorator
@inline
function hardSlope(linear: v128): v128 {
  const inside = v128.and(f32x4.ge(linear, f32x4.splat(0)), f32x4.le(linear, f32x4.splat(1)));
  return v128.and(f32x4.splat(0.2), inside);
}

/**
 * The forward pass over a whole sequence from zero state. x [T][B][F], kernel [F][4U], recurrent
 * [U][4U], bias [4U]. Writes a [T][B][4U] (for i, f, o the unclipped 0.2·z + 0.5, for c tanh(z): what
 * the backward pass needs), c and h [T][B][U].
 */
export function lstmForward(
  x: usize,
  kernel: usize,
  recurrent: usize,
  bias: usize,
  a: usize,
  c: usize,
  h: usize,
  batch: i32,
  steps: i32,
  features: i32,
  units: i32,
): void {
  const gateBytes = <usize>units << 2;
  const rowBytes = gateBytes * 4;
  const stepGates = <usize>batch * rowBytes;
  const stepUnits = <usize>batch * gateBytes;
  gemm(x, <usize>features << 2, 4, kernel, bias, 0, a, steps * batch, features, 4 * units);
  for (let t = 0; t < steps; t++) {
    const at = a + <usize>t * stepGates;
    const ct = c + <usize>t * stepUnits;
    const ht = h + <usize>t * stepUnits;
    if (t > 0) gemm(ht - stepUnits, gateBytes, 4, recurrent, at, rowBytes, at, batch, units, 4 * units);
    for (let b: usize = 0; b < <usize>batch; b++) {
      const row = at + b * rowBytes;
      for (let u: usize = 0; u < gateBytes; u += 16) {
        const p = row + u;
        const li = f32x4.add(f32x4.splat(0.5), f32x4.mul(f32x4.splat(0.2), v128.load(p)));
        const lf = f32x4.add(f32x4.splat(0.5), f32x4.mul(f32x4.splat(0.2), v128.load(p + gateBytes)));
        const g = tanh4(v128.load(p + 2 * gateBytes));
        const lo = f32x4.add(f32x4.splat(0.5), f32x4.mul(f32x4.splat(0.2), v128.load(p + 3 * gateBytes)));
        v128.store(p, li);
        v128.store(p + gateBytes, lf);
        v128.store(p + 2 * gateBytes, g);
        v128.store(p + 3 * gateBytes, lo);
        const q = b * gateBytes + u;
        const previous = t > 0 ? v128.load(ct - stepUnits + q) : f32x4.splat(0);
        const cell = f32x4.add(f32x4.mul(clip01(lf), previous), f32x4.mul(clip01(li), g));
        v128.store(ct + q, cell);
        v128.store(ht + q, f32x4.mul(clip01(lo), tanh4(cell)));
      }
    }
  }
}

/**
 * The backward pass (through time) of lstmForward. dOut is the gradient of every h ([T][B][U], when
 * sequences ≠ 0) or of the last one only ([B][U]); kernelT [4U][F] and recurrentT [4U][U] are the
 * weights transposed. Writes dz [T][B][4U] (the pre-activation gradients), dx [T][B][F], dKernel,
 * dRecurrent, dBias; state holds 2·B·U floats.
 */
export function lstmBackward(
  x: usize,
  kernelT: usize,
  recurrentT: usize,
  a: usize,
  c: usize,
  h: usize,
  dOut: usize,
  sequences: i32,
  dz: usize,
  dx: usize,
  dKernel: usize,
  dRecurrent: usize,
  dBias: usize,
  state: usize,
  batch: i32,
  steps: i32,
  features: i32,
  units: i32,
): void {
  const gateBytes = <usize>units << 2;
  const rowBytes = gateBytes * 4;
  const stepGates = <usize>batch * rowBytes;
  const stepUnits = <usize>batch * gateBytes;
  const dhNext = state;
  const dcNext = state + stepUnits;
  memory.fill(state, 0, 2 * stepUnits);
  for (let t = steps - 1; t >= 0; t--) {
    const at = a + <usize>t * stepGates;
    const ct = c + <usize>t * stepUnits;
    const dzt = dz + <usize>t * stepGates;
    const outGrad = sequences ? dOut + <usize>t * stepUnits : t === steps - 1 ? dOut : 0;
    for (let b: usize = 0; b < <usize>batch; b++) {
      const row = at + b * rowBytes;
      const dRow = dzt + b * rowBytes;
      for (let u: usize = 0; u < gateBytes; u += 16) {
        const p = row + u;
        const q = b * gateBytes + u;
        let dh = v128.load(dhNext + q);
        if (outGrad) dh = f32x4.add(dh, v128.load(outGrad + q));
        const li = v128.load(p);
        const lf = v128.load(p + gateBytes);
        const g = v128.load(p + 2 * gateBytes);
        const lo = v128.load(p + 3 * gateBytes);
        const tc = tanh4(v128.load(ct + q));
        const o = clip01(lo);
        const dc = f32x4.add(
          v128.load(dcNext + q),
          f32x4.mul(f32x4.mul(dh, o), f32x4.sub(f32x4.splat(1), f32x4.mul(tc, tc))),
        );
        const previous = t > 0 ? v128.load(ct - stepUnits + q) : f32x4.splat(0);
        v128.store(dcNext + q, f32x4.mul(dc, clip01(lf)));
        v128.store(dRow + u, f32x4.mul(f32x4.mul(dc, g), hardSlope(li)));
        v128.store(dRow + u + gateBytes, f32x4.mul(f32x4.mul(dc, previous), hardSlope(lf)));
        v128.store(
          dRow + u + 2 * gateBytes,
          f32x4.mul(f32x4.mul(dc, clip01(li)), f32x4.sub(f32x4.splat(1), f32x4.mul(g, g))),
        );
        v128.store(dRow + u + 3 * gateBytes, f32x4.mul(f32x4.mul(dh, tc), hardSlope(lo)));
      }
    }
    // The gradient of h(t − 1) through the recurrence.
    if (t > 0) gemm(dzt, rowBytes, 4, recurrentT, 0, 0, dhNext, batch, 4 * units, units);
  }
  const rows = steps * batch;
  gemm(x, 4, <usize>features << 2, dz, 0, 0, dKernel, features, rows, 4 * units);
  if (steps > 1) gemm(h, 4, gateBytes, dz + stepGates, 0, 0, dRecurrent, units, rows - batch, 4 * units);
  else memory.fill(dRecurrent, 0, <usize>units * rowBytes);
  memory.fill(dBias, 0, rowBytes);
  for (let r = 0; r < rows; r++) {
    const dRow = dz + <usize>r * rowBytes;
    for (let u: usize = 0; u < rowBytes; u += 16) v128.store(dBias + u, f32x4.add(v128.load(dBias + u), v128.load(dRow + u)));
  }
  gemm(dz, rowBytes, 4, kernelT, 0, 0, dx, rows, 4 * units, features);
}
