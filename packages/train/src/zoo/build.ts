import * as tf from '@tensorflow/tfjs';
import { createRng, InputError } from '@corpus-tune/core';
import type { Activation, DenseSpec, ModelConfig } from './config.ts';
import { Exponential, SeededDropout } from './layers.ts';
import { DEFAULT_SEED } from '../options.ts';
import { fuseLstmLayers } from '../lstm-fused.ts';

export interface BuildOptions {
  /** Seeds the weight initialisers and dropout masks (default 1). */
  seed?: number;
}

type TfActivation = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear' | 'elu' | 'selu' | 'softplus';

/** Weight initialisers and dropout seeds drawn per layer from one base seed. */
class LayerSeeds {
  private next = 0;
  constructor(private readonly base: number) {}
  take(): number {
    return (Math.imul(this.base + 0x51ed27, 0x2c1b3c6d) + 0x9e3779b9 * ++this.next) >>> 0;
  }
  glorot(): ReturnType<typeof tf.initializers.glorotUniform> {
    return tf.initializers.glorotUniform({ seed: this.take() });
  }
}

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function applyActivation(x: tf.SymbolicTensor, activation: Activation): tf.SymbolicTensor {
  return activation === 'exponential' ? (new Exponential({}).apply(x) as tf.SymbolicTensor) : x;
}

function tfActivation(activation: Activation): TfActivation {
  return activation === 'exponential' ? 'linear' : activation;
}

function dropout(x: tf.SymbolicTensor, rate: number | undefined, seeds: LayerSeeds): tf.SymbolicTensor {
  return rate && rate > 0
    ? (new SeededDropout({ rate, seed: seeds.take() }).apply(x) as tf.SymbolicTensor)
    : x;
}

/** Keras' `kernel_regularizer=l2(x)`; none for 0/absent, so unregularised models save exactly as before. */
function kernelRegularizer(l2: number | undefined): {
  kernelRegularizer?: ReturnType<typeof tf.regularizers.l2>;
} {
  return l2 && l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2 }) } : {};
}

function denseStack(x: tf.SymbolicTensor, specs: DenseSpec[], seeds: LayerSeeds): tf.SymbolicTensor {
  let h = x;
  for (const spec of specs) {
    h = tf.layers
      .dense({
        units: spec.units,
        activation: tfActivation(spec.activation),
        kernelInitializer: seeds.glorot(),
        ...kernelRegularizer(spec.l2),
      })
      .apply(h) as tf.SymbolicTensor;
    h = applyActivation(h, spec.activation);
    h = dropout(h, spec.dropout, seeds);
  }
  return h;
}

/** [timeSteps, features] view of an input shape for the recurrent models. */
function sequenceShape(shape: number[]): [number, number] {
  if (shape.length < 2)
    throw new InputError(
      `recurrent models need an input shape of rank ≥ 2 (time, features), got [${shape.join(', ')}]`,
    );
  return [shape[0], product(shape.slice(1))];
}

function validate(config: ModelConfig): void {
  if (!config.inputShape.length || config.inputShape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new InputError(
      `model config: inputShape must be positive integers, got [${config.inputShape.join(', ')}]`,
    );
  }
  if (!Number.isInteger(config.numClasses) || config.numClasses < 2)
    throw new InputError(`model config: numClasses must be ≥ 2, got ${config.numClasses}`);
  const field = config.kind === 'mlp' ? 'hidden' : 'dense';
  const specs = config.kind === 'mlp' ? config.hidden : config.dense;
  specs.forEach((spec, i) => {
    // A negative factor would reward large weights; NaN/Infinity would make every loss non-finite.
    if (spec.l2 !== undefined && !(Number.isFinite(spec.l2) && spec.l2 >= 0)) {
      throw new InputError(`model config: ${field}[${i}].l2 must be a finite number ≥ 0, got ${spec.l2}`);
    }
  });
}

