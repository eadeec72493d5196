// Snapshots of what Nx hashes for a task, and the diff between two of them. A snapshot holds the exact
// files in the task's hash plan (its file inputs and the upstream output files it hashes, each by
// SHA-256), the environment variables, runtime inputs and external dependencies it hashes, and a hash
// per option / configuration of the target. Everything comes from Nx's own hash-plan inspector
// (`nx show target inputs` uses the same one), in this process: no `nx` CLI is spawned.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, sha256, sha256File, writeJsonAtomic } from '@corpus-tune/core';
import type { ProjectGraph, TargetConfiguration } from 'nx/src/devkit-exports';
import type { HashPlanInspector } from 'nx/src/hasher/hash-plan-inspector';

export interface Snapshot {
  version: 1;
  /** project:target (the snapshot file holds the latest run of any configuration). */
  task: string;
  configuration: string | null;
  recordedAt: string;
  /** NX_TASK_HASH and the running nx process: the several CLIs of one task run share it. */
  runId: string | null;
  /** Hash of the executor, of each option and of each configuration of the target. */
  options: Record<string, string>;
  /** Hashed environment variables, valued as the task sees them (secrets as `sha256:…`). */
  env: Record<string, string | null>;
  /** The hashed variables that the target's own `env` option sets. */
  envSetByTarget: string[];
  /** Runtime input command → SHA-256 of its output. */
  runtime: Record<string, string>;
  /** External dependency → its version (`AllExternalDependencies` → one hash over all of them). */
  external: Record<string, string>;
  /** Workspace-relative file → SHA-256. */
  files: Record<string, string>;
  /** What changed between the run recorded before this one and this one; null for a first record. */
  lastRunChanges: string[] | null;
}

export interface TaskRef {
  project: string;
  target: string;
  configuration?: string;
}

/** `project:target` or `project:target:configuration`. */
export function parseTask(spec: string): TaskRef {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p.length === 0)) {
    throw new InputError(`"${spec}" is not PROJECT:TARGET[:CONFIGURATION]`);
  }
  const [project, target, configuration] = parts;
  return configuration ? { project, target, configuration } : { project, target };
}

export function snapshotDir(root: string): string {
  return join(root, '.nx', 'why');
}

export function snapshotPath(root: string, project: string, target: string): string {
  return join(snapshotDir(root), `${`${project}__${target}`.replace(/[/\\:]/g, '__')}.json`);
}

export function readSnapshot(path: string): Snapshot | null {
  if (!existsSync(path)) return null;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<Snapshot>;
    return value.version === 1 ? (value as Snapshot) : null;
  } catch {
    return null;
  }
}

/** Every snapshot under `.nx/why`, sorted by task. */
export function listSnapshots(root: string): Snapshot[] {
  const dir = snapshotDir(root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .map((name) => readSnapshot(join(dir, name)))
    .filter((s): s is Snapshot => s !== null)
    .sort((a, b) => a.task.localeCompare(b.task));
}

interface HashCacheEntry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  sha256: string;
}

/**
 * sha256File behind a cache keyed by each file's size, mtime, ctime and inode (as git's index does),
 * kept in .nx/why/.file-hashes.json: a record after a run re-reads only the files that changed, not
 * the few hundred MB of upstream outputs it hashes. Any write to a file changes its ctime.
 */
export class FileHasher {
  private readonly path: string;
  private readonly entries: Record<string, HashCacheEntry>;
  private dirty = false;

  constructor(private readonly root: string) {
    this.path = join(snapshotDir(root), '.file-hashes.json');
    let entries: Record<string, HashCacheEntry> = {};
    try {
      if (existsSync(this.path))
        entries = JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, HashCacheEntry>;
    } catch {
      // a damaged cache is only a slower run
    }
    this.entries = entries;
  }

  /** SHA-256 of a workspace-relative file; throws when it cannot be read. */
  hash(file: string): string {
    const abs = join(this.root, file);
    const st = statSync(abs);
    const cached = this.entries[file];
    if (
      cached &&
      cached.size === st.size &&
      cached.mtimeMs === st.mtimeMs &&
      cached.ctimeMs === st.ctimeMs &&
      cached.ino === st.ino
    ) {
      return cached.sha256;
    }
    const digest = sha256File(abs);
    this.entries[file] = {
      size: st.size,
      mtimeMs: st.mtimeMs,
      ctimeMs: st.ctimeMs,
      ino: st.ino,
      sha256: digest,
    };
    this.dirty = true;
    return digest;
  }

