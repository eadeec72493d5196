import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '@corpus-tune/core';

export const EDF_DIR = sharedDataDir('edf');
export const ANNOTATION_DIR = sharedDataDir('tusz-annotations');
/** Skip reason for tests that need ../shared/data, or false when it is there. */
export const NEED_SHARED: string | false =
  existsSync(EDF_DIR) && existsSync(ANNOTATION_DIR) ? false : `shared data absent: ${sharedDataDir()}`;

export function golden<T>(name: string): T {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'golden', name), 'utf8')) as T;
}

/** max |a − b| / max |b|: the relative tolerance the golden tests state. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}
