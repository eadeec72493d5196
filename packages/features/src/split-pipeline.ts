import { InputError, writeArrowBatches } from '@corpus-tune/core';
import type { ProgressReporter, RunMetadata } from '@corpus-tune/core';
import { featureBatch, featureSchema } from './arrow-batches.ts';
import type { FeatureDtype } from './arrow-batches.ts';
import { applyNormalization, createStatsAccumulator } from './standardize.ts';
import type { GroupLayout, Normalization } from './standardize.ts';

/** A run of consecutive feature rows, each array owning its own buffer. */
export interface FeatureChunk {
  x: Float32Array | Uint8Array;
  label: Int8Array;
  sourceRow: Int32Array;
}

/** Re-iterable producer of feature chunks for one split (each call streams the input again). */
export type ChunkSource = () => AsyncIterable<FeatureChunk>;

/** Output record batches stay near this size, whatever the input batching. */
export const TARGET_BATCH_BYTES = 8 << 20;

export function rowsPerChunk(rowBytes: number): number {
  return Math.max(1, Math.floor(TARGET_BATCH_BYTES / Math.max(1, rowBytes)));
}

/** Fits standardisation statistics on one pass over `train` chunks. */
export async function fitNormalization(
  train: ChunkSource,
  rowLength: number,
  layout: GroupLayout,
  applied: boolean,
): Promise<Normalization> {
  const accumulator = createStatsAccumulator(layout);
  for await (const chunk of train()) accumulator.add(chunk.x, 0, rowLength, chunk.label.length);
  return accumulator.finish(applied);
}

export interface SplitWrite {
  path: string;
  dtype: FeatureDtype;
  rowLength: number;
  metadata: RunMetadata;
  /** Applied to float32 chunks before writing when `normalization.applied`. */
  normalization: Normalization;
  progressLabel: string;
  progress: ProgressReporter;
  /** Called with every chunk as it is written (e.g. to fit statistics on the way). */
  onChunk?: (chunk: FeatureChunk) => void;
  /** Labels must be codes of `classNames`: 0 ≤ label < classCount, else an InputError naming `file`. */
  labels?: { classCount: number; file: string };
}

/** Throws an InputError for the first label that is not a class code. */
export function checkLabels(chunk: FeatureChunk, classCount: number, file: string): void {
  for (let r = 0; r < chunk.label.length; r++) {
    const code = chunk.label[r];
    if (code < 0 || code >= classCount) {
      throw new InputError(
        `column "label" row ${chunk.sourceRow[r]} holds ${code}, not a class code (0…${classCount - 1})`,
        { file },
      );
    }
  }
}

/** Streams chunks into `path` as record batches (atomic), standardising on the way if asked. */
export async function writeFeatureSplit(
  chunks: AsyncIterable<FeatureChunk>,
  write: SplitWrite,
): Promise<number> {
  const schema = featureSchema(write.dtype, write.rowLength, write.metadata);
  const progress = write.progress({ label: write.progressLabel, unit: 'rows' });
  async function* batches() {
    for await (const chunk of chunks) {
      if (write.labels) checkLabels(chunk, write.labels.classCount, write.labels.file);
      write.onChunk?.(chunk);
      if (write.normalization.applied && chunk.x instanceof Float32Array) {
        applyNormalization(chunk.x, write.rowLength, chunk.label.length, write.normalization);
      }
      progress.tick(chunk.label.length);
      yield featureBatch(schema, chunk.x, chunk.label, chunk.sourceRow);
    }
  }
  const rows = await writeArrowBatches(write.path, schema, batches());
  progress.done();
  return rows;
}
