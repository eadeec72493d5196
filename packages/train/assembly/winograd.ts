// AssemblyScript source of the Winograd convolution kernels for 5×5 filters, stride 1 (src/winograd.ts
// drives them as tfjs kernels on the wasm backend). Built to committed bytes by
// bin/build-winograd-kernel.ts; not part of the TypeScript build. The module imports the wasm backend's
// memory: every pointer is a byte offset into tfjs's heap, and the module has no data of its own.
//
// Why: XNNPACK's direct convolution already runs near the 128-bit, FMA-less peak of WebAssembly SIMD,
// so CNN-M's 5×5 layers can only get faster by doing fewer multiplications. Winograd's minimal
// filtering (Lavin & Gray 2016) computes a 2×2 output tile of a 5×5 filter from a 6×6 input tile with
// 36 multiplications per channel pair instead of 100, as 36 independent matrix products over channels:
//   forward / input gradient, F(2×2, 5×5):  Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A
//   filter gradient, F(5×5, 2×2):           dW = A₅ᵀ [Σ_tiles (G₂ dy G₂ᵀ) ⊙ (Bᵀ d B)] A₅
// with the interpolation points 0, ±1, ±2, ∞ for both (they share Bᵀ). The matrices were solved
// exactly (rationals) from those points; test/winograd.test.ts checks every kernel against tfjs's CPU
// backend. Channels run 4 to a SIMD vector, so both channel counts must be multiples of 4.
//
// NHWC throughout. Tiles are enumerated image by image, row by row, and processed in blocks of
// `blockTiles`, so a block's transformed tiles stay in cache between the transform and the products.

import { gemm } from './gemm';

const ZERO: v128 = f32x4.splat(0);
const VEC: usize = 16;

/** Bᵀ·(d0..d5): the data transform, its six outputs stored `stride` bytes apart from `dst`. */
// @ts-ignore: AssemblyScript's decorator (not TypeScript: prettier and eslint skip this file)
@inline
function dataTransform(
  d0: v128,
  d1: v128,
  d2: v128,
  d3: v128,
  d4: v128,
  d5: v128,
  dst: usize,
  stride: usize,
): void {
  const four = f32x4.splat(4);
  const two = f32x4.splat(2);
  const five = f32x4.splat(5);
  const d34 = f32x4.add(d3, d4);
  const d12 = f32x4.add(d1, d2);
  const d4m3 = f32x4.sub(d4, d3);
  const d1m2 = f32x4.sub(d1, d2);
  const d4m2 = f32x4.sub(d4, d2);
  const d3m1 = f32x4.mul(two, f32x4.sub(d3, d1));
  v128.store(dst, f32x4.add(f32x4.sub(f32x4.mul(four, d0), f32x4.mul(five, d2)), d4));
  v128.store(dst + stride, f32x4.sub(d34, f32x4.mul(four, d12)));
  v128.store(dst + 2 * stride, f32x4.add(d4m3, f32x4.mul(four, d1m2)));
  v128.store(dst + 3 * stride, f32x4.add(d4m2, d3m1));
  v128.store(dst + 4 * stride, f32x4.sub(d4m2, d3m1));
  v128.store(dst + 5 * stride, f32x4.add(f32x4.sub(f32x4.mul(four, d1), f32x4.mul(five, d3)), d5));
}

/** G·(g0..g4) for a 5-tap filter. */
// @ts-ignore: AssemblyScript's decorator (not TypeScript: prettier and eslint skip this file)
@inline
function filterTaps(g0: v128, g1: v128, g2: v128, g3: v128, g4: v128, dst: usize, stride: usize): void {
  const even = f32x4.add(f32x4.add(g0, g2), g4);
  const odd = f32x4.add(g1, g3);
  const sixth = f32x4.splat(<f32>(-1.0 / 6.0));
  // g0/24 + g2/6 + 2·g4/3 and g1/12 + g3/3
  const e = f32x4.add(
    f32x4.add(f32x4.mul(f32x4.splat(<f32>(1.0 / 24.0)), g0), f32x4.mul(f32x4.splat(<f32>(1.0 / 6.0)), g2)),
    f32x4.mul(f32x4.splat(<f32>(2.0 / 3.0)), g4),
  );
  const o = f32x4.add(
    f32x4.mul(f32x4.splat(<f32>(1.0 / 12.0)), g1),
    f32x4.mul(f32x4.splat(<f32>(1.0 / 3.0)), g3),
  );
  v128.store(dst, f32x4.mul(f32x4.splat(0.25), g0));
  v128.store(dst + stride, f32x4.mul(sixth, f32x4.add(even, odd)));
  v128.store(dst + 2 * stride, f32x4.mul(sixth, f32x4.sub(even, odd)));
  v128.store(dst + 3 * stride, f32x4.add(e, o));
  v128.store(dst + 4 * stride, f32x4.sub(e, o));
  v128.store(dst + 5 * stride, g4);
}

