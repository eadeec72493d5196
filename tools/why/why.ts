// Why did an Nx target rerun? After every real (non-cache-hit) run of a data target, `runCli` in
// @corpus-tune/core runs `record` for it: a snapshot of what Nx hashes for the task (see snapshot.ts)
// in .nx/why/<project>__<target>.json. `explain` compares the workspace now with that snapshot.
//
//   npm run why -- features:prepare        what changed since its last run, or why it last ran
//   npm run why                            every recorded target whose inputs changed
//   node --import tsx tools/why/why.ts record features:prepare     (by hand; runs on its own after each run)
import { parseArgs } from 'node:util';
import { elapsedSec, InputError, runCli } from '@corpus-tune/core';
import {
  diffSnapshots,
  listSnapshots,
  loadNx,
  parseTask,
  readSnapshot,
  snapshotPath,
  takeSnapshot,
  targetConfig,
  writeSnapshot,
  type NxContext,
  type Snapshot,
  type TaskRef,
} from './snapshot.ts';

const USAGE =
  'usage: why explain [PROJECT:TARGET[:CONFIGURATION]] | why record PROJECT:TARGET[:CONFIGURATION] [--auto]';

/** The lines for one task, and whether its inputs changed since its recorded run. */
async function explainTask(
  ctx: NxContext,
  before: Snapshot,
  configuration?: string,
): Promise<{ changed: boolean; lines: string[] }> {
  const [project, target] = before.task.split(':');
  const task: TaskRef = { project, target };
  const config = configuration ?? before.configuration;
  if (config) task.configuration = config;
  const now = await takeSnapshot(ctx, task);
  const label = config ? `${before.task}:${config}` : before.task;
  const changes = diffSnapshots(before, now);
  // Nx hashes the shell's value of a variable the target's `env` option overrides; the task (where the
  // record is taken) only sees the override, so a change of the shell's value cannot be shown.
  const notes = now.envSetByTarget
    .filter((name) => process.env[name] !== undefined && process.env[name] !== now.env[name])
    .map(
      (name) =>
        `  note: Nx also hashes ${name}=${JSON.stringify(process.env[name])} from this shell, which the target ` +
        `overrides with ${JSON.stringify(now.env[name])}; the record cannot tell whether that changed`,
    );
  const when = `its last run (${before.recordedAt})`;
  if (changes.length > 0) {
    return {
      changed: true,
      lines: [
        `${label}: inputs changed since ${when}, so Nx runs it again:`,
        ...changes.map((l) => `  ${l}`),
        ...notes,
      ],
    };
  }
  const lines = [`${label}: nothing changed since ${when}; a rerun now is a cache hit.`];
  if (before.lastRunChanges === null) lines.push('  That run is the first one recorded here.');
  else if (before.lastRunChanges.length === 0) {
    lines.push(
      '  It ran with the same inputs as the run before (--skip-nx-cache, or its cache entry was gone).',
    );
  } else lines.push('  It ran because:', ...before.lastRunChanges.map((l) => `    ${l}`));
  return { changed: false, lines: [...lines, ...notes] };
}

async function explain(spec: string | undefined): Promise<string[]> {
  const ctx = await loadNx();
  if (spec) {
    const task = parseTask(spec);
    targetConfig(ctx, task);
    const before = readSnapshot(snapshotPath(ctx.root, task.project, task.target));
    if (!before) {
      return [
        `${task.project}:${task.target}: no recorded run yet (a snapshot is written after each run of the target ` +
          `that is not a cache hit; run it once: npx nx run ${task.project}:${task.target})`,
      ];
    }
    return (await explainTask(ctx, before, task.configuration)).lines;
  }
  const snapshots = listSnapshots(ctx.root);
  if (snapshots.length === 0)
    return ['no recorded runs yet (.nx/why is written after each run of a data target)'];
  const lines: string[] = [];
  for (const before of snapshots) {
    try {
      const result = await explainTask(ctx, before);
      if (result.changed) lines.push(...result.lines);
    } catch (error) {
      lines.push(`${before.task}: cannot compare: ${(error as Error).message}`);
    }
  }
  return lines.length > 0
    ? lines
    : [
        `no input changed for any of the ${snapshots.length} recorded targets: ${snapshots.map((s) => s.task).join(', ')}`,
      ];
}

async function record(spec: string, auto: boolean): Promise<void> {
  const start = performance.now();
  const ctx = await loadNx();
  const task = parseTask(spec);
  const config = targetConfig(ctx, task);
  // After a CLI run by an Nx task: only cached targets with outputs (the data targets), not test/lint.
  if (auto && (!config.cache || !config.outputs?.length)) return;
  const snapshot = await takeSnapshot(ctx, task);
  const env = process.env;
  if (
    env.NX_TASK_HASH &&
    env.NX_TASK_TARGET_PROJECT === task.project &&
    env.NX_TASK_TARGET_TARGET === task.target
  ) {
    snapshot.runId = `${env.NX_TASK_HASH}@${env.NX_INVOCATION_ANCESTOR_PIDS ?? ''}`;
  }
  const written = writeSnapshot(ctx.root, snapshot);
  console.log(
    `why: recorded ${written.task} (${Object.keys(written.files).length} files, ` +
      `${Object.keys(written.env).length} env vars) in ${elapsedSec(start)} s`,
  );
}

await runCli('why', async (argv) => {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { auto: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false } },
  });
  const [command, spec, extra] = positionals;
  if (
    extra !== undefined ||
    (command !== 'explain' && command !== 'record') ||
    (command === 'record' && !spec)
  ) {
    throw new InputError(USAGE);
  }
  if (command === 'record') await record(spec, values.auto);
  else for (const line of await explain(spec)) console.log(line);
});
