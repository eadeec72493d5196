#!/usr/bin/env node
// Nx runtime input of `tusz-segments:prepare`, `tudp-patches:prepare` and `imld-gen:prepare`:
//   node packages/core/bin/corpus-fingerprint.js TUSZ_ROOT data/demo-corpora/tusz
//   node packages/core/bin/corpus-fingerprint.js IMLD_ROOT --content
// Plain JS, not TypeScript through tsx: Nx runs it on every invocation, so it must start fast.
//
// With $TUSZ_ROOT / $TUDP_ROOT set: a fingerprint of that corpus (relative paths, sizes, mtimes —
// cheap even for multi-GB slides), since Nx cannot hash files outside the workspace; adding or
// changing a file changes it, Nx reruns prepare, and prepare's per-file content-hash cache then
// reprocesses only that file.
//
// Unset: the embedded demo corpus, which an uncached target writes during the run, after Nx has
// hashed this input. So the fingerprint names only the files that differ from what the generator
// recorded in `.generated.json` (core's recordGeneratedFiles): "not generated yet" and "generated,
// untouched" print the same line (a fresh clone's second run is a cache hit), an edited or added
// demo file changes it.
//
// --content (in place of a demo folder): hash the files' bytes, not their sizes and mtimes — for small
// corpora such as the IMLD CSVs, so a touched but unchanged file stays a cache hit; with the variable
// unset it prints "unset" (imld-gen then generates every set from its recipe).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const [envName, second] = process.argv.slice(2);
const byContent = second === '--content';
const demoDir = byContent ? undefined : second;
const root = process.env[envName];
const dir = root || demoDir;
const record =
  dir && !root && existsSync(join(dir, '.generated.json'))
    ? JSON.parse(readFileSync(join(dir, '.generated.json'), 'utf8'))
    : {};
const hash = createHash('sha256');
let entries = 0;
const walk = (current) => {
  for (const name of readdirSync(current).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(current, name);
    const rel = relative(dir, path);
    const st = statSync(path);
    if (st.isDirectory()) walk(path);
    else if (root && byContent) {
      hash.update(`${rel}\0${createHash('sha256').update(readFileSync(path)).digest('hex')}\n`);
      entries++;
    } else if (root) {
      hash.update(`${rel}\0${st.size}\0${st.mtimeMs}\n`);
      entries++;
    } else {
      const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
      if (record[rel] !== sha) {
        hash.update(`${rel}\0${sha}\n`);
        entries++;
      }
    }
  }
};
if (!dir) process.stdout.write('unset\n');
else if (root && !existsSync(root)) process.stdout.write(`missing ${root}\n`);
else {
  if (existsSync(dir)) walk(dir);
  const kind = root ? 'corpus' : entries === 0 ? 'demo as generated' : `demo with ${entries} edited file(s)`;
  process.stdout.write(`${kind} ${entries === 0 && !root ? '' : hash.digest('hex')}\n`);
}