/** G₂·(e0, e1) for a 2-tap "filter" (an output-gradient tile). */
// @ts-ignore: AssemblyScript's decorator (not TypeScript: prettier and eslint skip this file)
@inline
function gradientTaps(e0: v128, e1: v128, dst: usize, stride: usize): void {
  const sixth = f32x4.splat(<f32>(1.0 / 6.0));
  const a = f32x4.mul(f32x4.splat(<f32>(1.0 / 24.0)), e0);
  const b = f32x4.mul(f32x4.splat(<f32>(1.0 / 12.0)), e1);
  v128.store(dst, f32x4.mul(f32x4.splat(0.25), e0));
  v128.store(dst + stride, f32x4.mul(f32x4.neg(sixth), f32x4.add(e0, e1)));
  v128.store(dst + 2 * stride, f32x4.mul(sixth, f32x4.sub(e1, e0)));
  v128.store(dst + 3 * stride, f32x4.add(a, b));
  v128.store(dst + 4 * stride, f32x4.sub(a, b));
  v128.store(dst + 5 * stride, e1);
}

/** The six vectors at p, p + stride, …, p + 5·stride. */
// @ts-ignore: AssemblyScript's decorator (not TypeScript: prettier and eslint skip this file)
@inline
function dataTransformAt(p: usize, stride: usize, dst: usize, dstStride: usize): void {
  dataTransform(
    v128.load(p),
    v128.load(p + stride),
    v128.load(p + 2 * stride),
    v128.load(p + 3 * stride),
    v128.load(p + 4 * stride),
    v128.load(p + 5 * stride),
    dst,
    dstStride,
  );
}

/**
 * Bᵀ d B for one 6×6 input tile whose top-left pixel is (row0, col0) of image `image` (zero outside the
 * image), all channels: V[ξ][·][c] at v + ξ·xiBytes + 4c. `tmp` holds 36 vectors.
 */
function inputTile(
  x: usize,
  image: i32,
  row0: i32,
  col0: i32,
  inH: i32,
  inW: i32,
  cin: i32,
  v: usize,
  xiBytes: usize,
  tmp: usize,
): void {
  const pixBytes = (<usize>cin) << 2;
  const rowBytes = <usize>inW * pixBytes;
  const inside = row0 >= 0 && col0 >= 0 && row0 + 6 <= inH && col0 + 6 <= inW;
  const origin = x + (<usize>image * <usize>inH + <usize>row0) * rowBytes + <usize>col0 * pixBytes;
  for (let c: usize = 0; c < pixBytes; c += VEC) {
    // Bᵀ on each column, into tmp[a][s].
    for (let s = 0; s < 6; s++) {
      const p = origin + <usize>s * pixBytes + c;
      if (inside) dataTransformAt(p, rowBytes, tmp + <usize>s * VEC, 6 * VEC);
      else {
        const colOk = col0 + s >= 0 && col0 + s < inW;
        let d0 = ZERO,
          d1 = ZERO,
          d2 = ZERO,
          d3 = ZERO,
          d4 = ZERO,
          d5 = ZERO;
        if (colOk) {
          if (row0 >= 0 && row0 < inH) d0 = v128.load(p);
          if (row0 + 1 >= 0 && row0 + 1 < inH) d1 = v128.load(p + rowBytes);
          if (row0 + 2 >= 0 && row0 + 2 < inH) d2 = v128.load(p + 2 * rowBytes);
          if (row0 + 3 >= 0 && row0 + 3 < inH) d3 = v128.load(p + 3 * rowBytes);
          if (row0 + 4 >= 0 && row0 + 4 < inH) d4 = v128.load(p + 4 * rowBytes);
          if (row0 + 5 >= 0 && row0 + 5 < inH) d5 = v128.load(p + 5 * rowBytes);
        }
        dataTransform(d0, d1, d2, d3, d4, d5, tmp + <usize>s * VEC, 6 * VEC);
      }
    }
    // Bᵀ on each row of tmp, into V[6a + b].
    for (let a: usize = 0; a < 6; a++)
      dataTransformAt(tmp + a * 6 * VEC, VEC, v + a * 6 * xiBytes + c, xiBytes);
  }
}

