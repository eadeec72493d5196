import {
  InputError,
  listValues,
  openArrowBatches,
  readArrowFile,
  requireFixedSizeList,
  requireScalar,
  runMetadataOf,
  scalarValues,
  sha256File,
  STAGE,
} from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import type { Schema, Table } from 'apache-arrow';
import type { FeatureDtype } from './arrow-batches.ts';
import type { FeatureChunk } from './split-pipeline.ts';
import { noNormalization } from './standardize.ts';
import type { Normalization } from './standardize.ts';

/** Schema metadata of a features split (RunMetadata plus the features contract). */
export interface FeatureMetadata extends RunMetadata {
  corpus: string;
  split: string;
  shape: number[];
  dtype: FeatureDtype;
  normalization: Normalization;
  classNames: string[] | null;
}

/** What a features split holds, without its rows. */
export interface FeatureSplitHeader {
  path: string;
  metadata: FeatureMetadata;
  /** Row shape, row-major: tusz [frames, channels, features], tudp [heightPx, widthPx, 3], ds08–10 [2]. */
  shape: number[];
  dtype: FeatureDtype;
  /** ∏ shape: values per row in `x`. */
  size: number;
  normalization: Normalization;
  classNames: string[] | null;
}

/**
 * A whole features split in memory: row r of x is x[r·size, (r+1)·size). This is the one in-memory
 * shape of a features split; train and tune use it as is.
 */
export interface FeatureSplit extends FeatureSplitHeader {
  /** SHA-256 of the file read (train and tune record it as their input). */
  sha256: string;
  /** Number of rows (examples). */
  n: number;
  /** Row values; u8 images stay u8, f32 stays f32. */
  x: Float32Array | Uint8Array;
  /** Class codes (the `label` column), each an index into `classNames`. */
  labels: Int8Array;
  sourceRow: Int32Array;
  classNames: string[];
}

function headerOf(schema: Schema, metadata: RunMetadata | null, path: string): FeatureSplitHeader {
  if (!metadata || metadata.stage !== STAGE.features)
    throw new InputError('not a features split (schema metadata stage is not "features")', { file: path });
  const meta = metadata as FeatureMetadata;
  if (!Array.isArray(meta.shape) || meta.shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new InputError(`metadata "shape" must list positive integers, got ${JSON.stringify(meta.shape)}`, {
      file: path,
    });
  }
  if (meta.dtype !== 'float32' && meta.dtype !== 'uint8')
    throw new InputError(`metadata "dtype" must be float32 or uint8, got ${JSON.stringify(meta.dtype)}`, {
      file: path,
    });
  const size = meta.shape.reduce((a, b) => a * b, 1);
  requireFixedSizeList(schema, 'x', meta.dtype, path, size);
  requireScalar(schema, 'label', 'int8', path);
  requireScalar(schema, 'sourceRow', 'int32', path);
  return {
    path,
    metadata: meta,
    shape: meta.shape,
    dtype: meta.dtype,
    size,
    normalization: meta.normalization,
    classNames: meta.classNames ?? null,
  };
}

/**
 * Opens a features split for streaming: header now, rows chunk by chunk (each chunk's arrays
 * are fresh copies, safe to keep or write again).
 */
export async function openFeatureSplit(
  path: string,
): Promise<FeatureSplitHeader & { chunks(): AsyncGenerator<FeatureChunk> }> {
  const source = await openArrowBatches(path);
  const header = headerOf(source.schema, source.metadata, path);
  return {
    ...header,
    async *chunks() {
      for await (const batch of source.batches()) {
        yield {
          x: listValues(batch, 'x', path).slice(),
          label: scalarValues<Int8Array>(batch, 'label', path).slice(),
          sourceRow: scalarValues<Int32Array>(batch, 'sourceRow', path).slice(),
        };
      }
    },
  };
}

/** The chunks of a features split (for re-writing or streaming training). */
export async function featureChunksOf(path: string): Promise<AsyncIterable<FeatureChunk>> {
  return (await openFeatureSplit(path)).chunks();
}

