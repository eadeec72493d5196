import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from './atomic-write.ts';
import { sha256File } from './hash.ts';

/** Beside a generated (demo) corpus: relative path → SHA-256 of the bytes the generator wrote. */
export const GENERATED_RECORD = '.generated.json';

/**
 * Records the content of files a demo-corpus generator just wrote under `root`. The Nx fingerprint
 * of the demo corpus (`packages/core/bin/corpus-fingerprint.js`) names only files that differ from
 * this record, so "not generated yet" and "generated, untouched" hash the same (a fresh clone's
 * second run is a cache hit) while an edited or added file changes the hash.
 */
export function recordGeneratedFiles(root: string, relPaths: readonly string[]): void {
  const path = join(root, GENERATED_RECORD);
  const record: Record<string, string> = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>)
    : {};
  for (const rel of relPaths) record[rel] = sha256File(join(root, rel));
  const sorted = Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
  writeJsonAtomic(path, sorted);
}