/** The image of tile t, in a grid of tilesH × tilesW tiles per image. */
// @ts-ignore: AssemblyScript's decorator (not TypeScript: prettier and eslint skip this file)
@inline
function tileImage(t: i32, tilesH: i32, tilesW: i32): i32 {
  return t / (tilesH * tilesW);
}

/**
 * U[ξ][c][o] = (G g Gᵀ)[ξ] for a filter g[5][5][cin][cout] (cout a multiple of 4); tmp holds 30 vectors.
 */
export function filterTransform(g: usize, u: usize, cin: i32, cout: i32, tmp: usize): void {
  const oBytes = (<usize>cout) << 2;
  const tapBytes = <usize>cin * oBytes;
  const xiBytes = tapBytes; // U[ξ] is cin × cout, like one tap of g
  for (let c: usize = 0; c < <usize>cin; c++) {
    for (let o: usize = 0; o < oBytes; o += VEC) {
      const p = g + c * oBytes + o;
      // G on each column j of g (taps i = 0..4 are 5·tapBytes apart), into tmp[a][j].
      for (let j: usize = 0; j < 5; j++) {
        const q = p + j * tapBytes;
        const rowStride = 5 * tapBytes;
        filterTaps(
          v128.load(q),
          v128.load(q + rowStride),
          v128.load(q + 2 * rowStride),
          v128.load(q + 3 * rowStride),
          v128.load(q + 4 * rowStride),
          tmp + j * VEC,
          5 * VEC,
        );
      }
      // G on each row a of tmp, into U[6a + b].
      for (let a: usize = 0; a < 6; a++) {
        const q = tmp + a * 5 * VEC;
        filterTaps(
          v128.load(q),
          v128.load(q + VEC),
          v128.load(q + 2 * VEC),
          v128.load(q + 3 * VEC),
          v128.load(q + 4 * VEC),
          u + a * 6 * xiBytes + c * oBytes + o,
          xiBytes,
        );
      }
    }
  }
}

/**
 * y[batch][outH][outW][cout] = the stride-1 correlation of x[batch][inH][inW][cin] with the filter
 * whose transform is u (filterTransform), input row r of output row i being i + r − padTop (zero
 * outside). scratch: 36·blockTiles·(cin + cout) + 36 vectors' floats.
 */
