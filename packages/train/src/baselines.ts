import { createRng, shuffleInPlace } from '@corpus-tune/core';
import type { PointSplit, SplitName } from './data.ts';
import { SPLITS } from './data.ts';
import { chooseK, fitKnn, predictKnn } from './knn.ts';
import { resolveBaselineOptions } from './options.ts';
import type { BaselineOptions } from './options.ts';
import { fitForest, predictForest } from './random-forest.ts';
import { closedLoopEstimate, coverHartLower, generatorBayesFromMetadata } from './bayes.ts';
import type { IntervalEstimate } from './bayes.ts';
import { scorePredictions } from './evaluate.ts';
import type { ErrorRate } from './evaluate.ts';

export interface ClassifierResult {
  errors: Record<SplitName, ErrorRate>;
  confusion: Record<SplitName, number[][]>;
  predicted: Record<SplitName, Int8Array>;
  probMax?: Record<SplitName, Float32Array>;
}

export interface BaselineResult {
  trainRows: number;
  knn: ClassifierResult & { k: number; devErrors: Record<number, number> };
  rf: ClassifierResult & { trees: number; maxDepth: number };
  bayes: {
    /** imld-gen's Monte Carlo Bayes error under the generating densities (2-D sets only). */
    generator: Record<SplitName, IntervalEstimate> | null;
    closedLoop: Record<SplitName, number>;
    coverHartLower: Record<SplitName, number>;
    detail: {
      closedLoopK: number;
      closedLoopKnn: Record<SplitName, number>;
      closedLoopRf: Record<SplitName, number>;
      oneNnLeaveOneOut: Record<SplitName, number>;
    };
  };
}

function subsample(split: PointSplit, maxRows: number | null, seed: number): PointSplit {
  if (maxRows === null || maxRows >= split.n) return split;
  const rows = Int32Array.from({ length: split.n }, (_, i) => i);
  shuffleInPlace(rows, createRng(seed).fork('baseline-subsample'));
  const keep = rows.subarray(0, maxRows).sort();
  const points = new Float64Array(2 * maxRows);
  const labels = new Int8Array(maxRows);
  keep.forEach((r, i) => {
    points[2 * i] = split.points[2 * r];
    points[2 * i + 1] = split.points[2 * r + 1];
    labels[i] = split.labels[r];
  });
  return { ...split, n: maxRows, points, labels };
}

const rate = (p: Int8Array, labels: Int8Array): number => {
  let e = 0;
  for (let i = 0; i < labels.length; i++) if (p[i] !== labels[i]) e++;
  return e / labels.length;
};

/**
 * KNN (k chosen on dev) and a random forest trained on train and scored on every split, plus the
 * Bayes-error estimates: generator (imld-gen's Monte Carlo estimate, from its metadata), closed-loop
 * (fit and score on the same split, min of KNN and RF), and the Cover–Hart lower bound from each split's
 * leave-one-out 1-NN error.
 */
export function runBaselines(
  input: Record<SplitName, PointSplit>,
  partial: Partial<BaselineOptions> = {},
): BaselineResult {
  const options = resolveBaselineOptions(partial);
  const { seed, trees, maxDepth, logger, closedLoopK } = options;
  const numClasses = input.train.classNames.length;
  const train = subsample(input.train, options.maxTrainRows, seed);
  const splits: Record<SplitName, PointSplit> = { ...input, train };

  let t0 = performance.now();
  const knn = fitKnn(train.points, train.labels, numClasses);
  const { k, devErrors } = chooseK(knn, splits.dev.points, splits.dev.labels, options.kCandidates);
  const knnPred = {} as Record<SplitName, Int8Array>;
  let trainClosedKnn: Int8Array = new Int8Array(0);
  for (const s of SPLITS) {
    const preds = predictKnn(knn, splits[s].points, s === 'train' ? [k, closedLoopK] : [k]);
    knnPred[s] = preds.get(k) as Int8Array;
    if (s === 'train') trainClosedKnn = preds.get(closedLoopK) as Int8Array;
  }
  logger.info(`baselines: KNN k=${k} (chosen on dev) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  t0 = performance.now();
  const forest = fitForest(train.points, train.labels, numClasses, 2, { trees, maxDepth, seed });
  const rfPred = {} as Record<SplitName, Int8Array>;
  const rfProb = {} as Record<SplitName, Float32Array>;
  for (const s of SPLITS)
    ({ predicted: rfPred[s], probMax: rfProb[s] } = predictForest(forest, splits[s].points));
  logger.info(
    `baselines: random forest (${trees} trees, depth ≤ ${maxDepth}) in ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // Closed loop: each split is its own training set. Train's is the models above scored on train.
  const closedKnn = { train: rate(trainClosedKnn, train.labels) } as Record<SplitName, number>;
  const closedRf = { train: rate(rfPred.train, train.labels) } as Record<SplitName, number>;
  const oneNn = {} as Record<SplitName, number>;
  for (const s of SPLITS) {
    // Under a row budget the dev/eval closed loops run on a seeded subsample of the same size.
    const sp = s === 'train' ? train : subsample(splits[s], options.maxTrainRows, seed + 2);
    const own = s === 'train' ? knn : fitKnn(sp.points, sp.labels, numClasses);
    if (s !== 'train') {
      closedKnn[s] = rate(predictKnn(own, sp.points, [closedLoopK]).get(closedLoopK) as Int8Array, sp.labels);
      const f = fitForest(sp.points, sp.labels, numClasses, 2, { trees, maxDepth, seed: seed + 1 });
      closedRf[s] = rate(predictForest(f, sp.points).predicted, sp.labels);
    }
    oneNn[s] = rate(predictKnn(own, sp.points, [1], { leaveOneOut: true }).get(1) as Int8Array, sp.labels);
  }
  const score = (pred: Record<SplitName, Int8Array>) => {
    const errors = {} as Record<SplitName, ErrorRate>;
    const confusion = {} as Record<SplitName, number[][]>;
    for (const s of SPLITS)
      ({ error: errors[s], confusion: confusion[s] } = scorePredictions(
        splits[s].labels,
        pred[s],
        numClasses,
      ));
    return { errors, confusion };
  };
  return {
    trainRows: train.n,
    knn: { k, devErrors, ...score(knnPred), predicted: knnPred },
    rf: { trees, maxDepth, ...score(rfPred), predicted: rfPred, probMax: rfProb },
    bayes: {
      generator: generatorBayesFromMetadata(input),
      closedLoop: closedLoopEstimate(closedKnn, closedRf),
      coverHartLower: {
        train: coverHartLower(oneNn.train, numClasses),
        dev: coverHartLower(oneNn.dev, numClasses),
        eval: coverHartLower(oneNn.eval, numClasses),
      },
      detail: { closedLoopK, closedLoopKnn: closedKnn, closedLoopRf: closedRf, oneNnLeaveOneOut: oneNn },
    },
  };
}
