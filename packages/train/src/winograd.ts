import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { WINOGRAD_KERNEL_WASM_BASE64 } from './winograd-kernel-wasm.ts';
import { instanceOn, offset, runStock, type KernelFunc, type WasmBackend } from './wasm-heap.ts';

/**
 * 5×5, stride-1 convolutions and their filter gradients by Winograd's minimal filtering
 * (assembly/winograd.ts says why and how), for the `wasm` backend. The forward kernel also serves the
 * input gradient, which wasm-kernels.ts runs as a forward convolution. Within float32 rounding of the
 * direct sums (1e-6 to 1e-5 of the largest value, test/winograd.test.ts), not bit for bit; a NaN or
 * infinity in an input tile reaches all four outputs of the tile, not only those whose window holds it.
 */

/** A convolution's geometry as both kernels take it, after their four pointers. */
type Geometry = [
  batch: number,
  inH: number,
  inW: number,
  cin: number,
  outH: number,
  outW: number,
  cout: number,
  padTop: number,
  padLeft: number,
  blockTiles: number,
];

interface WinogradExports {
  filterTransform(g: number, u: number, cin: number, cout: number, tmp: number): void;
  conv(x: number, u: number, y: number, scratch: number, ...geometry: Geometry): void;
  filterGradient(x: number, dy: number, dw: number, scratch: number, ...geometry: Geometry): void;
  widenChannels(src: number, dst: number, pixels: number, narrow: number, wide: number): void;
}

const kernels = (backend: WasmBackend) => instanceOn<WinogradExports>(backend, WINOGRAD_KERNEL_WASM_BASE64);

const TAPS = 5;
const XI = 36; // (2 + 5 − 1)² transformed points per tile
const VEC_FLOATS = 4;
// A block's transformed tiles (inputs and products) sized to stay in a core's L2 cache.
const BLOCK_BYTES = 512 * 1024;

/** 5×5, stride and dilation 1, NHWC, output channels ÷ 4: the shapes both kernels take. */
function shapeFits(info: tf.backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === TAPS &&
    info.filterWidth === TAPS &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.outChannels % VEC_FLOATS === 0 &&
    info.outHeight > 0 &&
    info.outWidth > 0 &&
    info.dataFormat === 'channelsLast'
  );
}

/** Whether `winogradConv` computes this (float32) convolution: 5×5, stride 1, both channel counts ÷ 4. */
export const winogradConvApplies = (info: tf.backend_util.Conv2DInfo): boolean =>
  shapeFits(info) && info.inChannels % VEC_FLOATS === 0;

/**
 * Whether `winogradFilterGradient` computes this convolution's filter gradient: as for the forward
 * kernel, but any input channel count (CNN-M's first layer reads RGB), the input widened to a
 * multiple of 4 channels: a quarter of that layer's products are wasted on them, against
 * 2.8× fewer in all.
 */
export const winogradFilterGradientApplies = shapeFits;

function blockTiles(cin: number, cout: number): number {
  return Math.max(8, Math.floor(BLOCK_BYTES / (XI * (cin + cout) * 4)));
}

const geometry = (info: tf.backend_util.Conv2DInfo, cin: number, block: number): Geometry => [
  info.batchSize,
  info.inHeight,
  info.inWidth,
  cin,
  info.outHeight,
  info.outWidth,
  info.outChannels,
  info.padInfo.top,
  info.padInfo.left,
  block,
];

/** A scratch tensor of `floats` floats, handed to `use` and freed after it. */
function withScratch<T>(backend: WasmBackend, floats: number, use: (pointer: number) => T): T {
  const scratch = backend.makeOutput([floats], 'float32');
  try {
    return use(offset(backend, scratch));
  } finally {
    backend.disposeData(scratch.dataId);
  }
}

/** y = conv2d(x, filter) for a convolution `winogradConvApplies` accepts. */
export function winogradConv(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const fn = kernels(backend);
  const { inChannels: cin, outChannels: cout } = info;
  const block = blockTiles(cin, cout);
  const y = backend.makeOutput([info.batchSize, info.outHeight, info.outWidth, cout], 'float32');
  const uFloats = XI * cin * cout;
  const scratchFloats = uFloats + XI * block * (cin + cout) + XI * VEC_FLOATS;
  withScratch(backend, scratchFloats, (u) => {
    const rest = u + uFloats * 4;
    fn.filterTransform(offset(backend, filter), u, cin, cout, rest);
    fn.conv(offset(backend, x), u, offset(backend, y), rest, ...geometry(info, cin, block));
  });
  return y;
}

/** The filter gradient [5, 5, C_in, C_out] of a convolution `winogradFilterGradientApplies` accepts. */
export function winogradFilterGradient(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const fn = kernels(backend);
  const { inChannels: narrow, outChannels: cout } = info;
  const cin = Math.ceil(narrow / VEC_FLOATS) * VEC_FLOATS;
  const pixels = info.batchSize * info.inHeight * info.inWidth;
  const block = blockTiles(cin, cout);
  const dw = backend.makeOutput([TAPS, TAPS, narrow, cout], 'float32');
  // Where the input is widened: its copy and the wide gradient, ahead of the kernel's scratch.
  const wideFloats = cin === narrow ? 0 : pixels * cin + TAPS * TAPS * cin * cout;
  const scratchFloats = wideFloats + XI * block * (cin + cout) + XI * cin * cout + XI * VEC_FLOATS;
  withScratch(backend, scratchFloats, (scratch) => {
    let [input, gradient, rest] = [offset(backend, x), offset(backend, dw), scratch];
    if (wideFloats > 0) {
      input = scratch;
      gradient = input + pixels * cin * 4;
      rest = gradient + TAPS * TAPS * cin * cout * 4;
      fn.widenChannels(offset(backend, x), input, pixels, narrow, cin);
    }
    fn.filterGradient(input, offset(backend, dy), gradient, rest, ...geometry(info, cin, block));
    if (wideFloats > 0) {
      // The first `narrow` channel rows of every tap.
      const rowBytes = cout * 4;
      const out = offset(backend, dw);
      for (let tap = 0; tap < TAPS * TAPS; tap++)
        backend.wasm.HEAPU8.copyWithin(
          out + tap * narrow * rowBytes,
          gradient + tap * cin * rowBytes,
          gradient + (tap * cin + narrow) * rowBytes,
        );
    }
  });
  return dw;
}

interface Conv2DAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Conv2D by Winograd where it applies (see `winogradApplies`); the stock XNNPACK kernel elsewhere. */
export function conv2dKernel(stock: KernelConfig): KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackend;
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DAttrs;
    if (x.dtype !== 'float32' || filter.dtype !== 'float32' || attrs.dataFormat === 'NCHW')
      return runStock(stock, args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    return winogradConvApplies(info) ? winogradConv(backend, x, filter, info) : runStock(stock, args);
  };
}
