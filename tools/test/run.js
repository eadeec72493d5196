#!/usr/bin/env node
// Runs every `*.test.ts` under the given roots (default: all packages and tools) in one
// `node --test` process tree, so the closing summary covers the whole suite. Node 20's --test
// does not expand globs itself, hence this walker.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const workspaceRoot = resolve(fileURLToPath(import.meta.url), '../../..');
const roots = process.argv.slice(2);
const searchRoots = roots.length > 0 ? roots : ['packages', 'tools'];

function collect(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = searchRoots.flatMap((root) => collect(resolve(workspaceRoot, root), []));
if (files.length === 0) {
  console.error(`no test files under ${searchRoots.join(', ')}`);
  process.exit(1);
}
const args = [
  '--import',
  'tsx',
  '--test',
  '--test-reporter=spec',
  ...files.map((f) => relative(process.cwd(), f)),
];
// Tests make their scratch folders under os.tmpdir(); pointing TMPDIR at one folder per run lets this
// runner remove what they leave (kill -9 workers, Redis data, failed assertions before a cleanup).
// A failing run keeps it for inspection.
const scratch = mkdtempSync(join(tmpdir(), 'corpus-tune-tests-'));
const result = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  cwd: process.cwd(),
  env: { ...process.env, TMPDIR: scratch },
});
if (result.status === 0) rmSync(scratch, { recursive: true, force: true });
else console.error(`test scratch folders kept in ${scratch}`);
process.exit(result.status ?? 1);
