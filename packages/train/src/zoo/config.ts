/**
 * Typed, JSON-serialisable model configurations. A config fully determines a model's layout and
 * its training recipe; `buildModel` turns one into a tfjs model, the tuner writes its own.
 */

/** Activations: tfjs's plus `exponential` (Keras's `exponential`, used by MLP-A2). */
export type Activation =
  'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear' | 'elu' | 'selu' | 'softplus' | 'exponential';
export const ACTIVATIONS: readonly Activation[] = [
  'relu',
  'sigmoid',
  'tanh',
  'softmax',
  'linear',
  'elu',
  'selu',
  'softplus',
  'exponential',
];

export interface DenseSpec {
  units: number;
  activation: Activation;
  /** Dropout rate after the layer (0 or absent: none). */
  dropout?: number;
  /**
   * L2 penalty factor on the kernel (not the bias), as Keras' `kernel_regularizer=l2(x)`: the training
   * loss gains l2 · Σ w² over this layer's kernel. 0 or absent: none.
   */
  l2?: number;
}

export interface TrainingSpec {
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number;
  batchSize: number;
  epochs: number;
}

export interface OutputSpec {
  /** Output activation; `softmax` trains with categorical cross-entropy, `sigmoid` with per-unit binary cross-entropy. */
  activation: 'softmax' | 'sigmoid';
}

interface ConfigBase {
  /** Shape of one example as the features stage wrote it (`shape` metadata). */
  inputShape: number[];
  numClasses: number;
  output: OutputSpec;
  training: TrainingSpec;
}

export interface MlpConfig extends ConfigBase {
  kind: 'mlp';
  hidden: DenseSpec[];
}

export interface ConvBlockSpec {
  filters: number;
  kernelSizePx: number;
  activation: Activation;
  poolSizePx: number;
  /** Pool stride; defaults to the pool size. */
  poolStridePx?: number;
  padding?: 'valid' | 'same';
  dropout?: number;
}

export interface Cnn2dConfig extends ConfigBase {
  kind: 'cnn';
  convBlocks: ConvBlockSpec[];
  dense: DenseSpec[];
}

export interface LstmSpec {
  units: number;
  dropout?: number;
}

export interface LstmConfig extends ConfigBase {
  kind: 'lstm';
  /** Input is read as [timeSteps, features]; extra trailing dims are flattened into features. */
  lstm: LstmSpec[];
  dense: DenseSpec[];
}

export interface Conv1dSpec {
  filters: number;
  kernelSize: number;
  activation: Activation;
  /** Max-pool size over time after the layer (1 or absent: none). */
  poolSize?: number;
}

export interface CnnLstmConfig extends ConfigBase {
  kind: 'cnn-lstm';
  conv: Conv1dSpec[];
  lstm: LstmSpec[];
  dense: DenseSpec[];
}

export type ModelConfig = MlpConfig | Cnn2dConfig | LstmConfig | CnnLstmConfig;
export type ModelKind = ModelConfig['kind'];
