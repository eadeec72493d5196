import { resolve } from 'node:path';
import { InputError } from '@corpus-tune/core';

/** One journal operation as stored: `{"op_code": n, "worker_id": "…", …}` (Optuna's JournalStorage). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JournalRecord = { op_code: number; worker_id: string } & { [k: string]: JsonValue };

/**
 * Where a journal's records live: Optuna's BaseJournalLogStorage (read logs from N, append logs),
 * plus a conditional append so that check-then-write decisions (claim a waiting trial, create trial
 * n) are atomic without a lock: a worker appends only if nobody appended since it last read, else
 * it reads again and decides again.
 */
export interface JournalLogStorage {
  /** The file path or Redis URL and prefix, for messages. */
  readonly location: string;
  /** Records numbered `from` (0-based) and later, in order. */
  readLogs(from: number): Promise<JournalRecord[]>;
  /**
   * Appends `records` in one atomic step. With `at`, only if the log holds exactly `at` records
   * now; returns false (nothing written) when another writer appended first.
   */
  appendLogs(records: readonly JournalRecord[], at?: number): Promise<boolean>;
  /** Where record `n` is, for error messages (`journal.log:12`, `redis://…/0 tune:log:11`). */
  whereIs(n: number): string;
  close(): Promise<void>;
}

/** The storage stayed unreachable for the whole retry window; nothing of the failed call was half-written. */
export class StorageUnavailable extends Error {
  constructor(location: string, retrySec: number, cause: unknown) {
    super(
      `${location} unreachable for ${retrySec} s (${cause instanceof Error ? cause.message : String(cause)}); ` +
        'the study is intact: rerun the same command once it is back',
      { cause },
    );
    this.name = 'StorageUnavailable';
  }
}

/** A parsed `--storage` value. */
export type StorageSpec =
  | { kind: 'file'; path: string }
  | {
      kind: 'redis';
      /** redis://[user:password@]host:port[/db], as redis-py's `Redis.from_url`. */
      url: string;
      /** Optuna's JournalRedisStorage `prefix` (keys `<prefix>:log_number`, `<prefix>:log:<n>`). */
      prefix: string;
    };

/**
 * Parses `file:PATH` or `redis://host:port/db` (also `rediss://` and `unix://`). A bare path is a
 * file. `prefix` is Optuna's JournalRedisStorage prefix (default "", as Optuna's).
 */
export function parseStorageSpec(text: string, options: { prefix?: string } = {}): StorageSpec {
  if (/^(rediss?|unix):\/\//.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch (error) {
      throw new InputError(`--storage ${text} is not a valid Redis URL`, { cause: error });
    }
    const db = url.pathname.replace(/^\//, '');
    if (url.protocol !== 'unix:' && db !== '' && !/^\d+$/.test(db))
      throw new InputError(`--storage ${text}: the database must be a number (redis://host:port/0)`);
    return { kind: 'redis', url: text, prefix: options.prefix ?? '' };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    throw new InputError(`--storage ${text}: unknown scheme; use file:PATH or redis://host:port/db`);
  const path = text.startsWith('file:') ? text.slice('file:'.length) : text;
  if (path === '') throw new InputError('--storage file: needs a path (file:study/journal.log)');
  return { kind: 'file', path: resolve(path) };
}

/** Opens the storage a spec names (the Redis backend is loaded only when asked for). */
export async function openLogStorage(
  spec: StorageSpec,
  options: { retrySec?: number } = {},
): Promise<JournalLogStorage> {
  if (spec.kind === 'file') {
    const { FileLogStorage } = await import('./file-log-storage.ts');
    return new FileLogStorage(spec.path);
  }
  const { RedisLogStorage } = await import('./redis-log-storage.ts');
  return RedisLogStorage.connect(spec.url, {
    prefix: spec.prefix,
    ...(options.retrySec !== undefined ? { retrySec: options.retrySec } : {}),
  });
}

/** A spec as one line for logs and `tune status` (no password). */
export function describeStorage(spec: StorageSpec): string {
  if (spec.kind === 'file') return spec.path;
  const url = new URL(spec.url);
  if (url.password) url.password = '***';
  return `${url.toString()} (prefix "${spec.prefix}")`;
}
