import { InputError, readArrowFile, runMetadataOf } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import type { Schema } from 'apache-arrow';
import {
  listValues,
  openArrowBatches,
  requireFixedSizeList,
  requireScalar,
  scalarValues,
} from './arrow-batches.ts';
import type { FeatureDtype } from './arrow-batches.ts';
import type { FeatureChunk } from './split-pipeline.ts';
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
  rowLength: number;
  normalization: Normalization;
  classNames: string[] | null;
}

/** A whole features split in memory: row r of x is x[r·rowLength, (r+1)·rowLength). */
export interface FeatureSplit extends FeatureSplitHeader {
  rows: number;
  x: Float32Array | Uint8Array;
  label: Int8Array;
  sourceRow: Int32Array;
}

function headerOf(schema: Schema, metadata: RunMetadata | null, path: string): FeatureSplitHeader {
  if (!metadata || metadata.stage !== 'features')
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
  const rowLength = meta.shape.reduce((a, b) => a * b, 1);
  requireFixedSizeList(schema, 'x', meta.dtype, path, rowLength);
  requireScalar(schema, 'label', 'int8', path);
  requireScalar(schema, 'sourceRow', 'int32', path);
  return {
    path,
    metadata: meta,
    shape: meta.shape,
    dtype: meta.dtype,
    rowLength,
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

/** Reads a whole features split into memory (contiguous x, label, sourceRow). */
export function readFeatureSplit(path: string): FeatureSplit {
  const table = readArrowFile(path);
  const header = headerOf(table.schema, runMetadataOf(table, path), path);
  const rows = table.numRows;
  const x =
    header.dtype === 'float32'
      ? new Float32Array(rows * header.rowLength)
      : new Uint8Array(rows * header.rowLength);
  const label = new Int8Array(rows);
  const sourceRow = new Int32Array(rows);
  let at = 0;
  for (const batch of table.batches) {
    x.set(listValues(batch, 'x', path), at * header.rowLength);
    label.set(scalarValues<Int8Array>(batch, 'label', path), at);
    sourceRow.set(scalarValues<Int32Array>(batch, 'sourceRow', path), at);
    at += batch.numRows;
  }
  return { ...header, rows, x, label, sourceRow };
}