export function conv(
  x: usize,
  u: usize,
  y: usize,
  scratch: usize,
  batch: i32,
  inH: i32,
  inW: i32,
  cin: i32,
  outH: i32,
  outW: i32,
  cout: i32,
  padTop: i32,
  padLeft: i32,
  blockTiles: i32,
): void {
  const tilesH = (outH + 1) >> 1;
  const tilesW = (outW + 1) >> 1;
  const tiles = batch * tilesH * tilesW;
  const inBytes = (<usize>cin) << 2;
  const outBytes = (<usize>cout) << 2;
  const vXi = <usize>blockTiles * inBytes;
  const mXi = <usize>blockTiles * outBytes;
  const v = scratch;
  const m = v + 36 * vXi;
  const tmp = m + 36 * mXi;
  const outRowBytes = <usize>outW * outBytes;
  for (let t0 = 0; t0 < tiles; t0 += blockTiles) {
    const count = min(blockTiles, tiles - t0);
    for (let q = 0; q < count; q++) {
      const t = t0 + q;
      const image = tileImage(t, tilesH, tilesW);
      const inImage = t - image * tilesH * tilesW;
      const ty = inImage / tilesW;
      const tx = inImage - ty * tilesW;
      inputTile(x, image, 2 * ty - padTop, 2 * tx - padLeft, inH, inW, cin, v + <usize>q * inBytes, vXi, tmp);
    }
    for (let xi: usize = 0; xi < 36; xi++)
      gemm(v + xi * vXi, inBytes, 4, u + xi * <usize>cin * outBytes, 0, 0, m + xi * mXi, count, cin, cout);
    for (let q = 0; q < count; q++) {
      const t = t0 + q;
      const image = tileImage(t, tilesH, tilesW);
      const inImage = t - image * tilesH * tilesW;
      const ty = inImage / tilesW;
      const tx = inImage - ty * tilesW;
      const rows = min(2, outH - 2 * ty);
      const cols = min(2, outW - 2 * tx);
      const tileOut =
        y + (<usize>image * <usize>outH + <usize>(2 * ty)) * outRowBytes + <usize>(2 * tx) * outBytes;
      for (let o: usize = 0; o < outBytes; o += VEC) {
        const p = m + <usize>q * outBytes + o;
        // Aᵀ on each row a of M (ξ = 6a + b), into tmp[a][0..1].
        for (let a: usize = 0; a < 6; a++) {
          const r = p + a * 6 * mXi;
          const m1 = v128.load(r + mXi);
          const m2 = v128.load(r + 2 * mXi);
          const m3 = v128.load(r + 3 * mXi);
          const m4 = v128.load(r + 4 * mXi);
          v128.store(
            tmp + a * 2 * VEC,
            f32x4.add(f32x4.add(v128.load(r), f32x4.add(m1, m2)), f32x4.add(m3, m4)),
          );
          v128.store(
            tmp + a * 2 * VEC + VEC,
            f32x4.add(
              f32x4.add(f32x4.sub(m1, m2), f32x4.mul(f32x4.splat(2), f32x4.sub(m3, m4))),
              v128.load(r + 5 * mXi),
            ),
          );
        }
        // Aᵀ on each column j of tmp: output pixel (i, j).
        for (let j = 0; j < cols; j++) {
          const r = tmp + <usize>j * VEC;
          const m1 = v128.load(r + 2 * VEC);
          const m2 = v128.load(r + 4 * VEC);
          const m3 = v128.load(r + 6 * VEC);
          const m4 = v128.load(r + 8 * VEC);
          const pixel = tileOut + <usize>j * outBytes + o;
          v128.store(pixel, f32x4.add(f32x4.add(v128.load(r), f32x4.add(m1, m2)), f32x4.add(m3, m4)));
          if (rows > 1)
            v128.store(
              pixel + outRowBytes,
              f32x4.add(
                f32x4.add(f32x4.sub(m1, m2), f32x4.mul(f32x4.splat(2), f32x4.sub(m3, m4))),
                v128.load(r + 10 * VEC),
              ),
            );
        }
      }
    }
  }
}

/**
 * dw[5][5][cin][cout] = Σ_{n,i,j} x[n][i + r − padTop][j + s − padLeft][c] · dy[n][i][j][o] (the filter
 * gradient of `conv`), x zero outside. scratch: 36·blockTiles·(cin + cout) + 36·cin·cout + 36
 * vectors' floats.
 */
