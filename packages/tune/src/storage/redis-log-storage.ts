import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, ErrorReply } from '@redis/client';
import { InputError } from '@corpus-tune/core';
import { StorageUnavailable } from './log-storage.ts';
import type { JournalLogStorage, JournalRecord } from './log-storage.ts';

/**
 * The append of Optuna 3.1's JournalRedisStorage (optuna/storages/_journal/redis.py), one batch at
 * a time: `setnx <prefix>:log_number -1` (Optuna does it before every append), then per record the
 * same `incr <prefix>:log_number` + `set <prefix>:log:<i>` as Optuna's script. The whole batch is one
 * script, so Redis runs it atomically: readers never see half a batch. ARGV[2] is the record count
 * the writer last read (−1: append unconditionally); if another writer appended since, nothing is
 * written and the script returns 0.
 */
export const APPEND_SCRIPT = `
local prefix = ARGV[1]
local key = string.format('%s:log_number', prefix)
redis.call('setnx', key, -1)
local at = tonumber(ARGV[2])
if at >= 0 and tonumber(redis.call('get', key)) + 1 ~= at then return 0 end
for j = 3, #ARGV do
  local i = redis.call('incr', key)
  redis.call('set', string.format('%s:log:%d', prefix, i), ARGV[j])
end
return 1
`;

export interface RedisLogStorageOptions {
  /** Optuna's `prefix` (default "", as Optuna's). */
  prefix?: string;
  /** While Redis is unreachable, retry with backoff this long, then fail with StorageUnavailable. */
  retrySec?: number;
}

function makeClient(url: string) {
  let connected = false;
  const client = createClient({
    url,
    // Commands fail at once while disconnected; our own bounded retry decides what happens next.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      // Before the first connection, a failure rejects connect() (our retry calls it again); after
      // it, the client reconnects in the background while our retry waits.
      reconnectStrategy: (retries, cause) => (connected ? Math.min(50 * 2 ** retries, 1000) : cause),
    },
  });
  client.on('ready', () => {
    connected = true;
  });
  // Errors surface through the rejected command; without a listener the client would throw.
  client.on('error', () => {});
  return client;
}

type Client = ReturnType<typeof makeClient>;

/** MGET batch size while reading the log. */
const READ_CHUNK = 1000;

/**
 * A journal in Redis, in exactly the key layout of Optuna's JournalRedisStorage, so that
 * `optuna.load_study(storage=JournalStorage(JournalRedisStorage(url, prefix=…)))` and Optuna
 * workers share studies with ours.
 */
export class RedisLogStorage implements JournalLogStorage {
  readonly url: string;
  readonly prefix: string;
  private readonly retrySec: number;
  private readonly client: Client;
  /** How many records the last read saw (a lower bound for where our next append lands). */
  private readCount = 0;

  private constructor(url: string, client: Client, options: RedisLogStorageOptions) {
    this.url = url;
    this.client = client;
    this.prefix = options.prefix ?? '';
    this.retrySec = options.retrySec ?? 60;
  }

  /** Connects (retrying as any call does) and returns the storage. */
  static async connect(url: string, options: RedisLogStorageOptions = {}): Promise<RedisLogStorage> {
    const client = makeClient(url);
    const storage = new RedisLogStorage(url, client, options);
    await storage.retrying(async () => {
      if (!client.isOpen) await client.connect();
      else if (!client.isReady) throw new Error('reconnecting');
    });
    return storage;
  }

  get location(): string {
    const url = new URL(this.url);
    if (url.password) url.password = '***';
    return `${url.toString()} (prefix "${this.prefix}")`;
  }

  private key(n: number): string {
    return `${this.prefix}:log:${n}`;
  }

  whereIs(n: number): string {
    return `${this.location} ${this.key(n)}`;
  }

  /** Runs `call`, retrying connection failures with backoff for at most retrySec. */
  private async retrying<T>(call: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.retrySec * 1000;
    let waitMs = 50;
    for (;;) {
      try {
        return await call();
      } catch (error) {
        // Redis answered (an error reply), or what it holds is bad: not a connection problem.
        if (error instanceof ErrorReply || error instanceof InputError) throw error;
        if (Date.now() >= deadline) throw new StorageUnavailable(this.location, this.retrySec, error);
        await sleep(Math.min(waitMs, Math.max(1, deadline - Date.now())));
        waitMs = Math.min(waitMs * 2, 1000);
      }
    }
  }

  async readLogs(from: number): Promise<JournalRecord[]> {
    return this.retrying(async () => {
      const last = await this.client.get(`${this.prefix}:log_number`);
      if (last === null) return [];
      const end = Number(last) + 1;
      this.readCount = Math.max(this.readCount, end);
      const records: JournalRecord[] = [];
      for (let start = from; start < end; start += READ_CHUNK) {
        const keys = Array.from({ length: Math.min(READ_CHUNK, end - start) }, (_, i) => this.key(start + i));
        const values = await this.client.mGet(keys);
        for (const [i, text] of values.entries()) {
          // Our appends and Optuna's standalone ones set log_number and the log in one script.
          if (text === null) throw new InputError(`${keys[i]} is missing below log_number ${end - 1}`);
          records.push(this.parse(String(text), start + i));
        }
      }
      return records;
    });
  }

  private parse(text: string, n: number): JournalRecord {
    let record: JournalRecord;
    try {
      record = JSON.parse(text) as JournalRecord;
    } catch (error) {
      throw new InputError(`${this.whereIs(n)} is not valid JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
    if (typeof record !== 'object' || record === null || typeof record.op_code !== 'number')
      throw new InputError(`${this.whereIs(n)} has no op_code`);
    return record;
  }

  async appendLogs(records: readonly JournalRecord[], at?: number): Promise<boolean> {
    if (records.length === 0) return true;
    const texts = records.map((r) => JSON.stringify(r));
    // The batch can only land at or after what this storage last read.
    const from = at ?? this.readCount;
    let sent = false;
    return this.retrying(async () => {
      // A reply lost with the connection leaves it open whether the batch landed: look for it.
      if (sent && (await this.landed(from, texts[0]))) return true;
      sent = true;
      const ok = await this.client.eval(APPEND_SCRIPT, {
        arguments: [this.prefix, String(at ?? -1), ...texts],
      });
      return Number(ok) === 1;
    });
  }

  /** Whether a record with exactly this text was appended at or after log number `from`. */
  private async landed(from: number, text: string): Promise<boolean> {
    const last = await this.client.get(`${this.prefix}:log_number`);
    const end = last === null ? 0 : Number(last) + 1;
    for (let start = from; start < end; start += READ_CHUNK) {
      const keys = Array.from({ length: Math.min(READ_CHUNK, end - start) }, (_, i) => this.key(start + i));
      if ((await this.client.mGet(keys)).some((v) => v !== null && String(v) === text)) return true;
    }
    return false;
  }

  async close(): Promise<void> {
    if (this.client.isOpen) this.client.destroy();
  }
}