/** Builds the (uncompiled) tfjs model a config describes. Same config + seed ⇒ same initial weights. */
export function buildModel(config: ModelConfig, options: BuildOptions = {}): tf.LayersModel {
  validate(config);
  const seeds = new LayerSeeds(options.seed ?? DEFAULT_SEED);
  const input = tf.input({ shape: config.inputShape });
  let h: tf.SymbolicTensor = input;
  switch (config.kind) {
    case 'mlp': {
      if (config.inputShape.length > 1) h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
      h = denseStack(h, config.hidden, seeds);
      break;
    }
    case 'cnn': {
      if (config.inputShape.length !== 3)
        throw new InputError(
          `the 2-D CNN needs [height, width, channels] input, got [${config.inputShape.join(', ')}]`,
        );
      for (const block of config.convBlocks) {
        h = tf.layers
          .conv2d({
            filters: block.filters,
            kernelSize: block.kernelSizePx,
            activation: tfActivation(block.activation),
            padding: block.padding ?? 'valid',
            kernelInitializer: seeds.glorot(),
          })
          .apply(h) as tf.SymbolicTensor;
        h = applyActivation(h, block.activation);
        h = tf.layers
          .maxPooling2d({ poolSize: block.poolSizePx, strides: block.poolStridePx ?? block.poolSizePx })
          .apply(h) as tf.SymbolicTensor;
        h = dropout(h, block.dropout, seeds);
      }
      h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
      h = denseStack(h, config.dense, seeds);
      break;
    }
    case 'lstm':
    case 'cnn-lstm': {
      const [steps, features] = sequenceShape(config.inputShape);
      if (config.inputShape.length !== 2)
        h = tf.layers.reshape({ targetShape: [steps, features] }).apply(h) as tf.SymbolicTensor;
      if (config.kind === 'cnn-lstm') {
        for (const conv of config.conv) {
          h = tf.layers
            .conv1d({
              filters: conv.filters,
              kernelSize: conv.kernelSize,
              activation: tfActivation(conv.activation),
              padding: 'same',
              kernelInitializer: seeds.glorot(),
            })
            .apply(h) as tf.SymbolicTensor;
          h = applyActivation(h, conv.activation);
          if (conv.poolSize && conv.poolSize > 1)
            h = tf.layers.maxPooling1d({ poolSize: conv.poolSize }).apply(h) as tf.SymbolicTensor;
        }
      }
      config.lstm.forEach((spec, i) => {
        h = tf.layers
          .lstm({
            units: spec.units,
            returnSequences: i < config.lstm.length - 1,
            kernelInitializer: seeds.glorot(),
            recurrentInitializer: 'zeros',
          })
          .apply(h) as tf.SymbolicTensor;
        h = dropout(h, spec.dropout, seeds);
      });
      h = denseStack(h, config.dense, seeds);
      break;
    }
  }
  const output = tf.layers
    .dense({
      units: config.numClasses,
      activation: config.output.activation,
      kernelInitializer: seeds.glorot(),
    })
    .apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  for (const layer of model.layers) {
    const shape = layer.outputShape as (number | null)[];
    if (shape.some((d) => d !== null && d <= 0)) {
      model.dispose();
      throw new InputError(
        `input shape [${config.inputShape.join(', ')}] is too small for this ${config.kind}: layer ${layer.name} would output ${JSON.stringify(shape)}`,
      );
    }
  }
  // Keras's orthogonal recurrent initialiser. tfjs's computes a QR with hundreds of tiny tensor ops
  // (≈ a minute per LSTM on the CPU backend), so we orthonormalise in plain JS and set the weights.
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'LSTM') continue;
    const [kernel, recurrent, bias] = layer.getWeights();
    const [rows, cols] = recurrent.shape as [number, number];
    const orth = tf.tensor2d(orthogonalMatrix(rows, cols, seeds.take()), [rows, cols]);
    layer.setWeights([kernel, orth, bias]);
    orth.dispose();
  }
  fuseLstmLayers(model);
  return model;
}

/**
 * A rows×cols matrix with orthonormal rows (rows ≤ cols) or columns (rows > cols), from a seeded
 * Gaussian matrix by modified Gram–Schmidt (as Keras's Orthogonal: QR of a normal matrix).
 */
export function orthogonalMatrix(rows: number, cols: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const [m, n] = rows <= cols ? [rows, cols] : [cols, rows];
  const v = Array.from({ length: m }, () => Float64Array.from({ length: n }, () => rng.normal()));
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let k = 0; k < n; k++) dot += v[i][k] * v[j][k];
      for (let k = 0; k < n; k++) v[i][k] -= dot * v[j][k];
    }
    let norm = 0;
    for (let k = 0; k < n; k++) norm += v[i][k] * v[i][k];
    norm = Math.sqrt(norm);
    for (let k = 0; k < n; k++) v[i][k] /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[r * cols + c] = rows <= cols ? v[r][c] : v[c][r];
  return out;
}
