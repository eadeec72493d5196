import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  RecordBatch,
  RecordBatchFileWriter,
  RecordBatchReader,
  Schema,
  Table,
  tableFromIPC,
  tableToIPC,
} from 'apache-arrow';
import type { TypeMap } from 'apache-arrow';
import { tempPathFor, writeFileAtomic } from './atomic-write.ts';
import { InputError, openInputFile, readInputFile } from './errors.ts';

/** Schema-metadata key under which every stage records its provenance (JSON). */
export const METADATA_KEY = 'corpus-tune';

/** Provenance every output carries: what made it, from what, with which settings. */
export interface RunMetadata {
  stage: string;
  codeVersion: string;
  seed?: number;
  params: Record<string, unknown>;
  /** Input file (or logical input) → sha256. */
  inputs: Record<string, string>;
  [key: string]: unknown;
}

/** A copy of `table` whose schema carries `metadata` (plus any extra string entries). */
export function withMetadata<T extends TypeMap>(table: Table<T>, metadata: RunMetadata): Table<T> {
  const entries = new Map(table.schema.metadata);
  entries.set(METADATA_KEY, JSON.stringify(metadata));
  const schema = new Schema(table.schema.fields, entries);
  return new Table(
    schema,
    table.batches.map((b) => new RecordBatch(schema, b.data)),
  );
}

/**
 * Writes a table as an Arrow IPC file, atomically. Note: apache-arrow 21 writes a corrupt file
 * when one typed array backs two columns, and its compressed IPC writer is broken, so callers
 * pass distinct buffers and we write uncompressed.
 */
export function writeArrowFile<T extends TypeMap>(path: string, table: Table<T>): void {
  writeFileAtomic(path, tableToIPC(table, 'file'));
}

/**
 * Streams record batches into an Arrow IPC file with bounded memory (the writer is drained as
 * batches arrive; piping it into a file stream has no back-pressure), atomically.
 */
export async function writeArrowBatches<T extends TypeMap>(
  path: string,
  schema: Schema<T>,
  batches: AsyncIterable<RecordBatch<T>> | Iterable<RecordBatch<T>>,
): Promise<number> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, 'w');
  let rows = 0;
  try {
    const writer = new RecordBatchFileWriter<T>();
    writer.reset(undefined, schema);
    const drained = (async () => {
      for await (const chunk of writer) writeSync(fd, chunk);
    })();
    for await (const batch of batches) {
      writer.write(batch);
      rows += batch.numRows;
      await new Promise<void>((r) => setImmediate(r));
    }
    writer.finish();
    await drained;
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw error;
  }
  return rows;
}

export function readArrowFile(path: string): Table {
  const bytes = readInputFile(path, 'Arrow file');
  try {
    return tableFromIPC(bytes);
  } catch (error) {
    throw new InputError(`not a readable Arrow IPC file: ${(error as Error).message}`, {
      file: path,
      cause: error,
    });
  }
}

/** The provenance record of a table written by a corpus-tune stage. */
export function runMetadataOf(table: Table, source = 'table'): RunMetadata {
  const raw = table.schema.metadata.get(METADATA_KEY);
  if (raw === undefined)
    throw new InputError(`no "${METADATA_KEY}" schema metadata (not written by corpus-tune?)`, {
      file: source,
    });
  return JSON.parse(raw) as RunMetadata;
}

export function readRunMetadata(path: string): RunMetadata {
  return runMetadataOf(readArrowFile(path), path);
}

/** The provenance record of an Arrow file, reading only its schema (the file may be gigabytes). */
export async function readSchemaRunMetadata(path: string): Promise<RunMetadata> {
  const handle = await openInputFile(path, 'Arrow file');
  try {
    const reader = await RecordBatchReader.from(handle);
    await reader.open();
    const raw = reader.schema.metadata.get(METADATA_KEY);
    if (raw === undefined) throw new InputError(`no "${METADATA_KEY}" schema metadata`, { file: path });
    return JSON.parse(raw) as RunMetadata;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`not a readable Arrow IPC file: ${(error as Error).message}`, {
      file: path,
      cause: error,
    });
  } finally {
    await handle.close();
  }
}
