// A training engine for plain MLPs on CPU-class backends. tfjs spends ≈13 µs of engine bookkeeping on
// each of the ≈250 kernels of an MLP-M1 step (tape, scopes, one WASM call each) against a few µs of
// arithmetic, which held MLP-M1 at 0.14× PyTorch per core; no tfjs API fuses a whole step. So the
// step runs here: the forward pass, the compiled loss's gradient and the optimizer update as a few
// calls into our own WebAssembly SIMD kernels (assembly/dense-kernel.ts), the fit set resident in the
// module's memory, the same batches, initial weights and update formulas as the tfjs path in fit.ts.
// Weights go back to the tfjs model at every epoch end (inner validation, checkpoints and the saved
// model stay tfjs's), and optimizer state is exchanged in tfjs's own getWeights() layout, so a
// checkpoint written here resumes on the tfjs path and back.
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import type { FeatureSplit } from './data.ts';
import type { Activation, ModelConfig } from './zoo/config.ts';
import { DENSE_KERNEL_WASM_BASE64 } from './dense-kernel-wasm.ts';
import { inputRows } from './batches.ts';
import type { NamedTensor } from './model-io.ts';
import { SeededDropout } from './zoo/layers.ts';

interface Kernels {
  memory: WebAssembly.Memory;
  gemm(
    a: number,
    aRowBytes: number,
    aColBytes: number,
    b: number,
    init: number,
    initRowBytes: number,
    c: number,
    m: number,
    k: number,
    n: number,
  ): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  columnSums(src: number, dst: number, rows: number, cols: number): void;
  reluForward(x: number, count: number): void;
  reluBackward(y: number, dy: number, count: number): void;
  axpy(x: number, y: number, count: number, alpha: number): void;
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    count: number,
    negLearningRate: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    oneMinusAccBeta1: number,
    oneMinusAccBeta2: number,
    epsilon: number,
  ): void;
  rmsprop(
    w: number,
    g: number,
    s: number,
    u: number,
    count: number,
    learningRate: number,
    decay: number,
    oneMinusDecay: number,
    momentum: number,
    epsilon: number,
  ): void;
  sgd(w: number, g: number, count: number, negLearningRate: number): void;
  gatherRows(src: number, idx: number, dst: number, count: number, width: number): void;
  sumSquares(x: number, count: number): number;
}

let compiled: WebAssembly.Module | undefined;

function instantiate(bytes: number): Kernels {
  compiled ??= new WebAssembly.Module(Buffer.from(DENSE_KERNEL_WASM_BASE64, 'base64'));
  const exports = new WebAssembly.Instance(compiled, {}).exports as unknown as Kernels;
  const pages = Math.ceil(bytes / 65536) - exports.memory.buffer.byteLength / 65536;
  if (pages > 0) exports.memory.grow(pages);
  return exports;
}

/** Backends whose tensors live in host memory, where moving a fit here costs only a copy. */
const HOST_BACKENDS = new Set(['wasm', 'cpu']);
/** tfjs's Adam defaults (tf.train.adam(lr) as makeOptimizer builds it). */
const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
/** tfjs's RMSprop defaults (tf.train.rmsprop(lr)). */
const RMSPROP_DECAY = 0.9;
const RMSPROP_MOMENTUM = 0;
const SELU_SCALE = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/**
 * Why the dense engine cannot train this fit (null: it can). It covers MLPs (dropout included), with a
 * softmax (categorical cross-entropy) or sigmoid (binary cross-entropy) output, Adam, RMSprop or SGD, any of
 * the config's activations and L2 penalties, on a host backend, with the fit set under
 * `residentMaxBytes` and unaugmented.
 */
export function denseEngineUnsupported(
  config: ModelConfig,
  model: tf.LayersModel,
  fitRowCount: number,
  augmented: boolean,
  residentMaxBytes: number,
): string | null {
  if (config.kind !== 'mlp') return `a ${config.kind}, not an MLP`;
  if (augmented) return 'augmented batches';
  if (!HOST_BACKENDS.has(tf.getBackend())) return `the ${tf.getBackend()} backend`;
  if (model.weights.length !== 2 * (config.hidden.length + 1) || model.nonTrainableWeights.length)
    return 'weights other than dense kernels and biases';
  if (seededDropouts(model).length !== config.hidden.filter((h) => (h.dropout ?? 0) > 0).length)
    return 'dropout layers other than the config says';
  const inputWidth = config.inputShape.reduce((a, b) => a * b, 1);
  if (fitRowCount * inputWidth * 4 > residentMaxBytes) return 'a fit set too large to keep resident';
  return null;
}

