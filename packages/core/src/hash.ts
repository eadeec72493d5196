import { createHash } from 'node:crypto';
import { openSync, readSync, closeSync, readdirSync, statSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 of a file's bytes, streamed in 4 MiB chunks so multi-GB inputs stay cheap in memory. */
export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      hash.update(chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Files under `dir` (sorted, relative paths), skipping dot-files and node_modules. */
export function listFiles(dir: string, filter: (relPath: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const rel = relative(dir, path);
        if (filter(rel)) out.push(rel);
      }
    }
  };
  walk(dir);
  return out;
}

/** One hash over the relative paths and contents of every file under `dir`. */
export function sha256Tree(dir: string): string {
  const hash = createHash('sha256');
  for (const rel of listFiles(dir)) {
    hash
      .update(rel)
      .update('\0')
      .update(readFileSync(join(dir, rel)))
      .update('\0');
  }
  return hash.digest('hex');
}
