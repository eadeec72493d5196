import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { codeVersion, writeJsonAtomic, STAGE } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import type { FeatureSplit, PointSplit, SplitName } from './data.ts';
import { loadTrainingSplit, pointSplitOf, splitPaths, SPLITS } from './data.ts';
import { selectBackend } from './backend.ts';
import { buildModel } from './zoo/build.ts';
import { namedConfig, systemInfo } from './zoo/named.ts';
import { describeLayout } from './zoo/layout.ts';
import { fitModel } from './fit.ts';
import { augmentationRecord } from './augmentation.ts';
import { evaluateModel, predictSplit } from './evaluate.ts';
import type { ErrorRate } from './evaluate.ts';
import { saveModel } from './model-io.ts';
import { runBaselines } from './baselines.ts';
import type { BaselineResult } from './baselines.ts';
import { surfaceGrid, writePredictions, writeSurface } from './outputs.ts';
import type { Metrics } from './metrics.ts';
import { DEFAULT_FIT_OPTIONS, resolveBaselinesOptions, resolveTrainSystemOptions } from './options.ts';
import type { BaselinesOptions, Budget, TrainSystemOptions } from './options.ts';

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

export function runMetadata(
  stage: string,
  seed: number,
  params: Record<string, unknown>,
  inputs: Record<string, string>,
  classNames: string[],
): RunMetadata {
  return { stage, codeVersion: codeVersion(PACKAGE_DIR), seed, params, inputs, classNames };
}

export function inputsOf(splits: Record<SplitName, { sha256: string }>): Record<string, string> {
  return {
    'train.arrow': splits.train.sha256,
    'dev.arrow': splits.dev.sha256,
    'eval.arrow': splits.eval.sha256,
  };
}

/** metrics.json's `data`: split sizes, the rows the fit used, the budget and the inputs' hashes. */
export function dataRecord(
  splits: Record<SplitName, { n: number; sha256: string }>,
  used: { trainRowsUsed: number; innerValRows: number },
  budget: Budget,
): Metrics['data'] {
  return {
    train: splits.train.n,
    dev: splits.dev.n,
    eval: splits.eval.n,
    ...used,
    budget,
    inputs: inputsOf(splits),
  };
}