  save(): void {
    if (!this.dirty) return;
    try {
      writeJsonAtomic(this.path, this.entries);
      this.dirty = false;
    } catch {
      // the cache only saves time
    }
  }
}

/** The project graph and hash-plan inspector of the workspace at the current directory. */
export interface NxContext {
  root: string;
  graph: ProjectGraph;
  inspector: HashPlanInspector;
  hasher: FileHasher;
}

export async function loadNx(): Promise<NxContext> {
  // In-process plugins: with isolation (the default) building the graph spawns plugin workers and
  // takes ~3 s here instead of ~0.3 s. The daemon stays off, as in nx.json.
  process.env.NX_ISOLATE_PLUGINS = 'false';
  process.env.NX_DAEMON = 'false';
  process.env.NX_NO_CLOUD = 'true';
  const [devkit, hasher] = await Promise.all([
    import('nx/src/devkit-exports'),
    import('nx/src/hasher/hash-plan-inspector'),
  ]);
  const graph = await devkit.createProjectGraphAsync({ exitOnError: false });
  const inspector = new hasher.HashPlanInspector(graph, devkit.workspaceRoot);
  await inspector.init();
  return { root: devkit.workspaceRoot, graph, inspector, hasher: new FileHasher(devkit.workspaceRoot) };
}

/** The target's configuration, checked to exist. */
export function targetConfig(ctx: NxContext, task: TaskRef): TargetConfiguration {
  const node = ctx.graph.nodes[task.project];
  if (!node) throw new InputError(`no project "${task.project}" in this workspace`);
  const config = node.data.targets?.[task.target];
  if (!config) throw new InputError(`project "${task.project}" has no target "${task.target}"`);
  if (task.configuration && !config.configurations?.[task.configuration]) {
    throw new InputError(`${task.project}:${task.target} has no configuration "${task.configuration}"`);
  }
  return config;
}

