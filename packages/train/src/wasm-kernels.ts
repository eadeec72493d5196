import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/**
 * Training kernels the WASM backend of tfjs 4.22 lacks but the zoo's models need, re-expressed with
 * ops it has. Found by test/wasm-kernels.test.ts, which records every kernel a training step of each
 * zoo model runs (on the CPU backend) and checks WASM has it or it is listed here.
 *
 * Conv2DBackpropFilter (the filter gradient of Conv2D, and of Conv1D which tfjs lowers to Conv2D):
 * im2col — one strided slice of the padded input per kernel offset, concatenated along channels — then
 * one matmul with the output gradient: dW[(i,j,c), o] = Σ_n col[n, (i,j,c)] · dy[n, o].
 * The input gradient (Conv2DBackpropInput, i.e. conv2dTranspose) exists in WASM already.
 */
export const WASM_TRAINING_KERNELS = ['Conv2DBackpropFilter'] as const;

/** The Conv2D filter gradient by im2col + one matmul (NHWC, dilation 1), with public tfjs ops. */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(
      x.shape,
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const [kh, kw, cin, cout] = filterShape;
    const { top, bottom, left, right } = info.padInfo;
    const xp =
      top || bottom || left || right
        ? tf.pad(x, [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ])
        : x;
    const batch = x.shape[0];
    const { outHeight, outWidth, strideHeight, strideWidth } = info;
    const columns: tf.Tensor4D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        columns.push(
          tf.stridedSlice(
            xp,
            [0, i, j, 0],
            [batch, i + (outHeight - 1) * strideHeight + 1, j + (outWidth - 1) * strideWidth + 1, cin],
            [1, strideHeight, strideWidth, 1],
          ) as tf.Tensor4D,
        );
      }
    }
    const rows = batch * outHeight * outWidth;
    const im2col = (columns.length === 1 ? columns[0] : tf.concat(columns, 3)).reshape([rows, kh * kw * cin]);
    // (dyᵀ · col)ᵀ: WASM's matmul with a transposed left operand is ~5× slower than this form.
    const grad = tf.transpose(tf.matMul(tf.transpose(dy.reshape([rows, cout])), im2col));
    return grad.reshape(filterShape);
  });
}

/** Rows (b, oy, ox) × columns (i, j, c) of input patches, zero outside the padded input. */
export function im2col(
  x: Float32Array,
  shape: [number, number, number, number],
  info: tf.backend_util.Conv2DInfo,
): Float32Array {
  const [batch, height, width, cin] = shape;
  const { outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowLength = filterHeight * filterWidth * cin;
  const col = new Float32Array(batch * outHeight * outWidth * rowLength);
  let at = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        for (let i = 0; i < filterHeight; i++) {
          const y = oy * strideHeight + i - top;
          if (y < 0 || y >= height) {
            at += filterWidth * cin;
            continue;
          }
          for (let j = 0; j < filterWidth; j++) {
            const xx = ox * strideWidth + j - left;
            if (xx < 0 || xx >= width) {
              at += cin;
              continue;
            }
            const src = ((b * height + y) * width + xx) * cin;
            for (let c = 0; c < cin; c++) col[at++] = x[src + c];
          }
        }
      }
    }
  }
  return col;
}

interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function conv2dBackpropFilterKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: NamedAttrMap;
}): TensorInfo {
  const backend = args.backend as KernelBackend;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as BackpropFilterAttrs;
  if (attrs.dataFormat === 'NCHW')
    throw new Error('Conv2DBackpropFilter (wasm-kernels): only NHWC is supported');
  // Read x (the engine owns its buffer), build the im2col matrix in one JS pass (cheaper than 25
  // strided slices + a concat on WASM), do the matmul on WASM, and copy the small filter-sized
  // result into a buffer the engine then owns.
  const xShape = x.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const col = im2col(backend.readSync(x.dataId) as Float32Array, xShape, info);
  const [kh, kw, cin, cout] = attrs.filterShape;
  const rows = xShape[0] * info.outHeight * info.outWidth;
  const values = tf.tidy(() => {
    const dyt = tf.tensor2d(backend.readSync(dy.dataId) as Float32Array, [rows, cout], 'float32');
    const colt = tf.tensor2d(col, [rows, kh * kw * cin], 'float32');
    return tf.transpose(tf.matMul(tf.transpose(dyt), colt)).dataSync() as Float32Array;
  });
  return {
    dataId: backend.write(values, attrs.filterShape, 'float32'),
    shape: attrs.filterShape,
    dtype: 'float32',
  };
}

/** Registers the missing kernels for the `wasm` backend (idempotent). */
export function registerWasmTrainingKernels(): void {
  const have = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  if (!have.has('Conv2DBackpropFilter')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: conv2dBackpropFilterKernel,
    });
  }
}
