// Streaming reads of Arrow IPC files with checked column access: what every stage's reader of its
// own large files builds on (tusz-segments, tudp-patches, features).
import type { FileHandle } from 'node:fs/promises';
import { DataType, RecordBatchReader } from 'apache-arrow';
import type { Field, FixedSizeList, RecordBatch, Schema } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { InputError, openInputFile } from './errors.ts';
import { METADATA_KEY } from './arrow-io.ts';
import type { RunMetadata } from './arrow-io.ts';

/** An Arrow IPC file opened for streaming: schema up front, record batches one at a time. */
export interface ArrowBatchSource {
  path: string;
  schema: Schema;
  metadata: RunMetadata | null;
  batches(): AsyncGenerator<RecordBatch>;
}

/**
 * Opens an Arrow IPC file for reading batch by batch (bounded memory, unlike reading the whole
 * table). Unreadable or non-Arrow files are an InputError naming the file.
 */
export async function openArrowBatches(path: string): Promise<ArrowBatchSource> {
  const schema = await withFile(path, async (reader) => reader.schema);
  const raw = schema.metadata.get(METADATA_KEY);
  let metadata: RunMetadata | null = null;
  if (raw !== undefined) {
    try {
      metadata = JSON.parse(raw) as RunMetadata;
    } catch (error) {
      throw new InputError(`"${METADATA_KEY}" schema metadata is not JSON`, { file: path, cause: error });
    }
  }
  return {
    path,
    schema,
    metadata,
    async *batches() {
      const handle = await openInputFile(path, 'Arrow file');
      try {
        const reader = await readerOf(path, handle);
        try {
          for await (const batch of reader) yield batch as RecordBatch;
        } catch (error) {
          throw new InputError(`corrupt Arrow record batch: ${(error as Error).message}`, {
            file: path,
            cause: error,
          });
        }
      } finally {
        await handle.close();
      }
    },
  };
}

async function readerOf(path: string, handle: FileHandle) {
  try {
    const reader = await RecordBatchReader.from(handle);
    await reader.open();
    return reader;
  } catch (error) {
    throw new InputError(`not a readable Arrow IPC file: ${(error as Error).message}`, {
      file: path,
      cause: error,
    });
  }
}

async function withFile<T>(
  path: string,
  use: (reader: Awaited<ReturnType<typeof readerOf>>) => Promise<T>,
): Promise<T> {
  const handle = await openInputFile(path, 'Arrow file');
  try {
    return await use(await readerOf(path, handle));
  } finally {
    await handle.close();
  }
}

/** The field `name`, or an InputError naming the file, the column and the columns there are. */
export function requireField(schema: Schema, name: string, file: string): Field {
  const field = schema.fields.find((f) => f.name === name);
  if (!field) {
    throw new InputError(
      `missing column "${name}" (columns: ${schema.fields.map((f) => f.name).join(', ') || 'none'})`,
      { file },
    );
  }
  return field;
}

function describe(type: DataType): string {
  return String(type);
}

/** Checks a FixedSizeList<Float32|Uint8> column of the expected list size; returns the list size. */
export function requireFixedSizeList(
  schema: Schema,
  name: string,
  element: 'float32' | 'uint8',
  file: string,
  expectedListSize?: number,
): number {
  const field = requireField(schema, name, file);
  const type = field.type;
  const elementOk = (t: DataType): boolean =>
    element === 'float32'
      ? DataType.isFloat(t) && t.precision === 1
      : DataType.isInt(t) && t.bitWidth === 8 && !t.isSigned;
  if (!DataType.isFixedSizeList(type) || !elementOk(type.children[0].type)) {
    throw new InputError(`column "${name}" must be FixedSizeList<${element}>, got ${describe(type)}`, {
      file,
    });
  }
  if (expectedListSize !== undefined && type.listSize !== expectedListSize) {
    throw new InputError(`column "${name}" has list size ${type.listSize}, expected ${expectedListSize}`, {
      file,
    });
  }
  return type.listSize;
}

export function requireScalar(
  schema: Schema,
  name: string,
  kind: 'int8' | 'int32' | 'float32' | 'binary',
  file: string,
): void {
  const type = requireField(schema, name, file).type;
  const ok =
    kind === 'int8'
      ? DataType.isInt(type) && type.bitWidth === 8 && type.isSigned
      : kind === 'int32'
        ? DataType.isInt(type) && type.bitWidth === 32 && type.isSigned
        : kind === 'float32'
          ? DataType.isFloat(type) && type.precision === 1
          : DataType.isBinary(type) || DataType.isLargeBinary(type);
  if (!ok) throw new InputError(`column "${name}" must be ${kind}, got ${describe(type)}`, { file });
}

function onlyData(batch: RecordBatch, name: string, file: string): Data {
  const vector = batch.getChild(name);
  if (!vector) throw new InputError(`missing column "${name}"`, { file });
  if (vector.data.length !== 1)
    throw new InputError(`column "${name}" spans ${vector.data.length} chunks in one batch`, { file });
  const data = vector.data[0];
  if (data.nullCount > 0)
    throw new InputError(`column "${name}" has ${data.nullCount} null values`, { file });
  return data;
}

/** The flat values of a FixedSizeList column in one batch (a view, zero-copy). */
export function listValues(batch: RecordBatch, name: string, file: string): Float32Array | Uint8Array {
  const data = onlyData(batch, name, file);
  const listSize = (data.type as FixedSizeList).listSize;
  const child = data.children[0];
  if (child.nullCount > 0) throw new InputError(`column "${name}" has null elements`, { file });
  const start = child.offset + data.offset * listSize;
  const values = child.values as Float32Array | Uint8Array;
  return values.subarray(start, start + data.length * listSize);
}

/** The values of a primitive column in one batch (a view). */
export function scalarValues<T extends Int8Array | Int32Array | Float32Array>(
  batch: RecordBatch,
  name: string,
  file: string,
): T {
  const data = onlyData(batch, name, file);
  const values = data.values as T;
  return values.subarray(data.offset, data.offset + data.length) as T;
}

/** The binary values of a Binary column in one batch, one view per row. */
export function binaryValues(batch: RecordBatch, name: string, file: string): Uint8Array[] {
  const data = onlyData(batch, name, file);
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; i++)
    out.push(bytes.subarray(Number(offsets[data.offset + i]), Number(offsets[data.offset + i + 1])));
  return out;
}