/** JSON with object keys sorted, so reordering keys in package.json is not a change. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

const SECRET = /KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL/i;

export async function takeSnapshot(ctx: NxContext, task: TaskRef): Promise<Snapshot> {
  const config = targetConfig(ctx, task);
  const configuration = task.configuration ?? config.defaultConfiguration ?? null;
  const taskId = [task.project, task.target, configuration].filter(Boolean).join(':');
  const plan = ctx.inspector.inspectTaskInputs({
    project: task.project,
    target: task.target,
    configuration: configuration ?? undefined,
  })[taskId];
  if (!plan) throw new Error(`Nx has no hash plan for ${taskId}`);

  const files: Record<string, string> = {};
  for (const file of [...plan.files, ...plan.depOutputs].sort()) {
    try {
      files[file] = ctx.hasher.hash(file);
    } catch {
      // listed by Nx but gone (or unreadable) now: leave it out, as Nx's own hashing does
    }
  }
  ctx.hasher.save();

  // Nx hashes the variables of the environment it runs in; run-commands then overlays the target's
  // `env` option. Inside the task only the overlaid value is visible, so values are taken as the task
  // sees them (the overlay wins), both when recording and when explaining.
  const overlay: Record<string, unknown> = {
    ...((config.options as { env?: Record<string, unknown> } | undefined)?.env ?? {}),
    ...((configuration
      ? (config.configurations?.[configuration] as { env?: Record<string, unknown> } | undefined)?.env
      : undefined) ?? {}),
  };
  const env: Record<string, string | null> = {};
  for (const name of [...plan.environment].sort()) {
    const value = name in overlay ? String(overlay[name]) : (process.env[name] ?? null);
    env[name] = value !== null && SECRET.test(name) ? `sha256:${sha256(value)}` : value;
  }

  const options: Record<string, string> = { executor: sha256(stableJson(config.executor ?? null)) };
  for (const [key, value] of Object.entries(config.options ?? {}))
    options[`options.${key}`] = sha256(stableJson(value));
  for (const [key, value] of Object.entries(config.configurations ?? {})) {
    options[`configurations.${key}`] = sha256(stableJson(value));
  }

  const runtime: Record<string, string> = {};
  for (const command of [...plan.runtime].sort()) {
    try {
      const out = execSync(command, {
        cwd: ctx.root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 60_000,
      });
      runtime[command] = sha256(out);
    } catch (error) {
      runtime[command] = `failed: ${(error as Error).message.split('\n')[0]}`;
    }
  }

  const externalNodes = ctx.graph.externalNodes ?? {};
  const external: Record<string, string> = {};
  for (const name of [...plan.external].sort()) {
    if (name === 'AllExternalDependencies') {
      external[name] = sha256(
        Object.keys(externalNodes)
          .sort()
          .map((n) => `${n}@${externalNodes[n].data.version}#${externalNodes[n].data.hash ?? ''}`)
          .join('\n'),
      );
    } else external[name] = externalNodes[name]?.data.version ?? '(not installed)';
  }

  return {
    version: 1,
    task: `${task.project}:${task.target}`,
    configuration,
    recordedAt: new Date().toISOString(),
    runId: null,
    options,
    env,
    envSetByTarget: Object.keys(overlay)
      .filter((name) => name in env)
      .sort(),
    runtime,
    external,
    files,
    lastRunChanges: null,
  };
}

function show(value: string | null): string {
  if (value === null) return '(unset)';
  return value.startsWith('sha256:') ? '(hidden)' : JSON.stringify(value);
}

function diffMaps(
  before: Record<string, string | null>,
  after: Record<string, string | null>,
  line: (key: string, change: 'added' | 'removed' | 'changed') => string,
): string[] {
  const out: string[] = [];
  for (const key of Object.keys(after)) {
    if (!(key in before)) out.push(line(key, 'added'));
    else if (before[key] !== after[key]) out.push(line(key, 'changed'));
  }
  for (const key of Object.keys(before)) if (!(key in after)) out.push(line(key, 'removed'));
  return out;
}

/** One line per difference: configuration, options, env, runtime inputs, dependencies, then files. */
export function diffSnapshots(before: Snapshot, after: Snapshot): string[] {
  const lines: string[] = [];
  if (before.configuration !== after.configuration) {
    lines.push(
      `configuration ${before.configuration ?? '(default)'} → ${after.configuration ?? '(default)'}`,
    );
  }
  lines.push(...diffMaps(before.options, after.options, (key, change) => `option ${key} ${change}`));
  lines.push(
    ...diffMaps(before.env, after.env, (name, change) => {
      if (change !== 'changed')
        return `env ${name} ${change === 'added' ? 'now hashed' : 'no longer hashed'}`;
      const bySelf = after.envSetByTarget.includes(name) ? ' (set by the target)' : '';
      return `env ${name}: ${show(before.env[name])} → ${show(after.env[name])}${bySelf}`;
    }),
  );
  lines.push(
    ...diffMaps(before.runtime, after.runtime, (command, change) =>
      change === 'changed'
        ? `runtime input \`${command}\` printed something else`
        : `runtime input \`${command}\` ${change}`,
    ),
  );
  lines.push(
    ...diffMaps(before.external, after.external, (name, change) =>
      change !== 'changed'
        ? `dependency ${name} ${change}`
        : name === 'AllExternalDependencies'
          ? 'external dependencies changed (package-lock.json)'
          : `dependency ${name} ${before.external[name]} → ${after.external[name]}`,
    ),
  );
  const files = diffMaps(before.files, after.files, (file, change) => `${change.padEnd(8)} ${file}`);
  return [...lines, ...files.sort((a, b) => a.slice(9).localeCompare(b.slice(9)))];
}

/**
 * Writes `snapshot` as the task's latest run. `lastRunChanges` is its diff against the run recorded
 * before, except when that record came from the same task run (several CLIs in one command, `runId`
 * equal): then the earlier CLI's diff against the run before stands.
 */
export function writeSnapshot(root: string, snapshot: Snapshot): Snapshot {
  const [project, target] = snapshot.task.split(':');
  const path = snapshotPath(root, project, target);
  const previous = readSnapshot(path);
  const lastRunChanges =
    previous === null
      ? null
      : snapshot.runId !== null && previous.runId === snapshot.runId
        ? previous.lastRunChanges
        : diffSnapshots(previous, snapshot);
  const written = { ...snapshot, lastRunChanges };
  writeJsonAtomic(path, written);
  return written;
}
