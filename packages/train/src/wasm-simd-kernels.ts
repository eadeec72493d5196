import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { WASM_SIMD_KERNELS_BASE64 } from './wasm-simd-kernels-wasm.ts';
import { instanceOn, offset, runStock, type KernelFunc, type WasmBackend } from './wasm-heap.ts';
import { lstmKernels } from './lstm-fused.ts';

/** Our WebAssembly SIMD kernels (wasm-simd-kernels.wat, and tanh) as tfjs kernel functions for the `wasm` backend. */

interface SimdExports {
  maxPoolGrad(
    x: number,
    dy: number,
    dx: number,
    batch: number,
    inH: number,
    inW: number,
    channels: number,
    outH: number,
    outW: number,
    filterH: number,
    filterW: number,
    strideH: number,
    strideW: number,
    padTop: number,
    padLeft: number,
  ): void;
  sumRows(x: number, out: number, rows: number, cols: number): void;
  addBias(x: number, bias: number, out: number, rows: number, cols: number): void;
  transpose(
    x: number,
    out: number,
    batch: number,
    rows: number,
    cols: number,
    inBatch: number,
    inRow: number,
    outBatch: number,
    outRow: number,
  ): void;
  moveBlocks(x: number, out: number, a: number, b: number, blockBytes: number): void;
}

const simd = (backend: WasmBackend) => instanceOn<SimdExports>(backend, WASM_SIMD_KERNELS_BASE64);

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * MaxPoolGrad by the CPU backend's rule (the first maximum of a window in row-major order takes its
 * gradient). WASM's stock kernel is a scalar loop, and it differs: ties go to the last maximum, and a
 * window whose values are all ≤ FLT_MIN (all zero after a ReLU, all negative after a tanh) passes no
 * gradient, since its search starts from FLT_MIN rather than −∞.
 */
export function maxPoolGradKernel(stock: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackend;
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    if (input.dtype !== 'float32' || dy.dtype !== 'float32' || tf.util.sizeFromShape(input.shape) === 0)
      return runStock(stock, args);
    const attrs = args.attrs as unknown as PoolAttrs;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const dx = backend.makeOutput(input.shape, 'float32');
    simd(backend).maxPoolGrad(
      offset(backend, input),
      offset(backend, dy),
      offset(backend, dx),
      info.batchSize,
      info.inHeight,
      info.inWidth,
      info.inChannels,
      info.outHeight,
      info.outWidth,
      info.effectiveFilterHeight,
      info.effectiveFilterWidth,
      info.strideHeight,
      info.strideWidth,
      info.padInfo.top,
      info.padInfo.left,
    );
    return dx;
  };
}

/**
 * Sum over leading axes (the bias gradient of a convolution: [N, H, W, C] → [C]) as column sums in
 * float64, as the CPU backend sums; WASM's stock kernel first transposes the reduced axes innermost.
 * Other reductions keep the stock kernel.
 */
const SMALL_SUM_ELEMENTS = 65_536;

export function sumKernel(stock: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackend;
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
    const leading = axes.every((a, i) => a === i);
    // Small sums (a Dense layer's bias gradient) keep the stock kernel: through fitModel's MLP loop ours
    // measured ≈10 % slower per sample there, and their cost is the call, not the sum.
    const fits = x.dtype === 'float32' && tf.util.sizeFromShape(x.shape) >= SMALL_SUM_ELEMENTS;
    if (!fits || axes.length === 0 || axes.length >= x.shape.length || !leading) return runStock(stock, args);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const kept = x.shape.slice(axes.length);
    const out = backend.makeOutput(attrs.keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32');
    simd(backend).sumRows(offset(backend, x), offset(backend, out), rows, tf.util.sizeFromShape(kept));
    return out;
  };
}

/**
 * Add of a tensor and a bias broadcast over its leading axes ([N, H, W, C] + [C], a convolution's
 * bias); WASM's stock Add runs broadcasts as a per-element index loop. Other shapes keep the stock
 * kernel. Float addition is exact per element, so the result is the stock one bit for bit.
 */
export function addKernel(stock: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackend;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const [big, bias] = tf.util.sizeFromShape(a.shape) >= tf.util.sizeFromShape(b.shape) ? [a, b] : [b, a];
    const cols = tf.util.sizeFromShape(bias.shape);
    const trailing = bias.shape.slice(bias.shape.findIndex((d) => d !== 1));
    const fits =
      a.dtype === 'float32' &&
      b.dtype === 'float32' &&
      cols > 0 &&
      cols < tf.util.sizeFromShape(big.shape) &&
      trailing.length <= big.shape.length &&
      trailing.every((d, i) => d === big.shape[big.shape.length - trailing.length + i]);
    if (!fits) return runStock(stock, args);
    const out = backend.makeOutput(tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape), 'float32');
    simd(backend).addBias(
      offset(backend, big),
      offset(backend, bias),
      offset(backend, out),
      tf.util.sizeFromShape(big.shape) / cols,
      cols,
    );
    return out;
  };
}

