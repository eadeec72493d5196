import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Table, Vector } from 'apache-arrow';
import { InputError, readArrowFile, runMetadataOf, sha256File } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';

export const SPLITS = ['train', 'dev', 'eval'] as const;
export type SplitName = (typeof SPLITS)[number];

/** One split of a features corpus, held as flat typed arrays (row-major, `shape` per example). */
export interface FeatureSplit {
  path: string;
  sha256: string;
  /** Number of examples. */
  n: number;
  /** Shape of one example. */
  shape: number[];
  /** Values per example (∏ shape). */
  size: number;
  /** Example values; u8 images stay u8 (scaled to [0, 1] per batch), f32 stays f32. */
  x: Float32Array | Uint8Array;
  labels: Int8Array;
  sourceRow: Int32Array;
  classNames: string[];
  metadata: RunMetadata;
}

function column(table: Table, name: string, path: string): Vector {
  const vec = table.getChild(name);
  if (!vec)
    throw new InputError(
      `missing column "${name}" (has: ${table.schema.fields.map((f) => f.name).join(', ')})`,
      { file: path },
    );
  return vec;
}

function concatChunks<T extends Float32Array | Uint8Array | Int8Array | Int32Array>(
  chunks: T[],
  make: (n: number) => T,
): T {
  if (chunks.length === 1) return chunks[0];
  const out = make(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function flatValues(
  vec: Vector,
  path: string,
  name: string,
): Float32Array | Uint8Array | Int8Array | Int32Array {
  const chunks = vec.data.map((d) => {
    const v = d.values as unknown;
    if (!(
      v instanceof Float32Array ||
      v instanceof Uint8Array ||
      v instanceof Int8Array ||
      v instanceof Int32Array
    )) {
      throw new InputError(`column "${name}" has type ${String(d.type)}, expected f32/u8/i8/i32 values`, {
        file: path,
      });
    }
    return v.subarray(d.offset, d.offset + d.length);
  });
  const first = chunks[0];
  if (first instanceof Float32Array)
    return concatChunks(chunks as Float32Array[], (n) => new Float32Array(n));
  if (first instanceof Uint8Array) return concatChunks(chunks as Uint8Array[], (n) => new Uint8Array(n));
  if (first instanceof Int8Array) return concatChunks(chunks as Int8Array[], (n) => new Int8Array(n));
  return concatChunks(chunks as Int32Array[], (n) => new Int32Array(n));
}

function listValues(vec: Vector, path: string): { values: Float32Array | Uint8Array; listSize: number } {
  const chunks: (Float32Array | Uint8Array)[] = [];
  let listSize = 0;
  for (const d of vec.data) {
    const child = d.children[0];
    const size = (d.type as { listSize?: number }).listSize;
    if (!child || !size)
      throw new InputError(`column "x" must be a FixedSizeList, got ${String(d.type)}`, { file: path });
    listSize = size;
    const v = child.values as unknown;
    if (!(v instanceof Float32Array || v instanceof Uint8Array))
      throw new InputError(`column "x" must hold f32 or u8 values, got ${String(child.type)}`, {
        file: path,
      });
    // arrow-js slices a FixedSizeList's child along with it, so the child's own offset is the start.
    chunks.push(v.subarray(child.offset, child.offset + d.length * size));
  }
  if (chunks.length === 0) return { values: new Float32Array(0), listSize };
  const values =
    chunks[0] instanceof Float32Array
      ? concatChunks(chunks as Float32Array[], (n) => new Float32Array(n))
      : concatChunks(chunks as Uint8Array[], (n) => new Uint8Array(n));
  return { values, listSize };
}

function int8Labels(vec: Vector, path: string): Int8Array {
  const values = flatValues(vec, path, 'label');
  if (!(values instanceof Int8Array))
    throw new InputError(`column "label" must be int8 codes`, { file: path });
  return values;
}

function classNamesOf(meta: RunMetadata, labels: Int8Array, path: string): string[] {
  const names = meta.classNames;
  let maxLabel = -1;
  for (const l of labels) {
    if (l < 0) throw new InputError(`negative label code ${l}`, { file: path });
    if (l > maxLabel) maxLabel = l;
  }
  if (Array.isArray(names) && names.every((n) => typeof n === 'string')) {
    if (maxLabel >= names.length)
      throw new InputError(`label code ${maxLabel} but only ${names.length} classNames`, { file: path });
    return names as string[];
  }
  return Array.from({ length: Math.max(2, maxLabel + 1) }, (_, i) => String(i));
}

/**
 * Reads one features split (`x` FixedSizeList<f32|u8>[∏shape], `label` i8, `sourceRow` i32, metadata
 * `shape`, `classNames`). Any problem is an InputError naming the file.
 */
export function loadFeatureSplit(path: string): FeatureSplit {
  const table = readArrowFile(path);
  const metadata = runMetadataOf(table, path);
  const { values, listSize } = listValues(column(table, 'x', path), path);
  const labels = int8Labels(column(table, 'label', path), path);
  const n = table.numRows;
  const sourceVec = table.getChild('sourceRow');
  const sourceRow = sourceVec
    ? (flatValues(sourceVec, path, 'sourceRow') as Int32Array)
    : Int32Array.from({ length: n }, (_, i) => i);
  const rawShape = metadata.shape;
  const shape =
    Array.isArray(rawShape) && rawShape.every((d) => Number.isInteger(d) && d > 0)
      ? (rawShape as number[])
      : [listSize];
  const size = shape.reduce((a, b) => a * b, 1);
  if (n > 0 && size !== listSize)
    throw new InputError(
      `metadata shape [${shape.join(', ')}] has ${size} values but x lists hold ${listSize}`,
      { file: path },
    );
  if (values.length !== n * size)
    throw new InputError(`x holds ${values.length} values for ${n} rows of ${size}`, { file: path });
  return {
    path,
    sha256: sha256File(path),
    n,
    shape,
    size,
    x: values,
    labels,
    sourceRow,
    classNames: classNamesOf(metadata, labels, path),
    metadata,
  };
}

/** A 2-D point split: imld-gen's `x`, `y` f32 columns, or a features file with 2 values per row. */
export interface PointSplit {
  path: string;
  sha256: string;
  n: number;
  /** Interleaved x0, y0, x1, y1, … */
  points: Float64Array;
  labels: Int8Array;
  classNames: string[];
  metadata: RunMetadata;
}

export function loadPointSplit(path: string): PointSplit {
  const table = readArrowFile(path);
  const metadata = runMetadataOf(table, path);
  const xField = table.schema.fields.find((f) => f.name === 'x');
  if (!xField) throw new InputError(`missing column "x"`, { file: path });
  const labels = int8Labels(column(table, 'label', path), path);
  const n = table.numRows;
  const points = new Float64Array(2 * n);
  if (table.getChild('y')) {
    const xs = flatValues(column(table, 'x', path), path, 'x');
    const ys = flatValues(column(table, 'y', path), path, 'y');
    for (let i = 0; i < n; i++) {
      points[2 * i] = xs[i];
      points[2 * i + 1] = ys[i];
    }
  } else {
    const { values, listSize } = listValues(column(table, 'x', path), path);
    if (listSize !== 2)
      throw new InputError(`point baselines need 2 features per row, x lists hold ${listSize}`, {
        file: path,
      });
    points.set(values);
  }
  return {
    path,
    sha256: sha256File(path),
    n,
    points,
    labels,
    classNames: classNamesOf(metadata, labels, path),
    metadata,
  };
}

/** Paths of the three splits under `dir`; throws InputError naming the first missing one. */
export function splitPaths(dir: string): Record<SplitName, string> {
  const paths = {
    train: join(dir, 'train.arrow'),
    dev: join(dir, 'dev.arrow'),
    eval: join(dir, 'eval.arrow'),
  };
  for (const p of Object.values(paths))
    if (!existsSync(p)) throw new InputError('missing split file', { file: p });
  return paths;
}