function seededDropouts(model: tf.LayersModel): SeededDropout[] {
  return model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout);
}

interface Layer {
  inputs: number;
  units: number;
  activation: Activation;
  l2: number;
  /** The model's dropout layer after this one (its seed and call count draw the masks), or null. */
  dropout: SeededDropout | null;
  /** Byte offsets of the kernel [inputs × units] and bias [units] in the parameter, gradient and moment blocks. */
  kernel: number;
  bias: number;
  /** Byte offset of this layer's outputs [batch × units] (before dropout). */
  out: number;
  /** With dropout: byte offsets of the dropout multipliers and of the outputs after dropout. */
  mask: number;
  dropped: number;
}

export interface DenseEngine {
  /** Trains on the batches [start, end) of `ranges` (positions into the fit rows); returns each step's loss. */
  trainSteps(order: Int32Array, ranges: readonly (readonly [number, number])[]): Float64Array;
  /** Writes the current weights into the tfjs model. */
  writeWeights(model: tf.LayersModel): void;
  /** Optimizer state as tfjs's optimizer.getWeights() gives it (caller disposes). */
  optimizerWeights(): NamedTensor[];
  /** Restores optimizer state saved by `optimizerWeights` or by tfjs's optimizer (tensors not disposed). */
  setOptimizerWeights(weights: NamedTensor[]): Promise<void>;
}

