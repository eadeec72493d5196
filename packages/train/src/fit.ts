import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createRng, sha256, shuffleInPlace, writeFileAtomic, writeJsonAtomic } from '@corpus-tune/core';
import type { FeatureSplit } from './data.ts';
import type { ModelConfig, TrainingSpec } from './zoo/config.ts';
import { SeededDropout } from './zoo/layers.ts';
import { batchRanges, epochData, inputBatch, RESIDENT_MAX_BYTES, targetBatch } from './batches.ts';
import type { EpochBatches } from './batches.ts';
import { AUGMENTATION_STREAM, patchInputOf } from './augmentation.ts';
import type { PatchAugmentation } from './augmentation.ts';
import { decodeTensors, encodeTensors } from './model-io.ts';
import type { NamedTensor } from './model-io.ts';
import { resolveFitOptions } from './options.ts';
import { createDenseEngine, denseEngineUnsupported } from './dense-engine.ts';
import { fusedLstmLayerCount } from './lstm-fused.ts';
import type { DenseEngine } from './dense-engine.ts';
import type { EpochLog, FitOptions } from './options.ts';

export interface FitResult {
  status: 'completed' | 'stopped-early' | 'pruned' | 'failed';
  reason?: string;
  epochsRun: number;
  bestEpoch: number;
  learningCurve: EpochLog[];
  trainSec: number;
  samplesPerSec: number;
  trainRows: number;
  innerValRows: number;
  resumedFromEpoch: number;
  /** The augmentation the training batches got; null when none (off, or not a patch split). */
  augmentation: PatchAugmentation | null;
  /** What ran the training steps: tfjs's layers, or the dense engine (MLPs on host backends). */
  engine: FitEngineRecord;
}

export interface FitEngineRecord {
  name: 'tfjs' | 'dense';
  /** Why the dense engine was not used (absent when it was, or when options.engine forced tfjs). */
  reason?: string;
  /** On tfjs: how many LSTM layers ran as the fused LSTM (lstm-fused.ts); absent when none. */
  fusedLstmLayers?: number;
}

interface CheckpointState {
  fingerprint: string;
  epoch: number;
  bestEpoch: number;
  bestLoss: number;
  waitEpochs: number;
  learningCurve: EpochLog[];
  modelSpecs: tf.io.WeightsManifestEntry[];
  bestSpecs: tf.io.WeightsManifestEntry[];
  optimizerSpecs: tf.io.WeightsManifestEntry[];
}

export function makeOptimizer(training: TrainingSpec): tf.Optimizer {
  switch (training.optimizer) {
    case 'adam':
      return tf.train.adam(training.learningRate);
    case 'sgd':
      return tf.train.sgd(training.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(training.learningRate);
  }
}

function lossName(config: ModelConfig): 'categoricalCrossentropy' | 'binaryCrossentropy' {
  return config.output.activation === 'softmax' ? 'categoricalCrossentropy' : 'binaryCrossentropy';
}

function lossTensor(config: ModelConfig, y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  return (
    config.output.activation === 'softmax'
      ? tf.metrics.categoricalCrossentropy(y, p)
      : tf.metrics.binaryCrossentropy(y, p)
  ).mean();
}

/** Steps between reads of the per-step losses (each read is a device sync on GPU backends). */
const READ_EVERY_STEPS = 64;

/**
 * One optimizer step on a batch, as LayersModel.trainOnBatch computes it (the compiled loss — the same
 * function as `lossTensor` — averaged over the batch, plus the layers' regularisation penalties,
 * minimised over the trainable weights), minus trainOnBatch's per-call input checks and its read of the
 * loss. Returns the loss as a device scalar.
 */
function trainingStep(
  model: tf.LayersModel,
  config: ModelConfig,
  optimizer: tf.Optimizer,
): (x: tf.Tensor, y: tf.Tensor) => tf.Scalar {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return (x, y) =>
    optimizer.minimize(
      () => {
        const p = model.apply(x, { training: true }) as tf.Tensor;
        let loss = lossTensor(config, y, p);
        for (const penalty of model.calculateLosses()) loss = tf.add(loss, penalty);
        return loss;
      },
      true,
      variables,
    ) as tf.Scalar;
}

/** Seeded subsample and inner split of the train rows. */
export function carveRows(
  n: number,
  seed: number,
  innerValFraction: number,
  maxTrainRows?: number,
): { fit: Int32Array; innerVal: Int32Array } {
  const rng = createRng(seed).fork('fit-rows');
  const all = Int32Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(all, rng);
  const used = maxTrainRows !== undefined && maxTrainRows < n ? all.subarray(0, maxTrainRows) : all;
  const innerCount = Math.max(1, Math.round(used.length * innerValFraction));
  return { fit: used.slice(innerCount).sort(), innerVal: used.slice(0, innerCount).sort() };
}

function innerValidation(
  model: tf.LayersModel,
  config: ModelConfig,
  split: FeatureSplit,
  rows: Int32Array,
  batchSize: number,
): { loss: number; error: number } {
  let lossSum = 0;
  let errors = 0;
  const numClasses = config.numClasses;
  for (const [start, end] of batchRanges(rows.length, Math.max(batchSize, 512))) {
    const idx = rows.subarray(start, end);
    const [loss, predicted] = tf.tidy(() => {
      const p = model.predict(inputBatch(split, idx)) as tf.Tensor2D;
      const y = targetBatch(split.labels, idx, numClasses);
      return [
        lossTensor(config, y, p)
          .mul(end - start)
          .dataSync()[0],
        p.argMax(-1).dataSync(),
      ] as const;
    });
    lossSum += loss;
    for (let i = 0; i < idx.length; i++) if (predicted[i] !== split.labels[idx[i]]) errors++;
  }
  return { loss: lossSum / rows.length, error: errors / rows.length };
}

function weightsFinite(model: tf.LayersModel): boolean {
  return tf.tidy(() =>
    model.trainableWeights.every((w) => tf.all(tf.isFinite(w.read())).dataSync()[0] === 1),
  );
}

function dropoutLayers(model: tf.LayersModel): SeededDropout[] {
  return model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout);
}

