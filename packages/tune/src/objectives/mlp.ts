import { join } from 'node:path';
import { InputError } from '@corpus-tune/core';
import { buildModel, evaluateModel, fitModel, parameterCount, saveModel } from '@corpus-tune/train';
import type { Activation, DenseSpec, EpochLog, EpochVerdict, FeatureSplit, MlpConfig, TrainingSpec } from '@corpus-tune/train';
import { TrialFailure, TrialPruned } from '../errors.ts';
import type { Objective, TrialResult, TrialRun } from '../objective.ts';
import type { Params } from '../space.ts';

type Model = ReturnType<typeof buildModel>;

/** Where the trained model of a trial is kept (inside its checkpoint directory). */
export const TRIAL_MODEL_DIR = 'model';

export interface MlpObjectiveOptions {
  train: FeatureSplit;
  dev: FeatureSplit;
  /** 'inner': early stop on an inner split of train (ours); 'dev': early stop and rank on dev (Keras Tuner). */
  earlyStopOn: 'inner' | 'dev';
  /** Upper bound on the epochs a trial may ask for (the budget). */
  maxEpochs?: number;
  /** Seeded subsample of train per trial (demo budgets). */
  maxTrainRows?: number;
  innerValFraction?: number;
  /** Default early-stopping patience when the space has no "patience" parameter. */
  patienceEpochs?: number;
  /** Keep each trial's trained model under its checkpoint dir (needed for the final evaluation). */
  saveModels?: boolean;
}

function num(params: Params, name: string, fallback?: number): number {
  const v = params[name];
  if (typeof v === 'number') return v;
  if (fallback !== undefined) return fallback;
  throw new InputError(`MLP configuration lacks numeric "${name}"`);
}

function str(params: Params, name: string, fallback?: string): string {
  const v = params[name];
  if (typeof v === 'string') return v;
  if (fallback !== undefined) return fallback;
  throw new InputError(`MLP configuration lacks "${name}"`);
}

/**
 * Translates a sampled configuration (the `mlp` / `complete` spaces' parameter names) into
 * train's MlpConfig: layers, units_i, activation_i, dropout / use_dropout, l2 / use_l2, optimizer,
 * learning_rate, batch_size, epochs, output_activation.
 */
