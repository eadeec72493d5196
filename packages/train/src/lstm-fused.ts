import * as tf from '@tensorflow/tfjs';
import { LSTM_KERNEL_WASM_BASE64 } from './lstm-kernel-wasm.ts';
import { instanceOn, offset, type WasmBackend } from './wasm-heap.ts';

/**
 * tfjs-layers' LSTM as one fused operation per sequence on the `wasm` backend (assembly/lstm.ts says
 * why and what it computes): `fuseLstmLayers` gives each LSTM layer of a model that it can compute a
 * `call` that runs our forward kernel, with a custom gradient that runs our backward-through-time
 * kernel. The layers, their weights and their saved form stay tfjs's own; on other backends, and
 * for anything the kernels do not cover (masks, initial states, dropout inside the cell, other
 * activations, unit counts not divisible by 4), the layer's own `call` runs.
 */

interface LstmExports {
  tanh(x: number, out: number, n: number): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  swapLeadingAxes(src: number, dst: number, a: number, b: number, rowFloats: number): void;
  lstmForward(
    x: number,
    kernel: number,
    recurrent: number,
    bias: number,
    a: number,
    c: number,
    h: number,
    batch: number,
    steps: number,
    features: number,
    units: number,
  ): void;
  lstmBackward(
    x: number,
    kernelT: number,
    recurrentT: number,
    a: number,
    c: number,
    h: number,
    dOut: number,
    sequences: number,
    dz: number,
    dx: number,
    dKernel: number,
    dRecurrent: number,
    dBias: number,
    state: number,
    batch: number,
    steps: number,
    features: number,
    units: number,
  ): void;
}

/** The LSTM module on a wasm backend's heap (its Tanh kernel uses it too). */
export const lstmKernels = (backend: WasmBackend) =>
  instanceOn<LstmExports>(backend, LSTM_KERNEL_WASM_BASE64);

/** The parts of tfjs-layers' LSTM (and its cell) this module reads. */
interface LstmLayer {
  getClassName(): string;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  stateful: boolean;
  cell: {
    units: number;
    useBias: boolean;
    dropout: number;
    recurrentDropout: number;
    activation: { getClassName(): string };
    recurrentActivation: { getClassName(): string };
    kernel: { read(): tf.Tensor };
    recurrentKernel: { read(): tf.Tensor };
    bias: { read(): tf.Tensor };
  };
}

/** Whether the fused kernels compute this layer (see the module comment). */
export function lstmFusible(layer: LstmLayer): boolean {
  const cell = layer.cell;
  return (
    layer.getClassName() === 'LSTM' &&
    !layer.returnState &&
    !layer.goBackwards &&
    !layer.stateful &&
    cell.useBias &&
    cell.dropout === 0 &&
    cell.recurrentDropout === 0 &&
    cell.activation.getClassName() === 'tanh' &&
    cell.recurrentActivation.getClassName() === 'hardSigmoid' &&
    cell.units % 4 === 0
  );
}

const fresh = (backend: WasmBackend, shape: number[]): tf.Tensor =>
  tf.engine().makeTensorFromTensorInfo(backend.makeOutput(shape, 'float32'));

