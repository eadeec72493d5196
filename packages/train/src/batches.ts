import * as tf from '@tensorflow/tfjs';
import type { FeatureSplit } from './data.ts';

/** Input tensor [rows.length, ...shape] for the given row indices (u8 images scaled to [0, 1]). */
export function inputBatch(split: Pick<FeatureSplit, 'x' | 'shape' | 'size'>, rows: ArrayLike<number>): tf.Tensor {
  const { size } = split;
  const out = new Float32Array(rows.length * size);
  const scale = split.x instanceof Uint8Array ? 1 / 255 : 1;
  for (let r = 0; r < rows.length; r++) {
    const start = rows[r] * size;
    const src = split.x.subarray(start, start + size);
    if (scale === 1) out.set(src, r * size);
    else for (let j = 0; j < size; j++) out[r * size + j] = src[j] * scale;
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
