import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import {
  addKernel,
  maxPoolGradKernel,
  reverseKernel,
  sumKernel,
  tanhKernel,
  transposeKernel,
} from './wasm-simd-kernels.ts';
import type { WasmBackend } from './wasm-heap.ts';
import { conv2dKernel, winogradFilterGradient, winogradFilterGradientApplies } from './winograd.ts';

/**
 * Training kernels for the `wasm` backend of tfjs 4.22, re-expressed with the kernels it runs fast
 * (XNNPACK's forward convolution and plain matmul) or with our own WebAssembly kernels. Found by test/wasm-kernels.test.ts, which records
 * every kernel a training step of each zoo model runs and checks WASM has it or it is listed here, and
 * by profiling one training step per kernel (tools/bench/train/profile.ts).
 *
 * - Conv2D with 5×5 filters, stride 1 and channel counts divisible by 4 (CNN-M's second and third
 *   layers, and their input gradients below) by Winograd's minimal filtering (winograd.ts): 2.8×
 *   fewer multiplications than XNNPACK's direct convolution, which already runs near WebAssembly
 *   SIMD's peak. Other convolutions keep XNNPACK.
 * - Conv2DBackpropFilter (missing on WASM; the filter gradient of Conv2D and of Conv1D, which tfjs
 *   lowers to Conv2D): by Winograd where the forward convolution would be; elsewhere as itself a
 *   forward convolution: dW[i,j,c,o] = Σ_{n,y,x} x[n, y·s+i, x·s+j, c] ·
 *   dy[n,y,x,o], i.e. x seen as C_in images of N channels ([C_in, H, W, N]) convolved with dy seen as
 *   a [H_out, W_out, N, C_out] filter dilated by the stride.
 * - Conv2DBackpropInput (WASM's own is a plain loop, 4–10× slower than its forward convolution) for
 *   stride 1: dx = conv(dy padded by k−1−pad, the filter flipped in space with in/out channels swapped).
 *   Other strides keep the stock kernel.
 * - BatchMatMul with a transposed operand (every Dense layer's backward pass) takes WASM's naive loop,
 *   ≈8× slower than its XNNPACK path; we transpose the operand first and take the fast path. For
 *   a·bᵀ with a small a (a Dense layer's input gradient dy·Wᵀ) we compute (b·aᵀ)ᵀ instead: two small
 *   transposes rather than one of the weights, and XNNPACK packs aᵀ, not the weights, as its operand
 *   (it caches packed operands per tensor, but a weight is a new tensor after every step). Likewise
 *   a·b with a large b and few rows in a (CNN-M's Dense forward) runs as (bᵀ·aᵀ)ᵀ.
 * - MaxPoolGrad, Tanh, and Add / Sum / Transpose / Reverse in the shapes a convolution's forward and
 *   backward pass use: our WebAssembly SIMD kernels (wasm-simd-kernels.ts).
 * - Identity and Cast to the same dtype copy the tensor on WASM; tfjs clones every tensor it keeps
 *   for the backward pass, so a training step copied each activation. Ours share the data (by
 *   reference count, as WASM's Reshape and the CPU backend's Identity do; tfjs never writes a tensor
 *   in place).
 */
export const WASM_TRAINING_KERNELS = ['Conv2DBackpropFilter'] as const;
/** Stock WASM kernels we replace with faster equivalents (same results to float32 rounding). */
export const WASM_REPLACED_KERNELS = [
  'Conv2D',
  'Conv2DBackpropInput',
  'BatchMatMul',
  'MaxPoolGrad',
  'Sum',
  'Add',
  'Transpose',
  'Reverse',
  'Tanh',
  'Identity',
  'Cast',
] as const;

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type FilterShape = [number, number, number, number];

function convInfo(
  xShape: FilterShape,
  filterShape: FilterShape,
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** The Conv2D filter gradient as one forward convolution (NHWC, dilation 1), with public tfjs ops. */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: FilterShape,
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = convInfo(x.shape, filterShape, strides, pad, dimRoundingMode);
    const [kh, kw] = filterShape;
    const { top, bottom, left, right } = info.padInfo;
    const images = tf.transpose(x, [3, 1, 2, 0]); // [C_in, H, W, N]: C_in images of N channels
    const filter = tf.transpose(dy, [1, 2, 0, 3]); // [H_out, W_out, N, C_out]
    const full = tf.conv2d(
      images,
      filter,
      1,
      [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      'NHWC',
      [info.strideHeight, info.strideWidth],
    ); // [C_in, ≥kh, ≥kw, C_out]: a stride that does not divide the input leaves extra rows/columns
    const cropped =
      full.shape[1] === kh && full.shape[2] === kw ? full : full.slice([0, 0, 0, 0], [-1, kh, kw, -1]);
    return tf.transpose(cropped, [1, 2, 0, 3]);
  });
}

