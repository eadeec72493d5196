import * as tf from '@tensorflow/tfjs';
import type { RunMetadata } from '@corpus-tune/core';
import type { FeatureSplit } from './data.ts';
import { augmentedRows } from './augmentation.ts';
import type { PatchAugmentation } from './augmentation.ts';

type BatchSource = Pick<FeatureSplit, 'x' | 'shape' | 'size'> & { metadata?: RunMetadata };

/** Per value of a row: out = (x − shift) · scale. */
interface RowTransform {
  shift: Float64Array;
  scale: Float64Array;
}

const transforms = new WeakMap<object, RowTransform | null>();

/**
 * Patches are stored as u8 (a quarter of f32's bytes) with their train-fitted per-channel mean and
 * std in the metadata (`normalization.applied: false`); standardising here, not on disk, is what
 * lets the CNN see zero-mean unit-variance inputs. Stain-dominated patches sit near mean 0.78,
 * std 0.2 after a plain /255, which left the demo CNNs predicting one class. Without pending
 * statistics u8 is scaled to [0, 1] and f32 passes as stored (null). Built once per split.
 */
function rowTransform(split: BatchSource): RowTransform | null {
  // The metadata says how to read x (one object per loaded split); bare arrays stand for themselves.
  const key = split.metadata ?? split.x;
  const cached = transforms.get(key);
  if (cached !== undefined) return cached;
  const n = split.metadata?.normalization as
    | {
        method?: string;
        applied?: boolean;
        mean?: number[];
        std?: number[];
        groupStride?: number;
        groupCount?: number;
      }
    | undefined;
  let transform: RowTransform | null = null;
  if (n?.method === 'standard' && n.applied === false && n.mean && n.std && n.groupStride && n.groupCount) {
    const { mean, std, groupStride, groupCount } = n;
    const group = (j: number): number => Math.floor(j / groupStride) % groupCount;
    transform = {
      shift: Float64Array.from({ length: split.size }, (_, j) => mean[group(j)]),
      scale: Float64Array.from({ length: split.size }, (_, j) => 1 / std[group(j)]),
    };
  } else if (split.x instanceof Uint8Array) {
    transform = { shift: new Float64Array(split.size), scale: new Float64Array(split.size).fill(1 / 255) };
  }
  transforms.set(key, transform);
  return transform;
}

/**
 * Input tensor [rows.length, ...shape] for the given row indices, through the split's row
 * transform (pending standardisation, or u8 → [0, 1]).
 */
export function inputBatch(split: BatchSource, rows: ArrayLike<number>): tf.Tensor {
  return tf.tensor(inputRows(split, rows), [rows.length, ...split.shape], 'float32');
}

/** The rows `inputBatch` makes a tensor of, as one f32 array (rows × size). */
export function inputRows(split: BatchSource, rows: ArrayLike<number>): Float32Array {
  const { size } = split;
  const out = new Float32Array(rows.length * size);
  const transform = rowTransform(split);
  for (let r = 0; r < rows.length; r++) {
    const start = rows[r] * size;
    const src = split.x.subarray(start, start + size);
    const base = r * size;
    if (!transform) out.set(src, base);
    else {
      const { shift, scale } = transform;
      for (let j = 0; j < size; j++) out[base + j] = (src[j] - shift[j]) * scale[j];
    }
  }
  return out;
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

/** Batches of one epoch: `slice(start, end)` gives rows order[start..end) of the fit set. */
export interface EpochBatches {
  slice(start: number, end: number): { x: tf.Tensor; y: tf.Tensor };
  dispose(): void;
}

export interface EpochData {
  /**
   * The batches of epoch `epoch` (1-based) visiting the fit rows in `order` (positions into the fit
   * rows); with augmentation, every batch is drawn afresh for that epoch.
   */
  epoch(order: Int32Array, epoch: number): EpochBatches;
  dispose(): void;
}

/**
 * Fit sets up to this size are uploaded once (inputs and one-hot targets) and each batch is gathered
 * on the device by its row positions; larger ones are cut per batch from the typed arrays.
 */
export const RESIDENT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The fit rows of a split as per-epoch batches; resident on the device when small enough. With
 * `augmentation` (patch splits only) each batch's inputs are augmented on the fly, seeded by the
 * augmentation's seed, the epoch and the row, so nothing can stay resident.
 */
export function epochData(
  split: BatchSource & { labels: Int8Array },
  fitRows: Int32Array,
  numClasses: number,
  residentMaxBytes = RESIDENT_MAX_BYTES,
  augmentation: PatchAugmentation | null = null,
): EpochData {
  if (augmentation) {
    return {
      epoch: (order, epoch) => {
        const rows = Int32Array.from(order, (i) => fitRows[i]);
        return {
          slice: (start, end) => {
            const idx = rows.subarray(start, end);
            const x = tf.tensor(augmentedRows(split, idx, epoch, augmentation), [idx.length, ...split.shape]);
            return { x, y: targetBatch(split.labels, idx, numClasses) };
          },
          dispose: () => undefined,
        };
      },
      dispose: () => undefined,
    };
  }
  const bytes = fitRows.length * (split.size + numClasses) * 4;
  if (bytes > residentMaxBytes) {
    return {
      epoch: (order) => {
        const rows = Int32Array.from(order, (i) => fitRows[i]);
        return {
          slice: (start, end) => {
            const idx = rows.subarray(start, end);
            return { x: inputBatch(split, idx), y: targetBatch(split.labels, idx, numClasses) };
          },
          dispose: () => undefined,
        };
      },
      dispose: () => undefined,
    };
  }
  const x = inputBatch(split, fitRows);
  const y = targetBatch(split.labels, fitRows, numClasses);
  return {
    epoch: (order) => ({
      // One gather per batch from the resident set; slicing a pre-shuffled epoch copy instead would
      // cost a read of the whole copy per batch (WASM's Slice reads its entire input).
      slice: (start, end) =>
        tf.tidy(() => {
          const idx = tf.tensor1d(order.subarray(start, end), 'int32');
          return { x: tf.gather(x, idx), y: tf.gather(y, idx) };
        }),
      dispose: () => undefined,
    }),
    dispose: () => tf.dispose([x, y]),
  };
}
