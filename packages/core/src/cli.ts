import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from './errors.ts';
import { workspaceRoot } from './paths.ts';

/**
 * The one place that turns errors into exit codes: an InputError prints one line naming the
 * file and the problem (exit 1); anything else is a bug and prints its stack (exit 2).
 * `--verbose` anywhere on the command line adds the stack and the `Error.cause` chain to input
 * errors too (see {@link formatCliError}).
 *
 * Run by an Nx task, a CLI that succeeds then records the task's inputs for `npm run why` (see
 * {@link whyRecorder}); a failed record prints one warning and never fails the task. Bookkeeping
 * CLIs that run around a stage in the same task (the content store) pass `recordForWhy: false`.
 */
export async function runCli(
  name: string,
  main: (argv: string[]) => Promise<void> | void,
  options: { recordForWhy?: boolean } = {},
): Promise<void> {
  const argv = process.argv.slice(2);
  const recorder = options.recordForWhy === false ? null : whyRecorder(process.env);
  // Worker processes this CLI spawns (train all, tune workers) inherit this: only the CLI the task ran records.
  if (recorder) process.env.CORPUS_TUNE_WHY_RECORD = '0';
  try {
    await main(argv);
    if (recorder && !process.exitCode) recordForWhy(name, recorder);
  } catch (error) {
    const report = formatCliError(name, error, argv.includes('--verbose'));
    process.stderr.write(report.text);
    process.exitCode = report.exitCode;
  }
}

/**
 * What runCli prints for a failure, and the exit code. An input error is one line (exit 1); with
 * `verbose` its stack follows, then every `Error.cause` down the chain, each as `caused by:` and its
 * stack. Anything else is a bug (exit 2) and always prints its stack and cause chain.
 */
export function formatCliError(
  name: string,
  error: unknown,
  verbose: boolean,
): { text: string; exitCode: 1 | 2 } {
  if (error instanceof InputError || isParseArgsError(error)) {
    const e = error as Error;
    const text = `${name}: error: ${e.message}\n`;
    return { text: verbose ? `${text}${e.stack}\n${causeChain(e)}` : text, exitCode: 1 };
  }
  const head = error instanceof Error ? `${error.stack}\n${causeChain(error)}` : `${String(error)}\n`;
  return { text: `${name}: internal error: ${head}`, exitCode: 2 };
}

/** `caused by:` lines for each cause below `error` (stack when it has one); stops at a cycle. */
function causeChain(error: Error): string {
  let text = '';
  const seen = new Set<unknown>([error]);
  for (let cause = error.cause; cause !== undefined && !seen.has(cause);) {
    seen.add(cause);
    if (cause instanceof Error) {
      text += `caused by: ${cause.stack ?? `${cause.name}: ${cause.message}`}\n`;
      cause = cause.cause;
    } else {
      text += `caused by: ${String(cause)}\n`;
      break;
    }
  }
  return text;
}

export interface WhyRecorder {
  /** project:target[:configuration] of the running Nx task. */
  task: string;
  /** The workspace root, where the recorder runs. */
  cwd: string;
  /** Arguments for `node`. */
  args: string[];
}

/**
 * The `why` recorder to run when a CLI succeeds, or null: outside an Nx task (Nx sets
 * NX_TASK_TARGET_PROJECT / NX_TASK_TARGET_TARGET in every task's environment), with
 * CORPUS_TUNE_WHY_RECORD=0, under node's test runner (a test spawning a CLI inside an Nx `test` task),
 * or in a workspace without tools/why/why.ts. The recorder itself skips targets that are not cached
 * or have no outputs (`--auto`).
 */
export function whyRecorder(env: NodeJS.ProcessEnv): WhyRecorder | null {
  const project = env.NX_TASK_TARGET_PROJECT;
  const target = env.NX_TASK_TARGET_TARGET;
  if (!project || !target || env.CORPUS_TUNE_WHY_RECORD === '0' || env.NODE_TEST_CONTEXT) return null;
  let root: string;
  try {
    root = env.NX_WORKSPACE_ROOT || workspaceRoot();
  } catch {
    return null;
  }
  const script = join(root, 'tools', 'why', 'why.ts');
  if (!existsSync(script)) return null;
  const configuration = env.NX_TASK_TARGET_CONFIGURATION;
  const task = configuration ? `${project}:${target}:${configuration}` : `${project}:${target}`;
  return { task, cwd: root, args: ['--import', 'tsx', script, 'record', task, '--auto'] };
}

function recordForWhy(name: string, recorder: WhyRecorder): void {
  let reason: string | null;
  try {
    const result = spawnSync(process.execPath, recorder.args, {
      cwd: recorder.cwd,
      env: { ...process.env, CORPUS_TUNE_WHY_RECORD: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      timeout: 120_000,
    });
    reason =
      result.error?.message ??
      (result.status === 0
        ? null
        : (result.stderr.split('\n').find((line) => line.trim() !== '') ??
          `exit ${result.status ?? result.signal}`));
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  if (reason !== null) {
    process.stderr.write(
      `${name}: warning: could not record ${recorder.task}'s inputs for \`npm run why\`: ${reason}\n`,
    );
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** Seconds since `startMs` (performance.now()), for the one-line run summaries. */
export function elapsedSec(startMs: number): string {
  return ((performance.now() - startMs) / 1000).toFixed(1);
}
