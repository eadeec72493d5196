import { join } from 'node:path';
import {
  augmentationRecord,
  buildModel,
  DEFAULT_FIT_OPTIONS,
  evaluateModel,
  fitModel,
  parameterCount,
  saveModel,
} from '@corpus-tune/train';
import type { EpochLog, EpochVerdict, FeatureSplit, FitOptions, ModelConfig } from '@corpus-tune/train';
import { TrialFailure, TrialPruned } from '../errors.ts';
import type { Objective, TrialResult, TrialRun } from '../objective.ts';
import type { Params } from '../space.ts';
import { num } from './params.ts';

type Model = ReturnType<typeof buildModel>;

/** Where the trained model of a trial is kept (inside its checkpoint directory). */
export const TRIAL_MODEL_DIR = 'model';

/**
 * Maps a sampled configuration to train's ModelConfig for the data's example shape and class count;
 * `maxEpochs` (the budget) caps the configuration's epochs.
 */
export type ConfigFromParams = (
  params: Params,
  inputShape: number[],
  numClasses: number,
  maxEpochs?: number,
) => ModelConfig;

export interface ModelObjectiveOptions {
  train: FeatureSplit;
  dev: FeatureSplit;
  /** 'inner': early stop on an inner split of train (ours); 'dev': stop and rank on dev (Keras Tuner). */
  earlyStopOn: 'inner' | 'dev';
  /** Upper bound on the epochs a trial may ask for (the budget). */
  maxEpochs?: number;
  /** Seeded subsample of train per trial (demo budgets). */
  maxTrainRows?: number;
  innerValFraction?: number;
  /** Default early-stopping patience when the space has no "patience" parameter. */
  patienceEpochs?: number;
  /**
   * Patch augmentation of the training batches (train's FitOptions.augment; patch splits only).
   * Default train's: on; null: off (`tune run --no-augment`).
   */
  augment?: FitOptions['augment'];
  /** Keep each trial's trained model under its checkpoint dir (needed for the final evaluation). */
  saveModels?: boolean;
}

/**
 * The objective over @corpus-tune/train for any model kind: `configFromParams` turns a trial's
 * parameters into a ModelConfig (MLP, CNN, LSTM, CNN+LSTM), the rest is kind-agnostic. The value
 * is the dev error rate:
 * - earlyStopOn 'inner' (our protocol): fitModel early-stops on an inner split carved from train and
 *   restores the best inner-val weights; dev is evaluated once, after training; pruning watches the
 *   inner-val error.
 * - earlyStopOn 'dev' (Keras Tuner's protocol): every epoch is scored on dev, training stops when dev
 *   stops improving, and the trial keeps its best-dev epoch (as Keras Tuner's checkpoints do).
 * A NaN loss, an impossible layer shape or an exception fails the trial with its reason.
 */
export function modelObjective(
  options: ModelObjectiveOptions,
  configFromParams: ConfigFromParams,
): Objective {
  const numClasses = Math.max(options.train.classNames.length, options.dev.classNames.length);
  const innerValFraction = options.innerValFraction ?? 0.1;
  const augment = options.augment === undefined ? DEFAULT_FIT_OPTIONS.augment : options.augment;
  return {
    async run(trial: TrialRun): Promise<TrialResult> {
      const config = configFromParams(trial.params, options.train.shape, numClasses, options.maxEpochs);
      const patience = num(trial.params, 'patience', options.patienceEpochs ?? 3);
      let model: Model;
      try {
        model = buildModel(config, { seed: trial.seed });
      } catch (error) {
        // Impossible layer shapes (pooling past zero size, a kernel larger than its input, …).
        throw new TrialFailure('shape', `cannot build the model: ${(error as Error).message}`, {
          cause: error,
        });
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
        let augmentation: ReturnType<typeof augmentationRecord> | null = null;
        if (options.earlyStopOn === 'inner') {
          const fit = await fitModel(model, config, options.train, {
            seed: trial.seed,
            innerValFraction,
            patienceEpochs: patience,
            checkpointDir: join(trial.checkpointDir, 'fit'),
            augment,
            ...(options.maxTrainRows !== undefined ? { maxTrainRows: options.maxTrainRows } : {}),
            onEpochEnd: async (log) => {
              try {
                await trial.report(log.epoch, log.innerValError);
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
          augmentation = augmentationRecord(fit.augmentation, augment);
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
            augment,
            ...(options.maxTrainRows !== undefined ? { maxTrainRows: options.maxTrainRows } : {}),
            onEpochEnd: async (log) => {
              const dev = evaluateModel(model, options.dev).error.rate;
              if (dev < bestDev) {
                bestDev = dev;
                wait = 0;
                for (const w of bestWeights ?? []) w.dispose();
                bestWeights = model.getWeights().map((w) => w.clone());
              } else wait++;
              try {
                await trial.report(log.epoch, dev);
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
          augmentation = augmentationRecord(fit.augmentation, augment);
        }
        if (options.saveModels ?? true) await saveModel(model, join(trial.checkpointDir, TRIAL_MODEL_DIR));
        return {
          value: devError,
          attrs: {
            devError,
            innerValError,
            parameterCount: parameterCount(model),
            epochs: fitEpochs,
            augmentation: JSON.stringify(augmentation),
            learningCurve: JSON.stringify(
              learningCurve.map((l) => ({
                epoch: l.epoch,
                loss: l.loss,
                innerValLoss: l.innerValLoss,
                innerValError: l.innerValError,
              })),
            ),
          },
        };
      } finally {
        model.dispose();
      }
    },
  };
}
