import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Tree } from './hash.ts';

const cache = new Map<string, string>();

/**
 * `name@version+<12 hex of the source tree>` for a package directory. Hashing the sources
 * (rather than asking git) keeps outputs byte-identical across commits that do not touch
 * the stage, and works from a tarball or a dirty tree.
 */
export function codeVersion(packageDir: string): string {
  const hit = cache.get(packageDir);
  if (hit) return hit;
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const version = `${pkg.name}@${pkg.version}+${sha256Tree(join(packageDir, 'src')).slice(0, 12)}`;
  cache.set(packageDir, version);
  return version;
}
