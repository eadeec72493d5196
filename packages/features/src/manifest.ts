import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '@corpus-tune/core';
import type { Split } from './options.ts';
import { SPLITS } from './options.ts';

/** What decides whether a corpus must be redone: code, seed, params and input hashes. */
export interface CacheKey {
  codeVersion: string;
  seed: number;
  params: Record<string, unknown>;
  inputs: Record<string, string>;
}

/** data/features/<corpus>/manifest.json: the cache key plus what was written. */
export interface CorpusManifest extends CacheKey {
  corpus: string;
  shape: number[];
  dtype: string;
  outputs: Record<string, { bytes: number; rows: number }>;
}

export const MANIFEST_NAME = 'manifest.json';

export function readManifest(outputDir: string): CorpusManifest | null {
  const path = join(outputDir, MANIFEST_NAME);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as CorpusManifest;
  } catch {
    return null;
  }
}

export function writeManifest(outputDir: string, manifest: CorpusManifest): void {
  writeJsonAtomic(join(outputDir, MANIFEST_NAME), manifest);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** Why the recorded run cannot be reused, or null when inputs, params, code and outputs all match. */
export function staleReason(
  outputDir: string,
  manifest: CorpusManifest | null,
  key: CacheKey,
): string | null {
  if (!manifest) return 'no manifest';
  if (manifest.codeVersion !== key.codeVersion) return 'code changed';
  if (manifest.seed !== key.seed) return 'seed changed';
  if (canonical(manifest.params) !== canonical(key.params)) return 'params changed';
  if (canonical(manifest.inputs) !== canonical(key.inputs)) return 'inputs changed';
  for (const split of SPLITS as readonly Split[]) {
    const name = `${split}.arrow`;
    const recorded = manifest.outputs?.[name];
    const path = join(outputDir, name);
    if (!recorded || !existsSync(path) || statSync(path).size !== recorded.bytes)
      return `${name} missing or changed`;
  }
  return null;
}
