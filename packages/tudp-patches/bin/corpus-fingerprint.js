#!/usr/bin/env node
// Nx runtime input of `tudp-patches:prepare`: Nx cannot hash files outside the workspace, so this
// prints a fingerprint of the corpus under $TUDP_ROOT (relative paths, sizes, mtimes — cheap even for
// multi-GB slides). Adding or changing a slide changes it, Nx reruns prepare, and prepare's own
// per-slide content-hash cache then reprocesses only that slide. Without TUDP_ROOT: the demo corpus.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.env.TUDP_ROOT;
if (!root) {
  process.stdout.write('demo\n');
} else if (!existsSync(root)) {
  process.stdout.write(`missing ${root}\n`);
} else {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else hash.update(`${relative(root, path)}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  walk(root);
  process.stdout.write(`${hash.digest('hex')}\n`);
}