/**
 * The Conv2D input gradient for stride 1 as one forward convolution, or null where that form does not
 * apply (stride > 1, or padding beyond the kernel), with public tfjs ops.
 */
export function conv2dInputGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: FilterShape,
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D | null {
  const info = convInfo(inputShape, filter.shape, strides, pad, dimRoundingMode);
  const [kh, kw] = filter.shape;
  const { top, bottom, left, right } = info.padInfo;
  const pads = [kh - 1 - top, kh - 1 - bottom, kw - 1 - left, kw - 1 - right];
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || pads.some((p) => p < 0)) return null;
  return tf.tidy(() => {
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]); // [kh, kw, C_out, C_in]
    return tf.conv2d(dy, flipped, 1, [
      [0, 0],
      [pads[0], pads[1]],
      [pads[2], pads[3]],
      [0, 0],
    ]);
  });
}

/**
 * A Tensor over a kernel input's engine-owned buffer. The extra reference keeps the input alive when
 * the tidy around the kernel body disposes the view.
 */
function view<T extends tf.Tensor>(info: TensorInfo, backend: KernelBackend): T {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend) as T;
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: NamedAttrMap;
}

interface ConvGradAttrs {
  strides: number | [number, number];
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function nhwcOnly(kernel: string, attrs: ConvGradAttrs): void {
  if (attrs.dataFormat === 'NCHW') throw new Error(`${kernel} (wasm-kernels): only NHWC is supported`);
}

// Kernel outputs may be Tensors (the engine takes them as they are); the ops inside a kernel are
// not taped (the engine records only kernel depth 0), so the gradient stays one tape node.
function conv2dBackpropFilter(args: KernelArgs): TensorInfo {
  const backend = args.backend as KernelBackend;
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: FilterShape };
  nhwcOnly('Conv2DBackpropFilter', attrs);
  const x = args.inputs.x as TensorInfo;
  const dy = args.inputs.dy as TensorInfo;
  const info = convInfo(
    x.shape as FilterShape,
    attrs.filterShape,
    attrs.strides,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (x.dtype === 'float32' && dy.dtype === 'float32' && winogradFilterGradientApplies(info))
    return winogradFilterGradient(args.backend as WasmBackend, x, dy, info);
  return tf.tidy(() =>
    conv2dFilterGradient(
      view<tf.Tensor4D>(args.inputs.x as TensorInfo, backend),
      view<tf.Tensor4D>(args.inputs.dy as TensorInfo, backend),
      attrs.filterShape,
      attrs.strides,
      attrs.pad,
      attrs.dimRoundingMode,
    ),
  );
}

function conv2dBackpropInput(stock: KernelConfig) {
  return (args: KernelArgs): TensorInfo | TensorInfo[] => {
    const backend = args.backend as KernelBackend;
    const attrs = args.attrs as unknown as ConvGradAttrs & { inputShape: FilterShape };
    nhwcOnly('Conv2DBackpropInput', attrs);
    const dy = view<tf.Tensor4D>(args.inputs.dy as TensorInfo, backend);
    const filter = view<tf.Tensor4D>(args.inputs.filter as TensorInfo, backend);
    const fast = conv2dInputGradient(
      dy,
      filter,
      attrs.inputShape,
      attrs.strides,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    tf.dispose([dy, filter]);
    return fast ?? (stock.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]) as TensorInfo);
  };
}

/** For a·bᵀ (a [M, K], b [N, K]): whether transposing a and the [N, M] product beats transposing b. */
function swapIsCheaper(a: TensorInfo, b: TensorInfo): boolean {
  const [m, k] = a.shape;
  const n = b.shape[0];
  return m * k + n * m < n * k;
}

/**
 * For a·b (a [M, K], b [K, N]): whether XNNPACK's packing of b, redone whenever b is a new tensor (a
 * weight after each optimizer step), outweighs three transposes (b, a, the [N, M] product) and the
 * packing of aᵀ: b large, a few rows against many columns (CNN-M's Dense 9216 → 128 at batch 8).
 */
function packingDominates(a: TensorInfo, b: TensorInfo): boolean {
  const [m] = a.shape;
  const [k, n] = b.shape;
  return k * n >= 65_536 && 4 * m <= n;
}