/** Builds the engine for a fit `denseEngineUnsupported` accepted, from the model's current weights. */
export function createDenseEngine(
  model: tf.LayersModel,
  config: ModelConfig,
  split: FeatureSplit,
  fitRows: Int32Array,
): DenseEngine {
  if (config.kind !== 'mlp') throw new Error(`dense engine: ${config.kind} is not an MLP`);
  const { batchSize, optimizer, learningRate } = config.training;
  const numClasses = config.numClasses;
  const inputWidth = split.size;
  const dropouts = seededDropouts(model);
  const specs = [
    ...config.hidden.map((h) => ({
      units: h.units,
      activation: h.activation,
      l2: h.l2 ?? 0,
      dropout: (h.dropout ?? 0) > 0 ? (dropouts.shift() ?? null) : null,
    })),
    { units: numClasses, activation: config.output.activation as Activation, l2: 0, dropout: null },
  ];
  let bytes = 0;
  const take = (floats: number): number => {
    const at = bytes;
    bytes += Math.ceil((floats * 4) / 16) * 16;
    return at;
  };
  // One parameter block (kernels and biases in model.weights order), mirrored by the gradient and
  // both moment blocks at fixed distances, so one optimizer call updates everything.
  let paramFloats = 0;
  let inputs = inputWidth;
  const layout = specs.map((s) => {
    const kernel = paramFloats * 4;
    paramFloats += Math.ceil((inputs * s.units) / 4) * 4;
    const bias = paramFloats * 4;
    paramFloats += Math.ceil(s.units / 4) * 4;
    const layer = { ...s, inputs, kernel, bias };
    inputs = s.units;
    return layer;
  });
  const params = take(paramFloats);
  const grads = take(paramFloats);
  const firstMoments = take(paramFloats);
  const secondMoments = take(paramFloats);
  const residentX = take(fitRows.length * inputWidth);
  const idx = take(batchSize);
  const input = take(batchSize * inputWidth);
  const layers: Layer[] = layout.map((l) => ({
    ...l,
    out: take(batchSize * l.units),
    mask: l.dropout ? take(batchSize * l.units) : 0,
    dropped: l.dropout ? take(batchSize * l.units) : 0,
  }));
  /** What the next layer reads: the outputs after dropout where there is one. */
  const outputOf = (l: Layer): number => (l.dropout ? l.dropped : l.out);
  const widest = Math.max(inputWidth, ...specs.map((s) => s.units));
  const deltaA = take(batchSize * widest);
  const deltaB = take(batchSize * widest);
  const transposed = take(Math.max(...layers.map((l) => l.inputs * l.units)));
  const k = instantiate(bytes);
  const f32 = new Float32Array(k.memory.buffer);
  const i32 = new Int32Array(k.memory.buffer);

  f32.set(inputRows(split, fitRows), residentX / 4);
  const labels = Int32Array.from(fitRows, (r) => split.labels[r]);
  const weights = model.getWeights();
  layers.forEach((l, i) => {
    f32.set(weights[2 * i].dataSync(), (params + l.kernel) / 4);
    f32.set(weights[2 * i + 1].dataSync(), (params + l.bias) / 4);
  });
  const variableNames = model.trainableWeights.map((w) => (w.read() as tf.Variable).name);
  // The backend's epsilon is both Adam/RMSprop's default and tfjs-layers' loss clip (epsilon()).
  const epsilon = tf.backend().epsilon();
  let iterations = 0;
  let accBeta1 = Math.fround(ADAM_BETA1);
  let accBeta2 = Math.fround(ADAM_BETA2);

  const activate = (l: Layer, rows: number): void => {
    // The output layer's softmax / sigmoid belongs to its loss (outputLoss).
    if (l === layers[layers.length - 1] || l.activation === 'linear') return;
    const count = rows * l.units;
    if (l.activation === 'relu') return k.reluForward(l.out, count);
    const y = f32.subarray(l.out / 4, l.out / 4 + count);
    for (let i = 0; i < count; i++) y[i] = activation(l.activation, y[i]);
  };
  /** delta (∂loss/∂output of l, in place) → ∂loss/∂pre-activation, from l's outputs. */
  const activationBackward = (l: Layer, delta: number, rows: number): void => {
    const count = rows * l.units;
    if (l.activation === 'relu') return k.reluBackward(l.out, delta, count);
    if (l.activation === 'linear') return;
    const y = f32.subarray(l.out / 4, l.out / 4 + count);
    const d = f32.subarray(delta / 4, delta / 4 + count);
    for (let i = 0; i < count; i++) d[i] *= activationSlope(l.activation, y[i]);
  };

  /**
   * tf.dropout as SeededDropout calls it, with the same seed per call: multipliers ⌊u + keep⌋ / keep,
   * u the float32 draws of tfjs's randomUniform (seedrandom's alea seeded with the seed's string, in
   * order). Drawn from seedrandom directly: through tf.randomUniform (a tensor built and read back per
   * layer and step) dropout MLPs trained at a fifth of this speed.
   */
  const dropoutForward = (l: Layer, layer: SeededDropout, rows: number): void => {
    const count = rows * l.units;
    const seed = (Math.imul(layer.seed + 1, 0x9e3779b1) + layer.callCount++) >>> 0;
    const random = seedrandom.alea(String(seed));
    const keep = Math.fround(1 - layer.rate);
    const mask = f32.subarray(l.mask / 4, l.mask / 4 + count);
    const y = f32.subarray(l.out / 4, l.out / 4 + count);
    const dropped = f32.subarray(l.dropped / 4, l.dropped / 4 + count);
    for (let i = 0; i < count; i++) {
      mask[i] = Math.floor(Math.fround(Math.fround(random()) + keep)) / keep;
      dropped[i] = y[i] * mask[i];
    }
  };

  /** The output layer's loss (mean over rows) and its gradient w.r.t. the logits, into `delta`. */
  const outputLoss = (positions: Int32Array, delta: number): number => {
    const out = layers[layers.length - 1];
    const rows = positions.length;
    const logits = f32.subarray(out.out / 4, out.out / 4 + rows * numClasses);
    const d = f32.subarray(delta / 4, delta / 4 + rows * numClasses);
    return config.output.activation === 'softmax'
      ? softmaxCrossEntropy(logits, d, labels, positions, numClasses, epsilon)
      : sigmoidCrossEntropy(logits, d, labels, positions, numClasses, epsilon);
  };

  const step = (positions: Int32Array): number => {
    const rows = positions.length;
    i32.set(positions, idx / 4);
    k.gatherRows(residentX, idx, input, rows, inputWidth);
    let prev = input;
    for (const l of layers) {
      k.gemm(prev, l.inputs * 4, 4, params + l.kernel, params + l.bias, 0, l.out, rows, l.inputs, l.units);
      activate(l, rows);
      if (l.dropout) dropoutForward(l, l.dropout, rows);
      prev = outputOf(l);
    }
    let delta = deltaA;
    let spare = deltaB;
    let loss = outputLoss(positions, delta);
    for (let i = layers.length - 1; i >= 0; i--) {
      const l = layers[i];
      const below = i > 0 ? outputOf(layers[i - 1]) : input;
      // ∂W = belowᵀ · delta (below read transposed through its strides), ∂b = column sums of delta.
      k.gemm(below, 4, l.inputs * 4, delta, 0, 0, grads + l.kernel, l.inputs, rows, l.units);
      k.columnSums(delta, grads + l.bias, rows, l.units);
      if (l.l2 > 0) {
        loss += l.l2 * k.sumSquares(params + l.kernel, l.inputs * l.units);
        k.axpy(params + l.kernel, grads + l.kernel, l.inputs * l.units, 2 * l.l2);
      }
      if (i === 0) break;
      k.transpose(params + l.kernel, transposed, l.inputs, l.units);
      k.gemm(delta, l.units * 4, 4, transposed, 0, 0, spare, rows, l.units, l.inputs);
      const under = layers[i - 1];
      if (under.dropout) {
        const count = rows * under.units;
        const mask = f32.subarray(under.mask / 4, under.mask / 4 + count);
        const d = f32.subarray(spare / 4, spare / 4 + count);
        for (let j = 0; j < count; j++) d[j] *= mask[j];
      }
      activationBackward(under, spare, rows);
      [delta, spare] = [spare, delta];
    }
    if (optimizer === 'adam') {
      k.adam(
        params,
        grads,
        firstMoments,
        secondMoments,
        paramFloats,
        -learningRate,
        ADAM_BETA1,
        1 - ADAM_BETA1,
        ADAM_BETA2,
        1 - ADAM_BETA2,
        Math.fround(1 - accBeta1),
        Math.fround(1 - accBeta2),
        epsilon,
      );
      accBeta1 = Math.fround(accBeta1 * Math.fround(ADAM_BETA1));
      accBeta2 = Math.fround(accBeta2 * Math.fround(ADAM_BETA2));
    } else if (optimizer === 'rmsprop') {
      k.rmsprop(
        params,
        grads,
        firstMoments,
        secondMoments,
        paramFloats,
        learningRate,
        RMSPROP_DECAY,
        1 - RMSPROP_DECAY,
        RMSPROP_MOMENTUM,
        epsilon,
      );
    } else {
      k.sgd(params, grads, paramFloats, -learningRate);
    }
    iterations++;
    return loss;
  };

  const block = (base: number, l: Layer, part: 'kernel' | 'bias'): Float32Array => {
    const at = (base + l[part]) / 4;
    return f32.slice(at, at + (part === 'kernel' ? l.inputs * l.units : l.units));
  };
  const shapeOf = (l: Layer, part: 'kernel' | 'bias'): number[] =>
    part === 'kernel' ? [l.inputs, l.units] : [l.units];
  const parts = layers.flatMap((l) => (['kernel', 'bias'] as const).map((part) => ({ l, part })));

  return {
    trainSteps(order, ranges) {
      const losses = new Float64Array(ranges.length);
      ranges.forEach(([start, end], i) => (losses[i] = step(order.subarray(start, end))));
      return losses;
    },
    writeWeights(target) {
      const tensors = parts.map(({ l, part }) => tf.tensor(block(params, l, part), shapeOf(l, part)));
      target.setWeights(tensors);
      tf.dispose(tensors);
    },
    optimizerWeights() {
      const iter = { name: 'iter', tensor: tf.scalar(iterations, 'int32') };
      if (optimizer === 'sgd') return [iter];
      const moments = (base: number, suffix: string) =>
        parts.map(({ l, part }, i) => ({
          name: `${variableNames[i]}/${suffix}`,
          tensor: tf.tensor(block(base, l, part), shapeOf(l, part)),
        }));
      // tfjs's names: Adam's m and v; RMSprop's mean squares and moments (both blocks double as them).
      const [first, second] = optimizer === 'adam' ? ['m', 'v'] : ['rms', 'momentum'];
      return [iter, ...moments(firstMoments, first), ...moments(secondMoments, second)];
    },
    async setOptimizerWeights(saved) {
      const iter = saved.find((w) => w.name === 'iter');
      if (!iter) throw new Error('dense engine: optimizer state without an iteration count');
      iterations = (await iter.tensor.data())[0];
      // β^(t+1), the power the next step divides by, as the uninterrupted run's float32 products
      // reach it (tfjs's setWeights takes pow(), an ulp off), so a resumed fit continues exactly.
      accBeta1 = Math.fround(ADAM_BETA1);
      accBeta2 = Math.fround(ADAM_BETA2);
      for (let t = 0; t < iterations; t++) {
        accBeta1 = Math.fround(accBeta1 * Math.fround(ADAM_BETA1));
        accBeta2 = Math.fround(accBeta2 * Math.fround(ADAM_BETA2));
      }
      if (optimizer === 'sgd') return;
      const rest = saved.filter((w) => w !== iter);
      if (rest.length !== 2 * parts.length)
        throw new Error(`dense engine: ${rest.length} optimizer moments for ${parts.length} weights`);
      parts.forEach(({ l, part }, i) => {
        f32.set(rest[i].tensor.dataSync(), (firstMoments + l[part]) / 4);
        f32.set(rest[parts.length + i].tensor.dataSync(), (secondMoments + l[part]) / 4);
      });
    },
  };
}