function modelWeights(model: tf.LayersModel): NamedTensor[] {
  return model.getWeights().map((tensor, i) => ({ name: `w${i}`, tensor }));
}

/**
 * Trains `model` on `train` with `config.training`, early stopping on a seeded inner split carved from
 * train (dev is never seen here), restoring the best inner-val weights. Patch splits' training batches
 * are augmented (options.augment) afresh each epoch; the inner split is only normalised. A non-finite loss ends the fit
 * with status 'failed' and the reason; it does not throw.
 */
export async function fitModel(
  model: tf.LayersModel,
  config: ModelConfig,
  train: FeatureSplit,
  partial: Partial<FitOptions> = {},
): Promise<FitResult> {
  const options = resolveFitOptions(partial);
  const { seed, innerValFraction, logger } = options;
  const patience = options.patienceEpochs;
  const epochs = options.epochs ?? config.training.epochs;
  const batchSize = config.training.batchSize;
  const { fit, innerVal } = carveRows(train.n, seed, innerValFraction, options.maxTrainRows ?? undefined);
  const optimizer = makeOptimizer(config.training);
  model.compile({ optimizer, loss: lossName(config) });
  const augmentation: PatchAugmentation | null =
    options.augment && patchInputOf(train)
      ? { options: options.augment, seed, stream: AUGMENTATION_STREAM }
      : null;

  const fingerprint = sha256(
    JSON.stringify({
      config,
      seed,
      innerValFraction,
      maxTrainRows: options.maxTrainRows,
      augmentation,
      train: train.sha256,
      n: train.n,
    }),
  );
  let startEpoch = 0;
  let bestEpoch = 0;
  let bestLoss = Infinity;
  let waitEpochs = 0;
  let learningCurve: EpochLog[] = [];
  let bestWeights: tf.Tensor[] | undefined;
  let savedOptimizer: NamedTensor[] | undefined;
  const ckpt = options.checkpointDir;
  if (ckpt && existsSync(join(ckpt, 'state.json'))) {
    const state = JSON.parse(readFileSync(join(ckpt, 'state.json'), 'utf8')) as CheckpointState;
    if (state.fingerprint !== fingerprint) {
      logger.warn(`fit: checkpoint in ${ckpt} is for another setup; starting afresh`);
    } else {
      const read = (name: string, specs: tf.io.WeightsManifestEntry[]) =>
        decodeTensors(readFileSync(join(ckpt, name)), specs);
      const weights = read(`epoch-${state.epoch}.model.bin`, state.modelSpecs);
      model.setWeights(weights.map((w) => w.tensor));
      tf.dispose(weights.map((w) => w.tensor));
      bestWeights = read(`epoch-${state.epoch}.best.bin`, state.bestSpecs).map((w) => w.tensor);
      if (state.optimizerSpecs.length)
        savedOptimizer = read(`epoch-${state.epoch}.optimizer.bin`, state.optimizerSpecs);
      ({ bestEpoch, bestLoss, waitEpochs, learningCurve } = state);
      startEpoch = state.epoch;
      logger.info(`fit: resumed from the epoch ${startEpoch} checkpoint in ${ckpt}`);
    }
  }

  const result = (
    status: FitResult['status'],
    trainSec: number,
    samples: number,
    reason?: string,
  ): FitResult => ({
    status,
    ...(reason ? { reason } : {}),
    epochsRun: learningCurve.length,
    bestEpoch,
    learningCurve,
    trainSec,
    samplesPerSec: trainSec > 0 ? samples / trainSec : 0,
    trainRows: fit.length,
    innerValRows: innerVal.length,
    resumedFromEpoch: startEpoch,
    augmentation,
    engine: engineRecord,
  });

  const unsupported =
    options.engine === 'tfjs'
      ? null
      : denseEngineUnsupported(config, model, fit.length, augmentation !== null, RESIDENT_MAX_BYTES);
  const engine: DenseEngine | null =
    options.engine === 'auto' && unsupported === null ? createDenseEngine(model, config, train, fit) : null;
  const fusedLstm = fusedLstmLayerCount(model);
  const engineRecord: FitEngineRecord = engine
    ? { name: 'dense' }
    : {
        name: 'tfjs',
        ...(unsupported ? { reason: unsupported } : {}),
        ...(fusedLstm > 0 ? { fusedLstmLayers: fusedLstm } : {}),
      };
  if (savedOptimizer) {
    if (engine) await engine.setOptimizerWeights(savedOptimizer);
    else await optimizer.setWeights(savedOptimizer);
    tf.dispose(savedOptimizer.map((w) => w.tensor));
  }
  const stepsPerEpoch = Math.ceil(fit.length / batchSize);
  const step = engine ? null : trainingStep(model, config, optimizer);
  const data = engine ? null : epochData(train, fit, config.numClasses, RESIDENT_MAX_BYTES, augmentation);
  /** The losses of the steps on `ranges` of the epoch's order, by whichever engine trains. */
  const trainSteps = async (
    order: Int32Array,
    batches: EpochBatches | null,
    ranges: [number, number][],
  ): Promise<ArrayLike<number>> => {
    if (engine) return engine.trainSteps(order, ranges);
    if (!batches || !step) throw new Error('fit: no batches or step for the tfjs engine');
    const losses = ranges.map(([start, end]) =>
      tf.tidy(() => {
        const { x, y } = batches.slice(start, end);
        return step(x, y);
      }),
    );
    const stacked = tf.stack(losses);
    const values = await stacked.data();
    tf.dispose([stacked, ...losses]);
    return values;
  };
  let trainSec = 0;
  let samples = 0;
  let stopStatus: FitResult['status'] = 'completed';
  let stopReason: string | undefined;
  if (startEpoch > 0 && waitEpochs >= patience) stopStatus = 'stopped-early';
  for (let epoch = startEpoch + 1; epoch <= epochs && stopStatus === 'completed'; epoch++) {
    // Positions into `fit`: shuffling them with the epoch's rng permutes exactly as shuffling the row
    // ids would (Fisher–Yates swaps depend on the length only), so the batches are the same.
    const order = Int32Array.from({ length: fit.length }, (_, i) => i);
    shuffleInPlace(order, createRng(seed).fork(`epoch-${epoch}`));
    for (const layer of dropoutLayers(model)) layer.callCount = epoch * stepsPerEpoch * 4;
    const progress = options.progress({
      label: `epoch ${epoch}/${epochs}`,
      total: fit.length,
      unit: 'samples',
      intervalMs: 5000,
    });
    const t0 = performance.now();
    const batches = data ? data.epoch(order, epoch) : null;
    const ranges = [...batchRanges(order.length, batchSize)];
    let lossSum = 0;
    let rowsDone = 0;
    let failure: string | undefined;
    // Losses are read every READ_EVERY_STEPS steps (on the tfjs path one device sync, not one per step).
    for (let first = 0; first < ranges.length && !failure; first += READ_EVERY_STEPS) {
      const chunk = ranges.slice(first, first + READ_EVERY_STEPS);
      const values = await trainSteps(order, batches, chunk);
      let rows = 0;
      for (let i = 0; i < chunk.length && !failure; i++) {
        if (!Number.isFinite(values[i])) {
          failure = `non-finite loss (${values[i]}) at epoch ${epoch}, batch ${first + i + 1}`;
        } else {
          const batchRows = chunk[i][1] - chunk[i][0];
          lossSum += values[i] * batchRows;
          rowsDone += batchRows;
          rows += batchRows;
        }
      }
      progress.tick(rows, `loss ${values[chunk.length - 1].toFixed(4)}`);
    }
    batches?.dispose();
    if (failure) {
      trainSec += (performance.now() - t0) / 1000;
      data?.dispose();
      tf.dispose(bestWeights ?? []);
      return result('failed', trainSec, samples + rowsDone, failure);
    }
    const epochSec = (performance.now() - t0) / 1000;
    trainSec += epochSec;
    samples += order.length;
    engine?.writeWeights(model);
    const val = innerValidation(model, config, train, innerVal, batchSize);
    const log: EpochLog = {
      epoch,
      loss: lossSum / order.length,
      innerValLoss: val.loss,
      innerValError: val.error,
      samplesPerSec: order.length / epochSec,
    };
    progress.done(
      `loss ${log.loss.toFixed(4)}, inner-val loss ${val.loss.toFixed(4)}, error ${(100 * val.error).toFixed(2)} %`,
    );
    learningCurve.push(log);
    if (!Number.isFinite(val.loss) || !weightsFinite(model)) {
      // Losses are clipped and ReLU maps NaN to 0, so a diverged model can still report a finite
      // loss: the weights are checked too.
      tf.dispose(bestWeights ?? []);
      data?.dispose();
      const what = Number.isFinite(val.loss)
        ? 'non-finite weights'
        : `non-finite inner-validation loss (${val.loss})`;
      return result('failed', trainSec, samples, `${what} after epoch ${epoch}`);
    }
    if (val.loss < bestLoss) {
      bestLoss = val.loss;
      bestEpoch = epoch;
      waitEpochs = 0;
      tf.dispose(bestWeights ?? []);
      bestWeights = model.getWeights().map((w) => w.clone());
    } else {
      waitEpochs++;
    }
    if (ckpt)
      await writeCheckpoint(ckpt, model, engine ?? optimizer, bestWeights ?? [], {
        fingerprint,
        epoch,
        bestEpoch,
        bestLoss,
        waitEpochs,
        learningCurve,
      });
    const verdict = await options.onEpochEnd?.(log);
    if (verdict === 'stop') {
      stopStatus = 'pruned';
      stopReason = `stopped by onEpochEnd after epoch ${epoch}`;
    } else if (waitEpochs >= patience) {
      stopStatus = 'stopped-early';
      stopReason = `inner-val loss did not improve for ${patience} epochs`;
    }
  }
  data?.dispose();
  if (bestWeights) {
    model.setWeights(bestWeights);
    tf.dispose(bestWeights);
  }
  return result(stopStatus, trainSec, samples, stopReason);
}

