import { join } from 'node:path';
import { STAGE, writeJsonAtomic } from '@corpus-tune/core';
import type { FeatureSplit, SplitName } from './data.ts';
import { loadTrainingSplit, splitPaths, SPLITS } from './data.ts';
import { simpleFeaturesOf } from './centroid-features.ts';
import type { SimpleFeatures } from './centroid-features.ts';
import { fitNearestCentroid, predictNearestCentroid } from './nearest-centroid.ts';
import { scorePredictions } from './evaluate.ts';
import type { ErrorRate } from './evaluate.ts';
import { writePredictions } from './outputs.ts';
import type { Metrics } from './metrics.ts';
import { dataRecord, inputsOf, round, runMetadata } from './run.ts';
import { systemInfo } from './zoo/named.ts';
import { resolveTrainSystemOptions } from './options.ts';
import type { TrainSystemOptions } from './options.ts';

/**
 * The nearest-centroid baseline on one corpus (tusz: band power, tudp: colour + texture; see
 * centroid-features.ts): standardised on train, one centroid per class, every split scored; writes
 * metrics.json and predictions.arrow like the other systems. Deterministic, no seed is drawn from.
 */
export function trainCentroid(
  input: Partial<TrainSystemOptions> &
    Pick<TrainSystemOptions, 'corpus' | 'system' | 'featuresDir' | 'outDir'>,
): Metrics {
  const options = resolveTrainSystemOptions(input);
  const info = systemInfo(options.system);
  const t0 = performance.now();
  const paths = splitPaths(options.featuresDir);
  const splits = {} as Record<SplitName, FeatureSplit>;
  const features = {} as Record<SplitName, SimpleFeatures>;
  for (const s of SPLITS) {
    splits[s] = loadTrainingSplit(paths[s]);
    features[s] = simpleFeaturesOf(splits[s]);
  }
  const classNames = splits.train.classNames;
  const dim = features.train.names.length;
  const model = fitNearestCentroid(features.train.values, splits.train.labels, dim, classNames.length);
  const trainSec = (performance.now() - t0) / 1000;
  const errors = {} as Record<SplitName, ErrorRate>;
  const confusion = {} as Record<SplitName, number[][]>;
  const perSplit = {} as Record<SplitName, { labels: Int8Array; predicted: Int8Array }>;
  for (const s of SPLITS) {
    const predicted = predictNearestCentroid(model, features[s].values);
    const scored = scorePredictions(splits[s].labels, predicted, classNames.length);
    errors[s] = scored.error;
    confusion[s] = scored.confusion;
    perSplit[s] = { labels: splits[s].labels, predicted };
  }
  const inputs = inputsOf(splits);
  const hyperparameters = {
    features: features.train.names,
    standardisedOn: 'train',
    distance: 'euclidean',
    peer: 'sklearn StandardScaler + NearestCentroid',
  };
  const meta = runMetadata(
    STAGE.train,
    options.seed,
    { system: options.system, ...hyperparameters },
    inputs,
    classNames,
  );
  writePredictions(join(options.outDir, 'predictions.arrow'), perSplit, meta);
  const metrics: Metrics = {
    corpus: options.corpus,
    system: options.system,
    label: info.label,
    kind: info.kind,
    origin: info.origin,
    description: `nearest centroid on ${features.train.description}, standardised on train`,
    protocol: null,
    status: 'completed',
    classNames,
    errors,
    confusion,
    layout: [],
    parameterCount: 0,
    hyperparameters,
    learningCurve: [],
    backend: 'js',
    seed: options.seed,
    codeVersion: meta.codeVersion,
    timings: {
      trainSec: round(trainSec),
      samplesPerSec: 0,
      evalSec: round((performance.now() - t0) / 1000 - trainSec),
    },
    data: dataRecord(splits, { trainRowsUsed: splits.train.n, innerValRows: 0 }, options.budget),
  };
  writeJsonAtomic(join(options.outDir, 'metrics.json'), metrics);
  return metrics;
}