/** The activations tfjs applies, outside ReLU and linear (done in the kernels). */
function activation(name: Activation, x: number): number {
  switch (name) {
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh(x);
    case 'elu':
      return x > 0 ? x : Math.expm1(x);
    case 'selu':
      return x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x);
    case 'softplus':
      return Math.log1p(Math.exp(x));
    case 'exponential':
      return Math.exp(x);
    default:
      throw new Error(`dense engine: no activation ${name}`);
  }
}

/** d(activation)/dx written in terms of its output y, as tfjs's gradients use it. */
function activationSlope(name: Activation, y: number): number {
  switch (name) {
    case 'sigmoid':
      return y * (1 - y);
    case 'tanh':
      return 1 - y * y;
    case 'elu':
      return y > 0 ? 1 : y + 1;
    case 'selu':
      return y > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
    case 'softplus':
      return -Math.expm1(-y);
    case 'exponential':
      return y;
    default:
      throw new Error(`dense engine: no activation ${name}`);
  }
}

/**
 * Softmax, then tfjs-layers' categoricalCrossentropy (p / Σp, clipped to [ε, 1−ε], −Σ y·log p) averaged
 * over the rows; `delta` gets the gradient w.r.t. the logits through that same chain (the clip's
 * gradient is 0 outside its range, as tfjs's clipByValue).
 */
