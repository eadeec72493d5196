import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeVersion, sha256File, silentLogger, writeJsonAtomic } from '@corpus-tune/core';
import type { Logger } from '@corpus-tune/core';
import { CORPORA, SYSTEMS, TWO_D_CORPORA } from './zoo/named.ts';
import type { Corpus } from './zoo/named.ts';
import { featuresAvailable, PACKAGE_DIR } from './run.ts';
import { SPLITS } from './data.ts';

export interface TrainAllOptions {
  /** `data/features` */
  featuresRoot: string;
  /** `data/train` */
  outRoot: string;
  seed: number;
  demo: boolean;
  /** Patch augmentation of the networks' training batches (default on; false passes --no-augment). */
  augment?: boolean;
  /** Concurrent training processes (WASM is single-threaded in Node; one per core). */
  jobs: number;
  backend: string;
  corpora?: readonly Corpus[];
  /** Only these systems (default: every system made for the corpus). */
  systems?: readonly string[];
  logger?: Logger;
}

export interface TrainAllSummary {
  trained: string[];
  skipped: { corpus: string; reason: string }[];
  failed: { job: string; reason: string }[];
}

interface Job {
  label: string;
  args: string[];
}

function manifestOf(corpus: Corpus, options: TrainAllOptions, systems: string[]): Record<string, unknown> {
  const inputs: Record<string, string> = {};
  for (const s of SPLITS) inputs[`${s}.arrow`] = sha256File(join(options.featuresRoot, corpus, `${s}.arrow`));
  return {
    corpus,
    codeVersion: codeVersion(PACKAGE_DIR),
    seed: options.seed,
    demo: options.demo,
    augment: options.augment ?? true,
    backend: options.backend,
    systems,
    inputs,
  };
}

/** Runs jobs as child processes, at most `jobs` at a time; resolves with the failures. */
async function runPool(
  jobs: Job[],
  concurrency: number,
  logger: Logger,
): Promise<{ job: string; reason: string }[]> {
  const failed: { job: string; reason: string }[] = [];
  const bin = join(PACKAGE_DIR, 'bin', 'train.js');
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++];
      logger.info(`train all: start ${job.label}`);
      const code = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [bin, ...job.args], { stdio: ['ignore', 'ignore', 'inherit'] });
        child.on('close', (c) => resolve(c ?? 1));
        child.on('error', () => resolve(1));
      });
      if (code !== 0) failed.push({ job: job.label, reason: `exit code ${code}` });
      logger.info(`train all: ${code === 0 ? 'done' : 'FAILED'} ${job.label}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return failed;
}

/**
 * Every configured system on every corpus whose features exist (others skipped with the reason);
 * a corpus whose inputs, code, seed and budget match its manifest is skipped as up to date.
 */
export async function trainAll(options: TrainAllOptions): Promise<TrainAllSummary> {
  const logger = options.logger ?? silentLogger;
  const summary: TrainAllSummary = { trained: [], skipped: [], failed: [] };
  for (const corpus of options.corpora ?? CORPORA) {
    const featuresDir = join(options.featuresRoot, corpus);
    const missing = featuresAvailable(featuresDir);
    if (missing) {
      summary.skipped.push({ corpus, reason: `features missing (${missing})` });
      logger.info(`train all: skip ${corpus}: features missing (${missing})`);
      continue;
    }
    const systems = SYSTEMS.filter(
      (s) => s.corpora.includes(corpus) && (!options.systems || options.systems.includes(s.system)),
    );
    const manifest = manifestOf(
      corpus,
      options,
      systems.map((s) => s.system),
    );
    const manifestPath = join(options.outRoot, corpus, 'manifest.json');
    const upToDate =
      existsSync(manifestPath) &&
      readFileSync(manifestPath, 'utf8') === `${JSON.stringify(manifest, null, 2)}\n` &&
      systems.every((s) => existsSync(join(options.outRoot, corpus, s.system, 'metrics.json')));
    if (upToDate) {
      summary.skipped.push({ corpus, reason: 'up to date (inputs unchanged)' });
      logger.info(`train all: skip ${corpus}: up to date (inputs, code, seed and budget unchanged)`);
      continue;
    }
    const jobs: Job[] = [];
    const common = [
      '--corpus',
      corpus,
      '--seed',
      String(options.seed),
      '--features',
      featuresDir,
      '--out',
      join(options.outRoot, corpus),
    ];
    if (TWO_D_CORPORA.includes(corpus) && systems.some((s) => s.kind === 'knn' || s.kind === 'rf')) {
      const budget = options.demo
        ? [
            '--max-train-rows',
            String(SYSTEMS.find((s) => s.system === 'knn')?.demo.maxTrainRows ?? 50_000),
            '--trees',
            '25',
            '--demo',
          ]
        : [];
      jobs.push({ label: `${corpus}/baselines`, args: ['baselines', ...common, ...budget] });
    }
    for (const s of systems.filter((x) => x.kind === 'centroid'))
      jobs.push({ label: `${corpus}/${s.system}`, args: ['run', ...common, '--system', s.system] });
    for (const s of systems.filter((x) => x.config)) {
      const budget = options.demo
        ? [
            ...(s.demo.epochs ? ['--epochs', String(s.demo.epochs)] : []),
            ...(s.demo.maxTrainRows ? ['--max-train-rows', String(s.demo.maxTrainRows)] : []),
            '--demo',
          ]
        : [];
      jobs.push({
        label: `${corpus}/${s.system}`,
        args: [
          'run',
          ...common,
          '--system',
          s.system,
          '--backend',
          options.backend,
          '--quiet',
          ...(options.augment === false ? ['--no-augment'] : []),
          ...budget,
        ],
      });
    }
    const failed = await runPool(jobs, options.jobs, logger);
    summary.failed.push(...failed);
    summary.trained.push(...jobs.filter((j) => !failed.some((f) => f.job === j.label)).map((j) => j.label));
    if (failed.length === 0) writeJsonAtomic(manifestPath, manifest);
  }
  return summary;
}
