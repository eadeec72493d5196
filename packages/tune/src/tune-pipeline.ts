import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkInteger, checkOneOf, dataDir, silentLogger } from '@corpus-tune/core';
import type { Logger } from '@corpus-tune/core';
import { PROTOCOLS } from './protocol.ts';
import { PACKAGE_DIR } from './tune-corpus.ts';

/**
 * Corpora the pipeline tunes (each one whose features or imld-gen output exists), cheapest first,
 * so a failing setup shows in the 2-D studies before the slow image and EEG ones start.
 */
export const PIPELINE_CORPORA = ['ds08', 'ds09', 'ds10', 'tudp', 'tusz'] as const;
export type PipelineCorpus = (typeof PIPELINE_CORPORA)[number];

export interface TunePipelineOptions {
  /** Data root (default: core's dataDir()); inputs from features/ or imld-gen/, outputs under tune/. */
  dataDir?: string;
  /** Named budget of every study (`demo` for the demo and ci profiles, `full` for paper). */
  budget: 'demo' | 'full';
  seed: number;
  /**
   * Studies run side by side, each in its own process with one worker (WASM is single-threaded in
   * Node; one study per core). Each study keeps its one-worker trial sequence, so the outputs do
   * not depend on this number.
   */
  jobs: number;
  /** Only these corpora (default: PIPELINE_CORPORA). */
  corpora?: readonly PipelineCorpus[];
  logger?: Logger;
}

export const PIPELINE_DEFAULTS = Object.freeze({ seed: 1, jobs: 2 } as const);

export interface TunePipelineSummary {
  /** `<corpus>/<protocol>` of every study that finished and wrote its outputs. */
  tuned: string[];
  skipped: { corpus: string; reason: string }[];
  failed: { study: string; reason: string }[];
}

/** The pipeline's study budget for a profile: paper → full, demo and ci → demo. */
export function pipelineBudget(profile: string): 'demo' | 'full' {
  return checkOneOf('profile', profile, ['demo', 'ci', 'paper'] as const) === 'paper' ? 'full' : 'demo';
}

interface Job {
  study: string;
  args: string[];
}

/** Runs `tune run` jobs as child processes, at most `concurrency` at a time; resolves with the failures. */
async function runPool(
  jobs: readonly Job[],
  concurrency: number,
  root: string,
  logger: Logger,
): Promise<TunePipelineSummary['failed']> {
  const failed: TunePipelineSummary['failed'] = [];
  const bin = join(PACKAGE_DIR, 'bin', 'tune.js');
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++];
      logger.info(`tune pipeline: start ${job.study}`);
      const code = await new Promise<number>((resolvePromise) => {
        const child = spawn(process.execPath, [bin, 'run', ...job.args], {
          stdio: ['ignore', 'ignore', 'inherit'],
          env: { ...process.env, CORPUS_TUNE_DATA: root },
        });
        child.on('close', (c) => resolvePromise(c ?? 1));
        child.on('error', () => resolvePromise(1));
      });
      if (code !== 0) failed.push({ study: job.study, reason: `exit code ${code}` });
      logger.info(`tune pipeline: ${code === 0 ? 'done' : 'FAILED'} ${job.study}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failed;
}

/**
 * Both protocols on every pipeline corpus whose splits exist (others skipped with the reason), each
 * study in `<data>/tune/<corpus>/<protocol>/`. A study made with other settings (new features, a
 * changed space or budget) is set aside and restarted; a finished one with the same settings is
 * reused, and only its outputs are written again.
 */
export async function tunePipeline(options: TunePipelineOptions): Promise<TunePipelineSummary> {
  const logger = options.logger ?? silentLogger;
  const root = options.dataDir ? resolve(options.dataDir) : dataDir();
  const jobs = checkInteger('jobs', options.jobs, { min: 1, max: 64 });
  const seed = checkInteger('seed', options.seed, { min: 0, max: 0xffffffff });
  const summary: TunePipelineSummary = { tuned: [], skipped: [], failed: [] };
  const queue: Job[] = [];
  for (const corpus of options.corpora ?? PIPELINE_CORPORA) {
    const sources = [join(root, 'features', corpus), join(root, 'imld-gen', corpus)];
    if (!sources.some((dir) => existsSync(join(dir, 'train.arrow')))) {
      summary.skipped.push({ corpus, reason: 'no features or imld-gen output' });
      logger.info(`tune pipeline: ${corpus} skipped (no features or imld-gen output)`);
      continue;
    }
    for (const protocol of PROTOCOLS) {
      queue.push({
        study: `${corpus}/${protocol}`,
        args: [
          '--corpus',
          corpus,
          '--protocol',
          protocol,
          '--budget',
          options.budget,
          '--seed',
          String(seed),
          '--restart-on-change',
        ],
      });
    }
  }
  summary.failed = await runPool(queue, jobs, root, logger);
  summary.tuned = queue.map((j) => j.study).filter((s) => !summary.failed.some((f) => f.study === s));
  return summary;
}