export function filterGradient(
  x: usize,
  dy: usize,
  dw: usize,
  scratch: usize,
  batch: i32,
  inH: i32,
  inW: i32,
  cin: i32,
  outH: i32,
  outW: i32,
  cout: i32,
  padTop: i32,
  padLeft: i32,
  blockTiles: i32,
): void {
  const tilesH = (outH + 1) >> 1;
  const tilesW = (outW + 1) >> 1;
  const tiles = batch * tilesH * tilesW;
  const inBytes = (<usize>cin) << 2;
  const outBytes = (<usize>cout) << 2;
  const vXi = <usize>blockTiles * inBytes;
  const dXi = <usize>blockTiles * outBytes;
  const mXi = <usize>cin * outBytes;
  const v = scratch;
  const d = v + 36 * vXi;
  const m = d + 36 * dXi;
  const tmp = m + 36 * mXi;
  memory.fill(m, 0, 36 * mXi);
  const dyRowBytes = <usize>outW * outBytes;
  for (let t0 = 0; t0 < tiles; t0 += blockTiles) {
    const count = min(blockTiles, tiles - t0);
    for (let q = 0; q < count; q++) {
      const t = t0 + q;
      const image = tileImage(t, tilesH, tilesW);
      const inImage = t - image * tilesH * tilesW;
      const ty = inImage / tilesW;
      const tx = inImage - ty * tilesW;
      inputTile(x, image, 2 * ty - padTop, 2 * tx - padLeft, inH, inW, cin, v + <usize>q * inBytes, vXi, tmp);
      const rows = min(2, outH - 2 * ty);
      const cols = min(2, outW - 2 * tx);
      const tileDy =
        dy + (<usize>image * <usize>outH + <usize>(2 * ty)) * dyRowBytes + <usize>(2 * tx) * outBytes;
      for (let o: usize = 0; o < outBytes; o += VEC) {
        const p = tileDy + o;
        const e00 = v128.load(p);
        const e01 = cols > 1 ? v128.load(p + outBytes) : ZERO;
        const e10 = rows > 1 ? v128.load(p + dyRowBytes) : ZERO;
        const e11 = rows > 1 && cols > 1 ? v128.load(p + dyRowBytes + outBytes) : ZERO;
        // G₂ on each column, into tmp[a][0..1]; then G₂ on each row of tmp, into D[6a + b].
        gradientTaps(e00, e10, tmp, 2 * VEC);
        gradientTaps(e01, e11, tmp + VEC, 2 * VEC);
        for (let a: usize = 0; a < 6; a++)
          gradientTaps(
            v128.load(tmp + a * 2 * VEC),
            v128.load(tmp + a * 2 * VEC + VEC),
            d + a * 6 * dXi + <usize>q * outBytes + o,
            dXi,
          );
      }
    }
    // M[ξ] (cin × cout) += V[ξ]ᵀ · D[ξ] over the block's tiles.
    for (let xi: usize = 0; xi < 36; xi++) {
      const mx = m + xi * mXi;
      gemm(v + xi * vXi, 4, inBytes, d + xi * dXi, mx, outBytes, mx, cin, count, cout);
    }
  }
  // dw = A₅ᵀ M A₅ for every (c, o).
  const tapBytes = <usize>cin * outBytes;
  for (let c: usize = 0; c < <usize>cin; c++) {
    for (let o: usize = 0; o < outBytes; o += VEC) {
      const p = m + c * outBytes + o;
      for (let a: usize = 0; a < 6; a++) outputTaps5At(p + a * 6 * mXi, mXi, tmp + a * 5 * VEC, VEC);
      for (let j: usize = 0; j < 5; j++)
        outputTaps5At(tmp + j * VEC, 5 * VEC, dw + j * tapBytes + c * outBytes + o, 5 * tapBytes);
    }
  }
}

/** A₅ᵀ·(m0..m5) for the six vectors at p, p + stride, …: five outputs stored `dstStride` apart. */
// @ts-ignore: AssemblyScript's decorator (not TypeScript: prettier and eslint skip this file)
@inline
function outputTaps5At(p: usize, stride: usize, dst: usize, dstStride: usize): void {
  const m0 = v128.load(p);
  const m1 = v128.load(p + stride);
  const m2 = v128.load(p + 2 * stride);
  const m3 = v128.load(p + 3 * stride);
  const m4 = v128.load(p + 4 * stride);
  const m5 = v128.load(p + 5 * stride);
  const s12 = f32x4.add(m1, m2);
  const d12 = f32x4.sub(m1, m2);
  const s34 = f32x4.add(m3, m4);
  const d34 = f32x4.sub(m3, m4);
  v128.store(dst, f32x4.add(f32x4.add(m0, s12), s34));
  v128.store(dst + dstStride, f32x4.add(d12, f32x4.mul(f32x4.splat(2), d34)));
  v128.store(dst + 2 * dstStride, f32x4.add(s12, f32x4.mul(f32x4.splat(4), s34)));
  v128.store(dst + 3 * dstStride, f32x4.add(d12, f32x4.mul(f32x4.splat(8), d34)));
  v128.store(dst + 4 * dstStride, f32x4.add(f32x4.add(s12, f32x4.mul(f32x4.splat(16), s34)), m5));
}

/**
 * dst[pixels][wide] = src[pixels][narrow], the extra channels left as they are: an input whose channel
 * count is not a multiple of 4 (an RGB image) widened for filterGradient. Every step of filterGradient
 * keeps channels apart (SIMD lanes, rows of the products), so the extra channels reach only their own
 * rows of the wide gradient, which the caller drops.
 */
export function widenChannels(src: usize, dst: usize, pixels: i32, narrow: i32, wide: i32): void {
  const narrowBytes = (<usize>narrow) << 2;
  const wideBytes = (<usize>wide) << 2;
  for (let p: usize = 0; p < <usize>pixels; p++) memory.copy(dst + p * wideBytes, src + p * narrowBytes, narrowBytes);
}