function softmaxCrossEntropy(
  logits: Float32Array,
  delta: Float32Array,
  labels: Int32Array,
  positions: Int32Array,
  numClasses: number,
  epsilon: number,
): number {
  const rows = positions.length;
  const p = new Float64Array(numClasses);
  const dp = new Float64Array(numClasses);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const z = logits.subarray(r * numClasses, (r + 1) * numClasses);
    let max = -Infinity;
    for (let j = 0; j < numClasses; j++) max = Math.max(max, z[j]);
    let sum = 0;
    for (let j = 0; j < numClasses; j++) sum += p[j] = Math.exp(z[j] - max);
    let pSum = 0;
    for (let j = 0; j < numClasses; j++) pSum += p[j] = Math.fround(p[j] / sum);
    const label = labels[positions[r]];
    // Only the labelled class has y = 1, so only its term has a loss and a gradient.
    let dot = 0;
    for (let j = 0; j < numClasses; j++) {
      let dq = 0;
      if (j === label) {
        const q = p[j] / pSum;
        const clipped = Math.min(Math.max(q, epsilon), 1 - epsilon);
        total -= Math.log(clipped);
        if (q >= epsilon && q <= 1 - epsilon) dq = -1 / clipped / rows;
      }
      dp[j] = dq / pSum;
      dot += dq * p[j];
    }
    let dpDotP = 0;
    for (let j = 0; j < numClasses; j++) {
      dp[j] -= dot / (pSum * pSum);
      dpDotP += dp[j] * p[j];
    }
    const d = delta.subarray(r * numClasses, (r + 1) * numClasses);
    for (let j = 0; j < numClasses; j++) d[j] = p[j] * (dp[j] - dpDotP);
  }
  return total / rows;
}

/**
 * Sigmoid outputs with tfjs-layers' binaryCrossentropy (p clipped to [ε, 1−ε], its logit taken again,
 * sigmoid cross-entropy with logits), averaged over units and rows; `delta` gets the gradient w.r.t.
 * the pre-activations through that chain.
 */
function sigmoidCrossEntropy(
  logits: Float32Array,
  delta: Float32Array,
  labels: Int32Array,
  positions: Int32Array,
  numClasses: number,
  epsilon: number,
): number {
  const rows = positions.length;
  const scale = 1 / (rows * numClasses);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const label = labels[positions[r]];
    for (let j = 0; j < numClasses; j++) {
      const at = r * numClasses + j;
      const p = Math.fround(1 / (1 + Math.exp(-logits[at])));
      const y = j === label ? 1 : 0;
      const clipped = Math.min(Math.max(p, epsilon), 1 - epsilon);
      const z = Math.log(clipped / (1 - clipped));
      total += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
      const inRange = p >= epsilon && p <= 1 - epsilon;
      const dz = 1 / (1 + Math.exp(-z)) - y;
      delta[at] = inRange ? (dz / (clipped * (1 - clipped))) * p * (1 - p) * scale : 0;
    }
  }
  return total * scale;
}
