import * as tf from '@tensorflow/tfjs';
import type { FeatureSplit } from './data.ts';
import { batchRanges, inputBatch } from './batches.ts';

/** An error rate with its 95 % Wilson score interval (fractions). */
export interface ErrorRate {
  rate: number;
  lower95: number;
  upper95: number;
  n: number;
}

const Z95 = 1.959963984540054;

/** The Wilson score interval for `errors` out of `n` (Wilson 1927); n = 0 gives [0, 1]. */
export function wilsonInterval(errors: number, n: number, z = Z95): ErrorRate {
  if (n === 0) return { rate: 0, lower95: 0, upper95: 1, n: 0 };
  const p = errors / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { rate: p, lower95: Math.max(0, centre - half), upper95: Math.min(1, centre + half), n };
}

/** Confusion matrix [true][predicted] and the error rate of `predicted` against `labels`. */
export function scorePredictions(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  numClasses: number,
): { error: ErrorRate; confusion: number[][] } {
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  let errors = 0;
  for (let i = 0; i < labels.length; i++) {
    confusion[labels[i]][predicted[i]]++;
    if (labels[i] !== predicted[i]) errors++;
  }
  return { error: wilsonInterval(errors, labels.length), confusion };
}

export interface Evaluation {
  error: ErrorRate;
  confusion: number[][];
  predicted: Int8Array;
  /** Probability of the predicted class (normalised when the output is per-unit sigmoid). */
  probMax: Float32Array;
}

/** Input floats per prediction batch: 16 MiB, so the batch is wide for narrow rows and bounded for patches. */
const PREDICT_BATCH_FLOATS = 4 * 1024 * 1024;

/**
 * Rows per prediction batch for rows of `size` values: 16 MiB of input, 8,192 rows at most, 16 at
 * least. Per-call overhead dominates narrow rows (2-D points: 8,192 rows predict 1.8× faster than 1,024).
 */
export function predictBatchRows(size: number): number {
  return Math.max(16, Math.min(8192, Math.floor(PREDICT_BATCH_FLOATS / size)));
}

/** Class predictions (argmax) and their probability for every row of `split`, in batches. */
export function predictSplit(
  model: tf.LayersModel,
  split: Pick<FeatureSplit, 'x' | 'shape' | 'size' | 'n'>,
  batchSize = predictBatchRows(split.size),
): { predicted: Int8Array; probMax: Float32Array } {
  const predicted = new Int8Array(split.n);
  const probMax = new Float32Array(split.n);
  const rows = new Int32Array(batchSize);
  for (const [start, end] of batchRanges(split.n, batchSize)) {
    for (let i = start; i < end; i++) rows[i - start] = i;
    const probs = tf.tidy(() => {
      const out = model.predict(inputBatch(split, rows.subarray(0, end - start))) as tf.Tensor2D;
      return out.dataSync() as Float32Array;
    });
    const k = probs.length / (end - start);
    for (let i = start; i < end; i++) {
      let best = 0;
      let sum = 0;
      for (let c = 0; c < k; c++) {
        const p = probs[(i - start) * k + c];
        sum += p;
        if (p > probs[(i - start) * k + best]) best = c;
      }
      predicted[i] = best;
      probMax[i] = sum > 0 ? probs[(i - start) * k + best] / sum : 0;
    }
  }
  return { predicted, probMax };
}

/** Error rate with 95 % Wilson interval, confusion matrix and per-row predictions on one split. */
export function evaluateModel(
  model: tf.LayersModel,
  split: FeatureSplit,
  batchSize = predictBatchRows(split.size),
): Evaluation {
  const { predicted, probMax } = predictSplit(model, split, batchSize);
  const { error, confusion } = scorePredictions(split.labels, predicted, split.classNames.length);
  return { error, confusion, predicted, probMax };
}
