// Why did an Nx target rerun? `record` snapshots a target's resolved inputs (file hashes, the
// environment variables it hashes, its options, and the files of the upstream outputs it depends on)
// after a run; `explain` diffs the current state against that snapshot and prints what changed.
//
//   node --import tsx tools/why/why.ts explain features:prepare
//   node --import tsx tools/why/why.ts record features:prepare     (data targets run this after each run)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listFiles, sha256, sha256File, writeJsonAtomic, InputError, runCli } from '@corpus-tune/core';

interface Snapshot {
  target: string;
  options: string;
  env: Record<string, string | null>;
  files: Record<string, string>;
}

const root = resolve(import.meta.dirname, '..', '..');

function nxJson<T>(...args: string[]): T {
  const out = execFileSync(
    process.execPath,
    [join(root, 'node_modules/nx/dist/bin/nx.js'), ...args, '--json'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return JSON.parse(out.slice(out.indexOf('{'))) as T;
}

interface TargetInfo {
  options?: unknown;
  configurations?: unknown;
  dependsOn?: (string | { target: string; projects?: string | string[] })[];
}

/** Upstream project:target pairs named in dependsOn, followed transitively. */
function upstream(target: string, seen = new Set<string>()): string[] {
  const [project] = target.split(':');
  const info = nxJson<TargetInfo>('show', 'target', target);
  for (const dep of info.dependsOn ?? []) {
    const spec = typeof dep === 'string' ? dep : dep.target;
    if (spec.startsWith('^')) continue;
    const full = spec.includes(':') ? spec : `${project}:${spec}`;
    if (!seen.has(full)) {
      seen.add(full);
      upstream(full, seen);
    }
  }
  return [...seen];
}

function snapshot(target: string): Snapshot {
  const inputs = nxJson<{ files: string[]; environment: string[] }>('show', 'target', 'inputs', target);
  const info = nxJson<TargetInfo>('show', 'target', target);
  const files: Record<string, string> = {};
  for (const f of inputs.files) if (existsSync(join(root, f))) files[f] = sha256File(join(root, f));
  for (const dep of upstream(target)) {
    const outs = nxJson<{ expandedOutputs: string[] }>('show', 'target', 'outputs', dep);
    for (const out of outs.expandedOutputs) {
      const abs = join(root, out);
      if (!existsSync(abs)) continue;
      if (statSync(abs).isDirectory()) {
        for (const rel of listFiles(abs)) files[`${out}/${rel}`] = sha256File(join(abs, rel));
      } else files[out] = sha256File(abs);
    }
  }
  const env = Object.fromEntries(inputs.environment.sort().map((name) => [name, process.env[name] ?? null]));
  return { target, options: sha256(JSON.stringify({ o: info.options, c: info.configurations })), env, files };
}

function snapshotPath(target: string): string {
  return join(root, '.nx', 'why', `${target.replace(/[:/]/g, '__')}.json`);
}

function explain(target: string): string[] {
  const path = snapshotPath(target);
  if (!existsSync(path))
    return [`${target}: no recorded run yet (it runs because it never ran here, or the record was cleared)`];
  const before = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const now = snapshot(target);
  const lines: string[] = [];
  if (before.options !== now.options)
    lines.push('target options or configurations changed (package.json / nx.json)');
  for (const [name, value] of Object.entries(now.env)) {
    if (before.env[name] !== value)
      lines.push(`env ${name}: ${before.env[name] ?? '(unset)'} → ${value ?? '(unset)'}`);
  }
  for (const [file, hash] of Object.entries(now.files)) {
    if (!(file in before.files)) lines.push(`added    ${file}`);
    else if (before.files[file] !== hash) lines.push(`changed  ${file}`);
  }
  for (const file of Object.keys(before.files)) if (!(file in now.files)) lines.push(`removed  ${file}`);
  return lines.length > 0
    ? lines
    : [`${target}: no input changed since the recorded run (a rerun now is a cache hit)`];
}

await runCli('why', (argv) => {
  const [command, target] = argv;
  if (!target || !/^[\w-]+:[\w-]+$/.test(target) || (command !== 'explain' && command !== 'record')) {
    throw new InputError('usage: why explain|record PROJECT:TARGET');
  }
  if (command === 'record') writeJsonAtomic(snapshotPath(target), snapshot(target));
  else for (const line of explain(target)) console.log(line);
});
