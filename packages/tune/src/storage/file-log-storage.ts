import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '@corpus-tune/core';
import type { FileLock } from '../lock.ts';
import { symlinkLock } from '../lock.ts';
import type { JournalLogStorage, JournalRecord } from './log-storage.ts';

function readRange(fd: number, from: number, to: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, to - from));
  let read = 0;
  while (read < buffer.length) {
    const n = readSync(fd, buffer, read, buffer.length - read, from + read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

/**
 * Optuna's JournalFileStorage: one JSON object per line, appended under Optuna's symlink lock, so
 * our workers and Optuna's can share one file. Reads are incremental. A torn last line (a writer
 * killed mid-append) is skipped on read and cut off before the next append; a malformed line in
 * the middle is an error naming the file and line.
 */
export class FileLogStorage implements JournalLogStorage {
  readonly path: string;
  private readonly lock: FileLock;
  /** Byte offset just past the last complete line read, and how many lines that is. */
  private offset = 0;
  private count = 0;

  constructor(path: string, options: { lock?: FileLock } = {}) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
    closeSync(openSync(path, 'a'));
    this.lock = options.lock ?? symlinkLock(path);
  }

  get location(): string {
    return this.path;
  }

  whereIs(n: number): string {
    return `${this.path}:${n + 1}`;
  }

  async readLogs(from: number): Promise<JournalRecord[]> {
    if (from !== this.count) {
      // Not where the last read stopped: read from the start (only a new reader does this).
      this.offset = 0;
      this.count = 0;
    }
    const records: JournalRecord[] = [];
    const fd = openSync(this.path, 'r');
    try {
      const buffer = readRange(fd, this.offset, fstatSync(fd).size);
      let start = 0;
      for (;;) {
        const end = buffer.indexOf(0x0a, start);
        if (end < 0) break; // the rest is a torn or in-progress line
        const record = this.parse(buffer.toString('utf8', start, end), this.count + 1);
        if (this.count >= from) records.push(record);
        this.count++;
        this.offset += end - start + 1;
        start = end + 1;
      }
    } finally {
      closeSync(fd);
    }
    return records;
  }

  private parse(text: string, lineNumber: number): JournalRecord {
    let record: JournalRecord;
    try {
      record = JSON.parse(text) as JournalRecord;
    } catch (error) {
      throw new InputError(
        `line ${lineNumber} is not valid JSON (${(error as Error).message}); the journal is corrupt`,
        { file: this.path, cause: error },
      );
    }
    if (typeof record !== 'object' || record === null || typeof record.op_code !== 'number')
      throw new InputError(`line ${lineNumber} has no op_code`, { file: this.path });
    return record;
  }

  async appendLogs(records: readonly JournalRecord[], at?: number): Promise<boolean> {
    if (records.length === 0) return true;
    this.lock.acquire();
    try {
      const fd = openSync(this.path, 'r+');
      try {
        const size = fstatSync(fd).size;
        let end: number;
        if (at !== undefined) {
          if (at !== this.count) return false;
          // Any complete line past what we read means another writer came first.
          if (readRange(fd, this.offset, size).includes(0x0a)) return false;
          end = this.offset;
        } else {
          const tail = readRange(fd, this.offset, size);
          end = this.offset + tail.lastIndexOf(0x0a) + 1;
        }
        // Cut a torn tail left by a killed writer so the next line starts clean.
        if (size > end) ftruncateSync(fd, end);
        writeSync(fd, records.map((r) => JSON.stringify(r)).join('\n') + '\n', end);
        fsyncSync(fd);
        return true;
      } finally {
        closeSync(fd);
      }
    } finally {
      this.lock.release();
    }
  }

  async close(): Promise<void> {}
}
