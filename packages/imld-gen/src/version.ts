import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeVersion } from '@corpus-tune/core';

/** This package's code version (name@version+source hash) for output metadata. */
export function codeVersionOfPackage(): string {
  return codeVersion(join(dirname(fileURLToPath(import.meta.url)), '..'));
}
