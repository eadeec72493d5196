// Sharding a corpus across array tasks (Slurm array, Kubernetes indexed job): `--shard I/N` on each
// task, every recording or slide in exactly one shard, by a hash of its id.
import { sha256 } from './hash.ts';
import { InputError } from './errors.ts';

/** Task `index` of `count` (0 ≤ index < count). */
export interface Shard {
  index: number;
  count: number;
}

/** `--shard I/N` → { index, count }; undefined when the flag is absent; InputError for anything else. */
export function parseShardFlag(raw: string | undefined, flag = '--shard'): Shard | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(raw.trim());
  if (!match) throw new InputError(`${flag} must look like I/N (e.g. 0/4), got "${raw}"`);
  const shard = { index: Number(match[1]), count: Number(match[2]) };
  if (shard.count < 1 || shard.index >= shard.count)
    throw new InputError(`${flag} ${raw}: need 0 ≤ I < N (I the task, N the number of tasks)`);
  return shard;
}

/**
 * The shard of `key` among `count`: the first 32 bits of SHA-256(key, UTF-8), big-endian, mod count.
 * Depends on the key alone, so adding keys never moves others.
 */
export function shardOf(key: string, count: number): number {
  if (!(Number.isInteger(count) && count >= 1))
    throw new RangeError(`shard count must be a positive integer, got ${count}`);
  return parseInt(sha256(key).slice(0, 8), 16) % count;
}