export function mlpConfigFromParams(params: Params, inputShape: number[], numClasses: number, maxEpochs?: number): MlpConfig {
  const layers = num(params, 'layers');
  const dropout = params.use_dropout === false ? 0 : num(params, 'dropout', 0);
  // Like dropout: the switch off (or no l2 in the space, e.g. the poster's `mlp`) means no penalty.
  const l2 = params.use_l2 === false ? 0 : num(params, 'l2', 0);
  const hidden: DenseSpec[] = [];
  for (let i = 0; i < layers; i++) {
    const spec: DenseSpec = { units: num(params, `units_${i}`), activation: str(params, `activation_${i}`, str(params, 'activation', 'relu')) as Activation };
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
  return { kind: 'mlp', inputShape, numClasses, output: { activation: str(params, 'output_activation', 'softmax') as 'softmax' | 'sigmoid' }, training, hidden };
}

/**
 * The MLP objective over @corpus-tune/train. The value is the dev error rate:
 * - earlyStopOn 'inner' (our protocol): fitModel early-stops on an inner split carved from train and
 *   restores the best inner-val weights; dev is evaluated once, after training; pruning watches the
 *   inner-val error.
 * - earlyStopOn 'dev' (Keras Tuner's protocol): every epoch is scored on dev, training stops when dev
 *   stops improving, and the trial keeps its best-dev epoch (as Keras Tuner's checkpoints do).
 * A NaN loss, an impossible layer shape or an exception fails the trial with its reason.
 */
export function mlpObjective(options: MlpObjectiveOptions): Objective {
  const numClasses = Math.max(options.train.classNames.length, options.dev.classNames.length);
  const innerValFraction = options.innerValFraction ?? 0.1;
  return {
    async run(trial: TrialRun): Promise<TrialResult> {
      const config = mlpConfigFromParams(trial.params, options.train.shape, numClasses, options.maxEpochs);
      const patience = num(trial.params, 'patience', options.patienceEpochs ?? 3);
      let model: Model;
      try {
        model = buildModel(config, { seed: trial.seed });
      } catch (error) {
        throw new TrialFailure('shape', `cannot build the model: ${(error as Error).message}`, { cause: error });
      }
      try {
        let pruned: TrialPruned | null = null;
        const onPrune = (error: unknown): EpochVerdict => {
          if (error instanceof TrialPruned) {
            pruned = error;
            return 'stop';
          }
          throw error;
        };
        let devError: number;
        let innerValError: number | null = null;
        let fitEpochs = 0;
        let learningCurve: EpochLog[] = [];
        if (options.earlyStopOn === 'inner') {
          const fit = await fitModel(model, config, options.train, {
            seed: trial.seed,
            innerValFraction,
            patienceEpochs: patience,
            checkpointDir: join(trial.checkpointDir, 'fit'),
            ...(options.maxTrainRows !== undefined ? { maxTrainRows: options.maxTrainRows } : {}),
            onEpochEnd: (log) => {
              try {
                trial.report(log.epoch, log.innerValError);
                return undefined;
              } catch (error) {
                return onPrune(error);
              }
            },
          });
          if (fit.status === 'failed') throw new TrialFailure('nan', fit.reason ?? 'non-finite loss');
          if (pruned) throw pruned;
          devError = evaluateModel(model, options.dev).error.rate;
          const best = fit.learningCurve.find((l) => l.epoch === fit.bestEpoch);
          innerValError = best ? best.innerValError : null;
          fitEpochs = fit.epochsRun;
          learningCurve = fit.learningCurve;
        } else {
          let bestDev = Infinity;
          let bestWeights: { dispose(): void }[] | null = null;
          let wait = 0;
          const fit = await fitModel(model, config, options.train, {
            seed: trial.seed,
            // Keras Tuner trains on all of train and validates on dev; fitModel always carves an inner
            // split, so keep it tiny and never let it stop training.
            innerValFraction: 0.01,
            patienceEpochs: Number.MAX_SAFE_INTEGER,
            ...(options.maxTrainRows !== undefined ? { maxTrainRows: options.maxTrainRows } : {}),
            onEpochEnd: (log) => {
              const dev = evaluateModel(model, options.dev).error.rate;
              if (dev < bestDev) {
                bestDev = dev;
                wait = 0;
                for (const w of bestWeights ?? []) w.dispose();
                bestWeights = model.getWeights().map((w) => w.clone());
              } else wait++;
              try {
                trial.report(log.epoch, dev);
              } catch (error) {
                return onPrune(error);
              }
              return wait >= patience ? 'stop' : undefined;
            },
          });
          if (fit.status === 'failed') throw new TrialFailure('nan', fit.reason ?? 'non-finite loss');
          if (pruned) throw pruned;
          if (bestWeights) {
            model.setWeights(bestWeights as unknown as ReturnType<Model['getWeights']>);
            for (const w of bestWeights as { dispose(): void }[]) w.dispose();
          }
          devError = bestDev;
          fitEpochs = fit.epochsRun;
          learningCurve = fit.learningCurve;
        }
        if (options.saveModels ?? true) await saveModel(model, join(trial.checkpointDir, TRIAL_MODEL_DIR));
        return {
          value: devError,
          attrs: {
            devError,
            innerValError,
            parameterCount: parameterCount(model),
            epochs: fitEpochs,
            learningCurve: JSON.stringify(learningCurve.map((l) => ({ epoch: l.epoch, loss: l.loss, innerValLoss: l.innerValLoss, innerValError: l.innerValError }))),
          },
        };
      } finally {
        model.dispose();
      }
    },
  };
}
