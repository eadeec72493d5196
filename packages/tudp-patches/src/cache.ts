// Per-slide cache in the data folder. Keys are content hashes: the slide file's full SHA-256 (not a
// sampled hash), the annotation file's SHA-256, the tiling parameters and the code version. Hashing a
// multi-GB slide is paid once: a stat index (size + mtime + inode → sha256) skips unchanged files.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256, sha256File, writeFileAtomic, writeJsonAtomic } from '@corpus-tune/core';

interface StatEntry {
  size: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
}

export class FileHashIndex {
  private entries: Record<string, StatEntry>;
  private dirty = false;
  constructor(private readonly path: string) {
    try {
      this.entries = JSON.parse(readFileSync(path, 'utf8')) as Record<string, StatEntry>;
    } catch {
      this.entries = {};
    }
  }

  /** SHA-256 of `file`, recomputed only when its size, mtime or inode changed; `name` keys the index. */
  hash(file: string, name: string = file): string {
    const st = statSync(file);
    const hit = this.entries[name];
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs && hit.ino === st.ino) return hit.sha256;
    const digest = sha256File(file);
    this.entries[name] = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, sha256: digest };
    this.dirty = true;
    return digest;
  }

  save(): void {
    if (!this.dirty) return;
    const sorted = Object.fromEntries(
      Object.keys(this.entries)
        .sort()
        .map((k) => [k, this.entries[k]]),
    );
    writeJsonAtomic(this.path, sorted);
    this.dirty = false;
  }
}

/** A cache key: SHA-256 of a canonical JSON of everything the cached result depends on. */
export function cacheKey(parts: Record<string, unknown>): string {
  return sha256(JSON.stringify(parts, Object.keys(parts).sort()));
}

/** File-system-safe name for a slide id (ids contain `/`). */
export function safeName(slideId: string): string {
  return slideId.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export class SlideCache {
  readonly coordsDir: string;
  readonly patchesDir: string;
  constructor(readonly root: string) {
    this.coordsDir = join(root, 'coords');
    this.patchesDir = join(root, 'patches');
  }

  private coordsPath(slideId: string): string {
    return join(this.coordsDir, `${safeName(slideId)}.json`);
  }

  readCoords<T>(slideId: string, key: string): T | null {
    const path = this.coordsPath(slideId);
    if (!existsSync(path)) return null;
    try {
      const entry = JSON.parse(readFileSync(path, 'utf8')) as { key: string; value: T };
      return entry.key === key ? entry.value : null;
    } catch {
      return null; // a damaged entry is just a miss
    }
  }

  writeCoords<T>(slideId: string, key: string, value: T): void {
    writeJsonAtomic(this.coordsPath(slideId), { key, value });
  }

  /** Folder holding one slide's encoded patches for one patch key (geometry + encoding + slide hash). */
  patchDir(slideId: string, key: string): string {
    return join(this.patchesDir, `${safeName(slideId)}.${key.slice(0, 16)}`);
  }

  patchFile(slideId: string, key: string, x: number, y: number, ext: string): string {
    return join(this.patchDir(slideId, key), `${x}_${y}.${ext}`);
  }

  readPatch(slideId: string, key: string, x: number, y: number, ext: string): Buffer | null {
    const path = this.patchFile(slideId, key, x, y, ext);
    return existsSync(path) ? readFileSync(path) : null;
  }

  writePatch(slideId: string, key: string, x: number, y: number, ext: string, bytes: Uint8Array): void {
    writeFileAtomic(this.patchFile(slideId, key, x, y, ext), bytes);
  }

  /**
   * Keeps exactly what this run uses: patch folders of other keys or slides, patch files not
   * selected, and coordinate entries of vanished slides are removed (the outputs stay reproducible).
   */
  prune(live: ReadonlyMap<string, { key: string | null; keep: ReadonlySet<string> }>): void {
    if (existsSync(this.coordsDir)) {
      const liveCoords = new Set([...live.keys()].map((id) => `${safeName(id)}.json`));
      for (const name of readdirSync(this.coordsDir))
        if (!liveCoords.has(name)) rmSync(join(this.coordsDir, name), { force: true });
    }
    if (!existsSync(this.patchesDir)) return;
    const liveDirs = new Map<string, ReadonlySet<string>>();
    for (const [id, entry] of live)
      if (entry.key !== null) liveDirs.set(`${safeName(id)}.${entry.key.slice(0, 16)}`, entry.keep);
    for (const name of readdirSync(this.patchesDir)) {
      const keep = liveDirs.get(name);
      const dir = join(this.patchesDir, name);
      if (!keep) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      for (const file of readdirSync(dir)) if (!keep.has(file)) rmSync(join(dir, file), { force: true });
    }
  }

  ensure(): void {
    mkdirSync(this.coordsDir, { recursive: true });
    mkdirSync(this.patchesDir, { recursive: true });
  }
}
