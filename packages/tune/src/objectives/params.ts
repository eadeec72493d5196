import { InputError } from '@corpus-tune/core';
import type { Activation, DenseSpec, OutputSpec, TrainingSpec } from '@corpus-tune/train';
import type { Params } from '../space.ts';

/** A numeric parameter, else `fallback`; neither: an InputError naming the model kind. */
export function num(params: Params, name: string, fallback?: number, kind = 'model'): number {
  const v = params[name];
  if (typeof v === 'number') return v;
  if (fallback !== undefined) return fallback;
  throw new InputError(`${kind} configuration lacks numeric "${name}"`);
}

/** A string parameter, else `fallback`; neither: an InputError naming the model kind. */
export function str(params: Params, name: string, fallback?: string, kind = 'model'): string {
  const v = params[name];
  if (typeof v === 'string') return v;
  if (fallback !== undefined) return fallback;
  throw new InputError(`${kind} configuration lacks "${name}"`);
}

/** The dropout rate of a configuration: 0 when `use_dropout` is false or `dropout` is absent. */
export function dropoutOf(params: Params): number {
  return params.use_dropout === false ? 0 : num(params, 'dropout', 0);
}

/** The L2 factor of a configuration: 0 when `use_l2` is false or `l2` is absent. */
export function l2Of(params: Params): number {
  return params.use_l2 === false ? 0 : num(params, 'l2', 0);
}

/** The training recipe of a configuration (optimizer, learning_rate, batch_size, epochs ≤ maxEpochs). */
export function trainingOf(params: Params, maxEpochs: number | undefined, kind: string): TrainingSpec {
  const epochs = num(params, 'epochs', 10, kind);
  return {
    optimizer: str(params, 'optimizer', 'adam', kind) as TrainingSpec['optimizer'],
    learningRate: num(params, 'learning_rate', 0.001, kind),
    batchSize: num(params, 'batch_size', 32, kind),
    epochs: maxEpochs !== undefined ? Math.min(epochs, maxEpochs) : epochs,
  };
}

/**
 * The Dense head before the output layer: `dense_layers` (absent: 0) layers of `dense_units_i`
 * units with `dense_activation_i` (else `dense_activation`, else relu), each followed by the
 * configuration's dropout and carrying its L2 factor.
 */
export function denseHeadOf(params: Params, kind: string): DenseSpec[] {
  const layers = num(params, 'dense_layers', 0, kind);
  const dropout = dropoutOf(params);
  const l2 = l2Of(params);
  const shared = str(params, 'dense_activation', 'relu', kind);
  return Array.from({ length: layers }, (_, i) => {
    const spec: DenseSpec = {
      units: num(params, `dense_units_${i}`, undefined, kind),
      activation: str(params, `dense_activation_${i}`, shared, kind) as Activation,
    };
    if (dropout > 0) spec.dropout = dropout;
    if (l2 > 0) spec.l2 = l2;
    return spec;
  });
}

export function outputOf(params: Params, kind: string): OutputSpec {
  return { activation: str(params, 'output_activation', 'softmax', kind) as OutputSpec['activation'] };
}
