import { InputError, sha256 } from '@corpus-tune/core';

/** `--shard I/N` → { index, count }, as tusz-segments takes it (Slurm array / indexed job style). */
export function parseShard(raw: string | undefined): { index: number; count: number } | null {
  if (raw === undefined) return null;
  const match = /^(\d+)\/(\d+)$/.exec(raw.trim());
  if (!match) throw new InputError(`--shard must look like I/N (e.g. 0/4), got "${raw}"`);
  const shard = { index: Number(match[1]), count: Number(match[2]) };
  if (shard.count < 1 || shard.index >= shard.count) throw new InputError(`--shard ${raw}: need 0 ≤ I < N`);
  return shard;
}

/** Which shard a slide belongs to: stable by id (a hash, so adding slides never moves others). */
export function shardOf(slideId: string, count: number): number {
  return parseInt(sha256(slideId).slice(0, 8), 16) % count;
}