/**
 * Transpose of float32 / int32 tensors whose permutation, once size-1 axes are dropped and axes that
 * stay neighbours are merged, is a 2-D transpose ([1, 0]), a batch of them ([0, 2, 1], [2, 1, 0]) or a
 * move of contiguous blocks ([1, 0, 2]): the convolution gradients' layouts and Dense layers' weights.
 * WASM's stock Transpose is a scalar index loop. Other permutations keep it.
 */
export function transposeKernel(stock: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackend;
    const { x } = args.inputs as { x: TensorInfo };
    const perm = (args.attrs as unknown as { perm: number[] }).perm;
    const size = tf.util.sizeFromShape(x.shape);
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || size === 0) return runStock(stock, args);
    // Runs of input axes that stay in order in the output, as [first, last] in output order.
    const runs: [number, number][] = [];
    for (const axis of perm.filter((d) => x.shape[d] !== 1)) {
      const last = runs[runs.length - 1];
      if (last && axis === last[1] + 1) last[1] = axis;
      else runs.push([axis, axis]);
    }
    const byInput = [...runs].sort((p, q) => p[0] - q[0]);
    const merged = byInput.map(([from, to]) => tf.util.sizeFromShape(x.shape.slice(from, to + 1)));
    const order = runs.map((r) => byInput.indexOf(r)).join(',');
    const outShape = perm.map((d) => x.shape[d]);
    if (runs.length <= 1) {
      (backend as unknown as KernelBackend).incRef(x.dataId); // the same element order
      return { dataId: x.dataId, shape: outShape, dtype: x.dtype };
    }
    const [s0, s1, s2] = merged;
    // The two sides each transpose swaps; 4×4 tiles need both ≥ 4 (the stock loop does better on
    // thinner ones). A block move has no tiles.
    const sides: Record<string, number[]> = {
      '1,0': [s0, s1],
      '0,2,1': [s1, s2],
      '2,1,0': [s0, s2],
      '1,0,2': [4],
    };
    if (!(order in sides) || Math.min(...sides[order]) < 4) return runStock(stock, args);
    const fn = simd(backend);
    const out = backend.makeOutput(outShape, x.dtype);
    const [src, dst] = [offset(backend, x), offset(backend, out)];
    if (order === '1,0') fn.transpose(src, dst, 1, s0, s1, 0, s1, 0, s0);
    else if (order === '0,2,1') fn.transpose(src, dst, s0, s1, s2, s1 * s2, s2, s1 * s2, s1);
    else if (order === '2,1,0') fn.transpose(src, dst, s1, s0, s2, s2, s1 * s2, s0, s1 * s0);
    else fn.moveBlocks(src, dst, s0, s1, s2 * 4);
    return out;
  };
}

/**
 * Reverse over leading axes (the spatial flip of a filter, [kh, kw, in, out] over [0, 1], in the
 * input gradient) as whole-row copies on the heap; WASM's stock Reverse maps every element's index.
 * Other axes keep the stock kernel.
 */
export function reverseKernel(stock: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackend;
    const { x } = args.inputs as { x: TensorInfo };
    const axes = tf.util
      .parseAxisParam((args.attrs as unknown as { dims: number | number[] }).dims, x.shape)
      .sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.every((a, i) => a === i);
    const size = tf.util.sizeFromShape(x.shape);
    if (!leading || size === 0 || (x.dtype !== 'float32' && x.dtype !== 'int32'))
      return runStock(stock, args);
    // Reversing the leading axes together reverses their merged axis: rows of the remaining ones.
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const rowBytes = (size / rows) * 4;
    const out = backend.makeOutput(x.shape, x.dtype);
    const [src, dst] = [offset(backend, x), offset(backend, out)];
    const heap = backend.wasm.HEAPU8;
    for (let r = 0; r < rows; r++)
      heap.copyWithin(dst + (rows - 1 - r) * rowBytes, src + r * rowBytes, src + (r + 1) * rowBytes);
    return out;
  };
}

/**
 * Tanh (CNN-A's activation) in SIMD float32 arithmetic, within 1e-6 relative of the CPU backend's
 * Math.tanh rounded to float32; WASM's stock kernel calls libm's scalar tanhf per element. The SIMD
 * tanh lives in the fused LSTM's module (assembly/lstm.ts), whose cells use it too.
 */
export function tanhKernel(stock: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackend;
    const { x } = args.inputs as { x: TensorInfo };
    const size = tf.util.sizeFromShape(x.shape);
    if (x.dtype !== 'float32' || size === 0) return runStock(stock, args);
    const out = backend.makeOutput(x.shape, 'float32');
    lstmKernels(backend).tanh(offset(backend, x), offset(backend, out), size);
    return out;
  };
}