/** Class names of a split: the metadata's, checked against the label codes, else "0", "1", …. */
function classNamesOf(names: string[] | null, labels: Int8Array, path: string): string[] {
  let maxLabel = -1;
  for (const l of labels) {
    if (l < 0) throw new InputError(`negative label code ${l}`, { file: path });
    if (l > maxLabel) maxLabel = l;
  }
  if (names === null) return Array.from({ length: Math.max(2, maxLabel + 1) }, (_, i) => String(i));
  if (maxLabel >= names.length)
    throw new InputError(`label code ${maxLabel} but only ${names.length} classNames`, { file: path });
  return names;
}

/** A features split from a table already read from `path` (so a caller that dispatches on the stage reads once). */
export function featureSplitFromTable(table: Table, path: string): FeatureSplit {
  const header = headerOf(table.schema, runMetadataOf(table, path), path);
  const n = table.numRows;
  const x = header.dtype === 'float32' ? new Float32Array(n * header.size) : new Uint8Array(n * header.size);
  const labels = new Int8Array(n);
  const sourceRow = new Int32Array(n);
  let at = 0;
  for (const batch of table.batches) {
    x.set(listValues(batch, 'x', path), at * header.size);
    labels.set(scalarValues<Int8Array>(batch, 'label', path), at);
    sourceRow.set(scalarValues<Int32Array>(batch, 'sourceRow', path), at);
    at += batch.numRows;
  }
  return {
    ...header,
    sha256: sha256File(path),
    n,
    x,
    labels,
    sourceRow,
    classNames: classNamesOf(header.classNames, labels, path),
  };
}

/** Reads a whole features split into memory (contiguous x, labels, sourceRow). */
export function readFeatureSplit(path: string): FeatureSplit {
  return featureSplitFromTable(readArrowFile(path), path);
}

/** What featureSplitFromArrays needs: the rows and their labels; the rest has plain defaults. */
export interface FeatureArrays {
  /** Where the rows came from (a file another reader read, or a name for rows made in memory). */
  path: string;
  /** SHA-256 of that file, or any stable tag for rows made in memory. */
  sha256: string;
  x: Float32Array | Uint8Array;
  labels: Int8Array;
  /** Row shape; default [x.length / labels.length]. */
  shape?: number[];
  /** Default "0", "1", … from the label codes. */
  classNames?: string[];
  /** Provenance of the source rows; kept under the features fields. */
  metadata?: RunMetadata;
  /** Default 0, 1, …. */
  sourceRow?: Int32Array;
}

/**
 * A FeatureSplit over rows already in memory, not normalised (one statistics group per value):
 * imld-gen points seen as 2-feature rows, or synthetic rows in tests and benchmarks.
 */
export function featureSplitFromArrays(a: FeatureArrays): FeatureSplit {
  const n = a.labels.length;
  const shape = a.shape ?? [n === 0 ? 0 : a.x.length / n];
  const size = shape.reduce((p, d) => p * d, 1);
  if (a.x.length !== n * size)
    throw new InputError(`x holds ${a.x.length} values for ${n} rows of ${size}`, { file: a.path });
  const dtype: FeatureDtype = a.x instanceof Uint8Array ? 'uint8' : 'float32';
  const normalization = noNormalization({ groupedBy: 'feature', groupStride: 1, groupCount: size });
  const classNames = classNamesOf(a.classNames ?? null, a.labels, a.path);
  const source = a.metadata ?? { stage: 'memory', codeVersion: '', params: {}, inputs: {} };
  const split = typeof source.split === 'string' ? source.split : '';
  const corpus = typeof source.corpus === 'string' ? source.corpus : '';
  return {
    path: a.path,
    sha256: a.sha256,
    metadata: { ...source, corpus, split, shape, dtype, normalization, classNames },
    shape,
    dtype,
    size,
    normalization,
    classNames,
    n,
    x: a.x,
    labels: a.labels,
    sourceRow: a.sourceRow ?? Int32Array.from({ length: n }, (_, i) => i),
  };
}
