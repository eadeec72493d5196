import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The workspace root: the nearest ancestor of this package holding nx.json. */
export function workspaceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('corpus-tune: no nx.json above packages/core');
    dir = parent;
  }
  return dir;
}

/**
 * Where generated data goes: `$CORPUS_TUNE_DATA`, else `<workspace>/data`. Nx targets declare
 * outputs under `<workspace>/data`, so only direct CLI use should point elsewhere.
 */
export function dataDir(...parts: string[]): string {
  const base = process.env.CORPUS_TUNE_DATA
    ? resolve(process.env.CORPUS_TUNE_DATA)
    : join(workspaceRoot(), 'data');
  return join(base, ...parts);
}

/** Environment variables naming the real corpora; unset means "use the embedded demo corpus". */
export const CORPUS_ROOT_ENV = { tusz: 'TUSZ_ROOT', tudp: 'TUDP_ROOT', imld: 'IMLD_ROOT' } as const;

export function corpusRoot(corpus: keyof typeof CORPUS_ROOT_ENV): string | undefined {
  const value = process.env[CORPUS_ROOT_ENV[corpus]];
  return value ? resolve(value) : undefined;
}

/** `../shared/data` beside the workspace, where third-party test files live (absent outside CI/dev). */
export function sharedDataDir(...parts: string[]): string {
  return join(workspaceRoot(), '..', 'shared', 'data', ...parts);
}