/** h for x [B, T, F] through the fused forward kernel, with the fused backward kernel as its gradient. */
function fusedLstm(
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrent: tf.Tensor,
  bias: tf.Tensor,
  sequences: boolean,
): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, k, r, b] = args as tf.Tensor[];
    const save = args[4] as tf.GradSaveFunc;
    const backend = tf.backend() as unknown as WasmBackend;
    const fn = lstmKernels(backend);
    const [batch, steps, features] = xs.shape;
    const units = r.shape[0];
    const timeMajor = fresh(backend, [steps, batch, features]);
    const a = fresh(backend, [steps, batch, 4 * units]);
    const c = fresh(backend, [steps, batch, units]);
    const h = fresh(backend, [steps, batch, units]);
    fn.swapLeadingAxes(offset(backend, xs), offset(backend, timeMajor), batch, steps, features);
    fn.lstmForward(
      offset(backend, timeMajor),
      offset(backend, k),
      offset(backend, r),
      offset(backend, b),
      offset(backend, a),
      offset(backend, c),
      offset(backend, h),
      batch,
      steps,
      features,
      units,
    );
    let value: tf.Tensor;
    if (sequences) {
      value = fresh(backend, [batch, steps, units]);
      fn.swapLeadingAxes(offset(backend, h), offset(backend, value), steps, batch, units);
    } else value = h.slice([steps - 1, 0, 0], [1, batch, units]).reshape([batch, units]);
    save([timeMajor, a, c, h, k, r]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xt, as, cs, hs, kernelNow, recurrentNow] = saved;
      const kernelT = fresh(backend, [4 * units, features]);
      const recurrentT = fresh(backend, [4 * units, units]);
      fn.transpose(offset(backend, kernelNow), offset(backend, kernelT), features, 4 * units);
      fn.transpose(offset(backend, recurrentNow), offset(backend, recurrentT), units, 4 * units);
      let dOut = dy;
      if (sequences) {
        dOut = fresh(backend, [steps, batch, units]);
        fn.swapLeadingAxes(offset(backend, dy), offset(backend, dOut), batch, steps, units);
      }
      const dz = fresh(backend, [steps, batch, 4 * units]);
      const dxTimeMajor = fresh(backend, [steps, batch, features]);
      const dKernel = fresh(backend, [features, 4 * units]);
      const dRecurrent = fresh(backend, [units, 4 * units]);
      const dBias = fresh(backend, [4 * units]);
      const state = fresh(backend, [2, batch, units]);
      fn.lstmBackward(
        offset(backend, xt),
        offset(backend, kernelT),
        offset(backend, recurrentT),
        offset(backend, as),
        offset(backend, cs),
        offset(backend, hs),
        offset(backend, dOut),
        sequences ? 1 : 0,
        offset(backend, dz),
        offset(backend, dxTimeMajor),
        offset(backend, dKernel),
        offset(backend, dRecurrent),
        offset(backend, dBias),
        offset(backend, state),
        batch,
        steps,
        features,
        units,
      );
      const dx = fresh(backend, [batch, steps, features]);
      fn.swapLeadingAxes(offset(backend, dxTimeMajor), offset(backend, dx), steps, batch, features);
      tf.dispose([kernelT, recurrentT, dz, dxTimeMajor, state, ...(sequences ? [dOut] : [])]);
      return [dx, dKernel, dRecurrent, dBias];
    };
    return { value, gradFunc };
  });
  return op(x, kernel, recurrent, bias);
}

const fusedCalls = new WeakSet<object>();

/**
 * Gives every LSTM layer of `model` that `lstmFusible` accepts the fused `call` on the wasm backend
 * (in place; idempotent). A layer keeps its own `call` on other backends and for masked or
 * initial-state calls.
 */
export function fuseLstmLayers(model: tf.LayersModel): void {
  for (const layer of model.layers as unknown as LstmLayer[]) {
    if (!lstmFusible(layer) || fusedCalls.has(layer)) continue;
    const own = layer.call.bind(layer);
    fusedCalls.add(layer);
    layer.call = (inputs, kwargs) => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (
        tf.getBackend() !== 'wasm' ||
        kwargs?.mask ||
        kwargs?.initialState ||
        x.dtype !== 'float32' ||
        x.rank !== 3
      )
        return own(inputs, kwargs);
      return tf.tidy(() =>
        fusedLstm(
          x as tf.Tensor3D,
          layer.cell.kernel.read(),
          layer.cell.recurrentKernel.read(),
          layer.cell.bias.read(),
          layer.returnSequences,
        ),
      );
    };
  }
}

/** How many of `model`'s LSTM layers run fused on the current backend. */
export function fusedLstmLayerCount(model: tf.LayersModel): number {
  if (tf.getBackend() !== 'wasm') return 0;
  return model.layers.filter((layer) => fusedCalls.has(layer)).length;
}