async function writeCheckpoint(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer | DenseEngine,
  best: tf.Tensor[],
  state: Omit<CheckpointState, 'modelSpecs' | 'bestSpecs' | 'optimizerSpecs'>,
): Promise<void> {
  const weights = await encodeTensors(modelWeights(model));
  const bestEnc = await encodeTensors(best.map((tensor, i) => ({ name: `w${i}`, tensor })));
  // tfjs's optimizer hands out its own variables; the dense engine hands out copies, ours to dispose.
  const fromEngine = 'optimizerWeights' in optimizer;
  const optimizerWeights = fromEngine ? optimizer.optimizerWeights() : await optimizer.getWeights();
  const opt = await encodeTensors(optimizerWeights);
  if (fromEngine) tf.dispose(optimizerWeights.map((w) => w.tensor));
  const e = state.epoch;
  writeFileAtomic(join(dir, `epoch-${e}.model.bin`), weights.bytes);
  writeFileAtomic(join(dir, `epoch-${e}.best.bin`), bestEnc.bytes);
  writeFileAtomic(join(dir, `epoch-${e}.optimizer.bin`), opt.bytes);
  // state.json last: it names the epoch whose files are complete; older epochs' files go after it.
  writeJsonAtomic(join(dir, 'state.json'), {
    ...state,
    modelSpecs: weights.specs,
    bestSpecs: bestEnc.specs,
    optimizerSpecs: opt.specs,
  });
  for (const name of readdirSync(dir)) {
    const m = /^epoch-(\d+)\./.exec(name);
    if (m && Number(m[1]) !== e) rmSync(join(dir, name), { force: true });
  }
}