/** Trains one network system on one corpus and writes metrics.json, predictions.arrow, surface.arrow (2-D), model/. */
export async function trainSystem(
  input: Partial<TrainSystemOptions> &
    Pick<TrainSystemOptions, 'corpus' | 'system' | 'featuresDir' | 'outDir'>,
): Promise<Metrics> {
  const options = resolveTrainSystemOptions(input);
  const { seed, logger } = options;
  const info = systemInfo(options.system);
  const paths = splitPaths(options.featuresDir);
  const splits = {
    train: loadTrainingSplit(paths.train),
    dev: loadTrainingSplit(paths.dev),
    eval: loadTrainingSplit(paths.eval),
  } as Record<SplitName, FeatureSplit>;
  const backend = await selectBackend(options.backend, { logger });
  const config = namedConfig(options.system, splits.train.shape, splits.train.classNames.length);
  const model = buildModel(config, { seed });
  const checkpointDir = join(options.outDir, 'checkpoint');
  const fit = await fitModel(model, config, splits.train, {
    seed,
    epochs: options.epochs,
    maxTrainRows: options.maxTrainRows,
    augment: options.augment,
    checkpointDir,
    logger,
    progress: options.progress,
  });
  const t0 = performance.now();
  let errors: Metrics['errors'] = null;
  let confusion: Metrics['confusion'] = null;
  const inputs = inputsOf(splits);
  const augmentation = augmentationRecord(fit.augmentation, options.augment);
  const params = {
    system: options.system,
    config,
    epochs: options.epochs ?? config.training.epochs,
    maxTrainRows: options.maxTrainRows,
    augmentation,
    budget: options.budget,
  };
  const meta = runMetadata(STAGE.train, seed, params, inputs, splits.train.classNames);
  if (fit.status !== 'failed') {
    errors = {} as Record<SplitName, ErrorRate>;
    confusion = {} as Record<SplitName, number[][]>;
    const perSplit = {} as Record<SplitName, { labels: Int8Array; predicted: Int8Array; prob: Float32Array }>;
    for (const s of SPLITS) {
      const ev = evaluateModel(model, splits[s]);
      errors[s] = ev.error;
      confusion[s] = ev.confusion;
      perSplit[s] = { labels: splits[s].labels, predicted: ev.predicted, prob: ev.probMax };
    }
    writePredictions(join(options.outDir, 'predictions.arrow'), perSplit, meta);
    if (splits.train.size === 2) {
      const { grid, points } = surfaceGrid(SPLITS.map((s) => splits[s].x as Float32Array));
      const surface = predictSplit(model, { x: points, shape: [2], size: 2, n: points.length / 2 });
      writeSurface(
        join(options.outDir, 'surface.arrow'),
        grid,
        points,
        surface.predicted,
        surface.probMax,
        meta,
      );
    }
    await saveModel(model, join(options.outDir, 'model'));
  }
  const evalSec = (performance.now() - t0) / 1000;
  const metrics: Metrics = {
    corpus: options.corpus,
    system: options.system,
    label: info.label,
    kind: info.kind,
    origin: info.origin,
    protocol: null,
    status: fit.status,
    ...(fit.reason ? { reason: fit.reason } : {}),
    classNames: splits.train.classNames,
    errors,
    confusion,
    layout: describeLayout(model),
    parameterCount: model.countParams(),
    hyperparameters: {
      ...config.training,
      output: config.output.activation,
      innerValFraction: DEFAULT_FIT_OPTIONS.innerValFraction,
      patienceEpochs: DEFAULT_FIT_OPTIONS.patienceEpochs,
      epochsRun: fit.epochsRun,
      bestEpoch: fit.bestEpoch,
    },
    augmentation,
    learningCurve: fit.learningCurve.map(({ epoch, loss, innerValLoss, innerValError }) => ({
      epoch,
      loss,
      innerValLoss,
      innerValError,
    })),
    backend: backend.name,
    engine: fit.engine,
    seed,
    codeVersion: meta.codeVersion,
    timings: {
      trainSec: round(fit.trainSec),
      samplesPerSec: round(fit.samplesPerSec),
      evalSec: round(evalSec),
    },
    data: dataRecord(
      splits,
      { trainRowsUsed: fit.trainRows, innerValRows: fit.innerValRows },
      options.budget,
    ),
  };
  writeJsonAtomic(join(options.outDir, 'metrics.json'), metrics);
  if (fit.status !== 'failed') rmSync(checkpointDir, { recursive: true, force: true });
  model.dispose();
  tf.disposeVariables();
  return metrics;
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** KNN, RF and Bayes estimates for a 2-D corpus; writes knn/, rf/ metrics + predictions and bayes.json. */
export function baselinesForCorpus(
  input: Partial<BaselinesOptions> & Pick<BaselinesOptions, 'corpus' | 'dataDir'>,
): {
  result: BaselineResult;
  splits: Record<SplitName, PointSplit>;
} {
  const options = resolveBaselinesOptions(input);
  const { seed } = options;
  const paths = splitPaths(options.dataDir);
  const splits = {
    train: pointSplitOf(loadTrainingSplit(paths.train)),
    dev: pointSplitOf(loadTrainingSplit(paths.dev)),
    eval: pointSplitOf(loadTrainingSplit(paths.eval)),
  } as Record<SplitName, PointSplit>;
  const t0 = performance.now();
  const result = runBaselines(splits, {
    seed,
    trees: options.trees,
    maxTrainRows: options.maxTrainRows,
    logger: options.logger,
  });
  const sec = (performance.now() - t0) / 1000;
  if (options.outDir) {
    const inputs = inputsOf(splits);
    const classNames = splits.train.classNames;
    for (const system of ['knn', 'rf'] as const) {
      const info = systemInfo(system);
      const r = system === 'knn' ? result.knn : result.rf;
      const hyperparameters =
        system === 'knn'
          ? { k: result.knn.k, chosenOn: 'dev', devErrors: result.knn.devErrors }
          : {
              trees: result.rf.trees,
              maxDepth: result.rf.maxDepth,
              maxFeatures: 'sqrt',
              criterion: 'gini',
              bootstrap: true,
            };
      const dir = join(options.outDir, system);
      const meta = runMetadata(
        STAGE.train,
        seed,
        { system, ...hyperparameters, maxTrainRows: options.maxTrainRows },
        inputs,
        classNames,
      );
      const metrics: Metrics = {
        corpus: options.corpus,
        system,
        label: info.label,
        kind: info.kind,
        origin: 'baseline',
        protocol: null,
        status: 'completed',
        classNames,
        errors: r.errors,
        confusion: r.confusion,
        layout: [],
        parameterCount: 0,
        hyperparameters,
        learningCurve: [],
        backend: 'js',
        seed,
        codeVersion: meta.codeVersion,
        timings: { trainSec: round(sec), samplesPerSec: 0, evalSec: 0 },
        data: dataRecord(splits, { trainRowsUsed: result.trainRows, innerValRows: 0 }, options.budget),
      };
      const perSplit = {} as Record<
        SplitName,
        { labels: Int8Array; predicted: Int8Array; prob?: Float32Array }
      >;
      for (const s of SPLITS)
        perSplit[s] = { labels: splits[s].labels, predicted: r.predicted[s], prob: r.probMax?.[s] };
      writePredictions(join(dir, 'predictions.arrow'), perSplit, meta);
      writeJsonAtomic(join(dir, 'metrics.json'), metrics);
    }
    writeJsonAtomic(join(options.outDir, 'bayes.json'), {
      generator: result.bayes.generator,
      closedLoop: result.bayes.closedLoop,
      coverHartLower: result.bayes.coverHartLower,
      detail: {
        ...result.bayes.detail,
        k: result.knn.k,
        trees: result.rf.trees,
        maxDepth: result.rf.maxDepth,
        trainRowsUsed: result.trainRows,
      },
      seed,
      codeVersion: codeVersion(PACKAGE_DIR),
      inputs: inputsOf(splits),
    });
  }
  return { result, splits };
}

/** Percent, 2 decimals, for the `baselines --json` output. */
export function baselinesJson(result: BaselineResult): Record<string, unknown> {
  const pct = (x: number) => Math.round(x * 10000) / 100;
  const per = (r: Record<SplitName, number>) => ({ train: pct(r.train), dev: pct(r.dev), eval: pct(r.eval) });
  const rates = (e: Record<SplitName, ErrorRate>) =>
    per({ train: e.train.rate, dev: e.dev.rate, eval: e.eval.rate });
  return {
    knn: { k: result.knn.k, ...rates(result.knn.errors) },
    rf: { trees: result.rf.trees, ...rates(result.rf.errors) },
    bayes: {
      closedLoop: per(result.bayes.closedLoop),
      coverHartLower: per(result.bayes.coverHartLower),
      generator: result.bayes.generator
        ? per({
            train: result.bayes.generator.train.rate,
            dev: result.bayes.generator.dev.rate,
            eval: result.bayes.generator.eval.rate,
          })
        : null,
    },
  };
}

export function featuresAvailable(featuresDir: string): string | undefined {
  for (const s of SPLITS)
    if (!existsSync(join(featuresDir, `${s}.arrow`))) return `${join(featuresDir, `${s}.arrow`)} is missing`;
  return undefined;
}
