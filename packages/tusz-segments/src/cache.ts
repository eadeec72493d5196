import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256File, writeFileAtomic, writeJsonAtomic } from '@corpus-tune/core';
import type { SegmentLabel } from './annotations.ts';

// Per-recording cache inside the output folder (data/tusz-segments/.cache): one JSON sidecar with
// the segment list (or the failure reason) and one raw little-endian float32 file with the samples,
// both named by a key over the content hashes of the EDF and its annotation, the segment options
// and the code version. Adding or changing one recording therefore reprocesses only that one.

export interface CachedSegment {
  startSec: number;
  stopSec: number;
  label: SegmentLabel;
}

export interface CacheEntry {
  key: string;
  recordingId: string;
  patientId: string;
  sessionId: string;
  edfRelPath: string;
  annotationRelPath: string;
  edfSha256: string;
  annotationSha256: string;
  status: 'ok' | 'failed';
  reason?: string;
  sourceSampleRateHz?: number;
  durationSec?: number;
  channels?: string[];
  /** The band-pass sections this recording was filtered with (absent when nothing was filtered). */
  filterSos?: number[][] | null;
  segments: CachedSegment[];
}

export function entryBase(cacheDir: string, recordingId: string, key: string): string {
  return join(cacheDir, `${recordingId}.${key.slice(0, 16)}`);
}

export function readEntry(cacheDir: string, recordingId: string, key: string): CacheEntry | null {
  const path = `${entryBase(cacheDir, recordingId, key)}.json`;
  if (!existsSync(path)) return null;
  try {
    const entry = JSON.parse(readFileSync(path, 'utf8')) as CacheEntry;
    if (entry.key !== key) return null;
    if (
      entry.status === 'ok' &&
      entry.segments.length > 0 &&
      !existsSync(`${entryBase(cacheDir, recordingId, key)}.f32`)
    )
      return null;
    return entry;
  } catch {
    return null; // a damaged entry is simply recomputed
  }
}

/** Samples first, then the sidecar, both atomically: a sidecar never points at missing samples. */
export function writeEntry(cacheDir: string, entry: CacheEntry, samples: Float32Array | null): void {
  const base = entryBase(cacheDir, entry.recordingId, entry.key);
  if (samples && samples.length > 0)
    writeFileAtomic(`${base}.f32`, new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  writeJsonAtomic(`${base}.json`, entry);
}

export function readEntrySamples(cacheDir: string, entry: CacheEntry): Float32Array {
  const bytes = readFileSync(`${entryBase(cacheDir, entry.recordingId, entry.key)}.f32`);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

/** Removes cache files of recordings/keys not in `keep` (after a complete, unsharded run). */
export function pruneCache(cacheDir: string, keep: ReadonlySet<string>): number {
  if (!existsSync(cacheDir)) return 0;
  let removed = 0;
  for (const name of readdirSync(cacheDir)) {
    const m = /^(.*)\.(json|f32)$/.exec(name);
    if (!m || name.startsWith('file-hashes') || keep.has(m[1])) continue;
    rmSync(join(cacheDir, name), { force: true });
    removed++;
  }
  return removed;
}

interface HashRecord {
  size: number;
  mtimeMs: number;
  sha256: string;
}

/**
 * Content hashes with a (size, mtime) shortcut, as git's index does: a file whose size and mtime are
 * unchanged is not read again. A touched file is re-hashed; if its bytes are unchanged, its cache
 * entry is still reused.
 */
export function createHashIndex(path: string): {
  hash(file: string, key: string): string;
  rehashed: () => number;
  save(): void;
} {
  let known: Record<string, HashRecord> = {};
  try {
    known = JSON.parse(readFileSync(path, 'utf8')) as Record<string, HashRecord>;
  } catch {
    known = {};
  }
  const next: Record<string, HashRecord> = {};
  let rehashed = 0;
  return {
    hash(file, key) {
      const st = statSync(file);
      const prior = known[key];
      if (prior && prior.size === st.size && prior.mtimeMs === st.mtimeMs) {
        next[key] = prior;
        return prior.sha256;
      }
      rehashed++;
      const sha = sha256File(file);
      next[key] = { size: st.size, mtimeMs: st.mtimeMs, sha256: sha };
      return sha;
    },
    rehashed: () => rehashed,
    save() {
      writeJsonAtomic(path, next);
    },
  };
}
