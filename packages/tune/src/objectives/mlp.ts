import type { Activation, DenseSpec, MlpConfig, TrainingSpec } from '@corpus-tune/train';
import type { Objective } from '../objective.ts';
import type { Params } from '../space.ts';
import { modelObjective } from './network.ts';
import type { ModelObjectiveOptions } from './network.ts';
import { num as numOf, str as strOf } from './params.ts';

export { TRIAL_MODEL_DIR } from './network.ts';

export type MlpObjectiveOptions = ModelObjectiveOptions;

const num = (params: Params, name: string, fallback?: number): number => numOf(params, name, fallback, 'MLP');
const str = (params: Params, name: string, fallback?: string): string => strOf(params, name, fallback, 'MLP');

/**
 * Translates a sampled configuration (the `mlp` / `complete` spaces' parameter names) into
 * train's MlpConfig: layers, units_i, activation_i, dropout / use_dropout, l2 / use_l2, optimizer,
 * learning_rate, batch_size, epochs, output_activation.
 */
export function mlpConfigFromParams(
  params: Params,
  inputShape: number[],
  numClasses: number,
  maxEpochs?: number,
): MlpConfig {
  const layers = num(params, 'layers');
  const dropout = params.use_dropout === false ? 0 : num(params, 'dropout', 0);
  // Like dropout: the switch off (or no l2 in the space, e.g. the poster's `mlp`) means no penalty.
  const l2 = params.use_l2 === false ? 0 : num(params, 'l2', 0);
  const hidden: DenseSpec[] = [];
  for (let i = 0; i < layers; i++) {
    const spec: DenseSpec = {
      units: num(params, `units_${i}`),
      activation: str(params, `activation_${i}`, str(params, 'activation', 'relu')) as Activation,
    };
    if (dropout > 0) spec.dropout = dropout;
    if (l2 > 0) spec.l2 = l2;
    hidden.push(spec);
  }
  const epochs = num(params, 'epochs', 10);
  const training: TrainingSpec = {
    optimizer: str(params, 'optimizer', 'adam') as TrainingSpec['optimizer'],
    learningRate: num(params, 'learning_rate', 0.001),
    batchSize: num(params, 'batch_size', 128),
    epochs: maxEpochs !== undefined ? Math.min(epochs, maxEpochs) : epochs,
  };
  return {
    kind: 'mlp',
    inputShape,
    numClasses,
    output: { activation: str(params, 'output_activation', 'softmax') as 'softmax' | 'sigmoid' },
    training,
    hidden,
  };
}

/** The MLP objective: modelObjective with mlpConfigFromParams (see modelObjective for the protocols). */
export function mlpObjective(options: MlpObjectiveOptions): Objective {
  return modelObjective(options, mlpConfigFromParams);
}
