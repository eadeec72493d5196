import * as tf from '@tensorflow/tfjs';
import type { FeatureSplit } from './data.ts';

/** Per-group statistics the features stage fitted on train but left for the trainer to apply. */
interface PendingStandardization {
  mean: Float64Array;
  invStd: Float64Array;
  groupStride: number;
  groupCount: number;
}

const pendingCache = new WeakMap<object, PendingStandardization | null>();

/**
 * Patches are stored as u8 (a quarter of f32's bytes) with their train-fitted per-channel mean and
 * std in the metadata (`normalization.applied: false`); standardising here, not on disk, is what
 * lets the CNN see zero-mean unit-variance inputs. Stain-dominated patches sit near mean 0.78,
 * std 0.2 after a plain /255, which left the demo CNNs predicting one class.
 */
function pendingStandardization(metadata: FeatureSplit['metadata'] | undefined): PendingStandardization | null {
  if (!metadata) return null;
  const cached = pendingCache.get(metadata);
  if (cached !== undefined) return cached;
  const n = metadata.normalization as
    | { method?: string; applied?: boolean; mean?: number[]; std?: number[]; groupStride?: number; groupCount?: number }
    | undefined;
  const pending =
    n?.method === 'standard' && n.applied === false && n.mean && n.std && n.groupStride && n.groupCount
      ? {
          mean: Float64Array.from(n.mean),
          invStd: Float64Array.from(n.std, (s) => 1 / s),
          groupStride: n.groupStride,
          groupCount: n.groupCount,
        }
      : null;
  pendingCache.set(metadata, pending);
  return pending;
}

/**
 * Input tensor [rows.length, ...shape] for the given row indices: standardised with the
 * features stage's pending per-group statistics when it left them to us, else u8 images scaled to
 * [0, 1] and f32 features as stored.
 */
export function inputBatch(
  split: Pick<FeatureSplit, 'x' | 'shape' | 'size'> & { metadata?: FeatureSplit['metadata'] },
  rows: ArrayLike<number>,
): tf.Tensor {
  const { size } = split;
  const out = new Float32Array(rows.length * size);
  const pending = pendingStandardization(split.metadata);
  const scale = split.x instanceof Uint8Array ? 1 / 255 : 1;
  for (let r = 0; r < rows.length; r++) {
    const start = rows[r] * size;
    const src = split.x.subarray(start, start + size);
    const base = r * size;
    if (pending) {
      const { mean, invStd, groupStride, groupCount } = pending;
      for (let j = 0; j < size; j++) {
        const g = Math.floor(j / groupStride) % groupCount;
        out[base + j] = (src[j] - mean[g]) * invStd[g];
      }
    } else if (scale === 1) out.set(src, base);
    else for (let j = 0; j < size; j++) out[base + j] = src[j] * scale;
  }
  return tf.tensor(out, [rows.length, ...split.shape], 'float32');
}

/** One-hot targets [rows.length, numClasses]. */
export function targetBatch(labels: Int8Array, rows: ArrayLike<number>, numClasses: number): tf.Tensor2D {
  const out = new Float32Array(rows.length * numClasses);
  for (let r = 0; r < rows.length; r++) out[r * numClasses + labels[rows[r]]] = 1;
  return tf.tensor2d(out, [rows.length, numClasses]);
}

/** Consecutive row ranges [start, end) of at most `batchSize`. */
export function* batchRanges(n: number, batchSize: number): Generator<[number, number]> {
  for (let start = 0; start < n; start += batchSize) yield [start, Math.min(n, start + batchSize)];
}
