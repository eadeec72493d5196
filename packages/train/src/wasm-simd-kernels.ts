import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { WASM_SIMD_KERNELS_BASE64 } from './wasm-simd-kernels-wasm.ts';

/**
 * Our WebAssembly SIMD kernels (wasm-simd-kernels.wat) as tfjs kernel functions for the `wasm` backend.
 * The module imports the backend's own memory, so a kernel reads its inputs and writes its output
 * where tfjs keeps them (no copies); pointers are tensors' `memoryOffset`s in that heap.
 */

/** The parts of tfjs-backend-wasm 4.22's BackendWasm these kernels use. */
interface WasmBackend {
  wasm: { asm: { memory: object } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
}

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
}

// Node 20 runs WebAssembly, but @types/node 20 does not declare it: the members used here.
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let compiled: object | undefined;
const instances = new WeakMap<object, SimdExports>();

/** The kernels instantiated on a backend's memory (one instance per memory). */
function simd(backend: WasmBackend): SimdExports {
  const memory = backend.wasm.asm.memory;
  let fn = instances.get(memory);
  if (!fn) {
    compiled ??= new wasmApi.Module(Buffer.from(WASM_SIMD_KERNELS_BASE64, 'base64'));
    fn = new wasmApi.Instance(compiled, { env: { memory } }).exports as SimdExports;
    instances.set(memory, fn);
  }
  return fn;
}

const offset = (backend: WasmBackend, t: TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset;

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: NamedAttrMap;
}
type KernelFunc = (args: KernelArgs) => TensorInfo | TensorInfo[];
const runStock = (stock: KernelConfig, args: KernelArgs) =>
  stock.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]);

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * MaxPoolGrad by the CPU backend's rule (the first maximum of a window in row-major order takes its
 * gradient). WASM's stock kernel is a scalar loop, and it differs: ties go to the last maximum, and a
 * window whose values are all ≤ FLT_MIN (e.g. all zero after a ReLU) sends its gradient to the
 * tensor's first element.
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
export function sumKernel(stock: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackend;
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
    const leading = axes.every((a, i) => a === i);
    const fits = x.dtype === 'float32' && tf.util.sizeFromShape(x.shape) > 0;
    if (!fits || axes.length === 0 || axes.length >= x.shape.length || !leading) return runStock(stock, args);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, axes.length));
    const kept = x.shape.slice(axes.length);
    const out = backend.makeOutput(attrs.keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32');
    simd(backend).sumRows(offset(backend, x), offset(backend, out), rows, tf.util.sizeFromShape(kept));
    return out;
  };
}
