import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataDir } from '@corpus-tune/core';
import { loadOpenSlide } from '../src/openslide-ffi.ts';

export const slidesDir = sharedDataDir('slides');
export const annotationsDir = sharedDataDir('tudp-annotations');
/** Skip reason for tests that read ../shared/data, or false. */
export const sharedMissing: string | false = existsSync(slidesDir)
  ? false
  : `shared data absent: ${slidesDir}`;
const loaded = loadOpenSlide();
/** Skip reason for tests that need libopenslide, or false. */
export const openslideMissing: string | false =
  'api' in loaded ? false : `libopenslide not installed (${loaded.error})`;

export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'tudp-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