function batchMatMul(stock: KernelConfig) {
  return (args: KernelArgs): TensorInfo | TensorInfo[] => {
    const attrs = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const call = (a: TensorInfo, b: TensorInfo) =>
      stock.kernelFunc({
        inputs: { a, b },
        backend: args.backend as KernelBackend,
        attrs: { transposeA: false, transposeB: false },
      }) as TensorInfo;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const plain = !attrs.transposeA && !attrs.transposeB;
    if (plain && !(a.shape.length === 2 && b.shape.length === 2 && packingDominates(a, b))) return call(a, b);
    const made: tf.Tensor[] = [];
    const swapLast = (t: TensorInfo): tf.Tensor => {
      const perm = t.shape.map((_, i) => i);
      perm.splice(-2, 2, perm.length - 1, perm.length - 2);
      const out = tf.engine().runKernel('Transpose', { x: t as tf.Tensor }, { perm }) as tf.Tensor;
      made.push(out);
      return out;
    };
    let out: TensorInfo;
    if (plain) {
      const product = tf.engine().makeTensorFromTensorInfo(call(swapLast(b), swapLast(a))); // (a·b)ᵀ = bᵀ·aᵀ
      made.push(product);
      out = tf.engine().runKernel('Transpose', { x: product }, { perm: [1, 0] }) as tf.Tensor;
    } else if (!attrs.transposeA && a.shape.length === 2 && b.shape.length === 2 && swapIsCheaper(a, b)) {
      const product = tf.engine().makeTensorFromTensorInfo(call(b, swapLast(a))); // (a·bᵀ)ᵀ = b·aᵀ
      made.push(product);
      out = tf.engine().runKernel('Transpose', { x: product }, { perm: [1, 0] }) as tf.Tensor;
    } else out = call(attrs.transposeA ? swapLast(a) : a, attrs.transposeB ? swapLast(b) : b);
    tf.dispose(made);
    return out;
  };
}

/** Identity and same-dtype Cast as a shared reference to the input's data (see the module comment). */
function sharedData(stock: KernelConfig) {
  return (args: KernelArgs): TensorInfo | TensorInfo[] => {
    const x = args.inputs.x as TensorInfo;
    const dtype = (args.attrs?.dtype as tf.DataType | undefined) ?? x.dtype;
    if (dtype !== x.dtype || dtype === 'string')
      return stock.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]);
    (args.backend as KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype };
  };
}

/** Registers our training kernels for the `wasm` backend (idempotent). */
export function registerWasmTrainingKernels(): void {
  const ours = new Map(
    tf
      .getKernelsForBackend('wasm')
      .filter((k) => (k as KernelConfig & { ours?: boolean }).ours)
      .map((k) => [k.kernelName, k]),
  );
  const replace = (kernelName: string, make: (stock: KernelConfig) => KernelConfig['kernelFunc']) => {
    if (ours.has(kernelName)) return;
    const stock = tf.getKernel(kernelName, 'wasm');
    if (!stock) throw new Error(`wasm-kernels: the wasm backend has no ${kernelName} kernel to replace`);
    tf.unregisterKernel(kernelName, 'wasm');
    // The stock kernel stays reachable from ours (tests compare against it).
    tf.registerKernel({ ...stock, kernelFunc: make(stock), ours: true, stock } as KernelConfig);
  };
  if (!ours.has('Conv2DBackpropFilter')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: conv2dBackpropFilter as KernelConfig['kernelFunc'],
      ours: true,
    } as KernelConfig);
  }
  replace('Conv2D', conv2dKernel as (s: KernelConfig) => KernelConfig['kernelFunc']);
  replace('Conv2DBackpropInput', conv2dBackpropInput as (s: KernelConfig) => KernelConfig['kernelFunc']);
  replace('BatchMatMul', batchMatMul as (s: KernelConfig) => KernelConfig['kernelFunc']);
  replace('MaxPoolGrad', maxPoolGradKernel as (s: KernelConfig) => KernelConfig['kernelFunc']);
  replace('Sum', sumKernel as (s: KernelConfig) => KernelConfig['kernelFunc']);
  replace('Add', addKernel as (s: KernelConfig) => KernelConfig['kernelFunc']);
  replace('Transpose', transposeKernel as (s: KernelConfig) => KernelConfig['kernelFunc']);
  replace('Reverse', reverseKernel as (s: KernelConfig) => KernelConfig['kernelFunc']);
  replace('Tanh', tanhKernel as (s: KernelConfig) => KernelConfig['kernelFunc']);
  replace('Identity', sharedData as (s: KernelConfig) => KernelConfig['kernelFunc']);
  replace('Cast', sharedData as (s: KernelConfig) => KernelConfig['kernelFunc']);
}
