import { existsSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InputError,
  codeVersion,
  dataDir,
  errorMessage,
  sha256File,
  silentLogger,
  silentProgress,
  STAGE,
} from '@corpus-tune/core';
import type { Logger, ProgressReporter } from '@corpus-tune/core';
import type { CorpusJob, CorpusOutcome } from './corpus-job.ts';
import { prepareEegCorpus } from './eeg-corpus.ts';
import { MANIFEST_NAME, readManifest, staleReason, writeManifest } from './manifest.ts';
import type { CacheKey } from './manifest.ts';
import {
  CORPORA,
  SPLITS,
  resolveEegOptions,
  resolvePatchOptions,
  resolveSyntheticOptions,
} from './options.ts';
import type { Corpus, EegFeatureOptions, PatchFeatureOptions, SyntheticOptions } from './options.ts';
import { preparePatchCorpus } from './patch-corpus.ts';
import { prepareSyntheticCorpus } from './synthetic.ts';

export interface PrepareOptions {
  /** Corpora to prepare (default: all five). */
  corpora?: readonly Corpus[];
  seed?: number;
  eeg?: Partial<EegFeatureOptions>;
  patch?: Partial<PatchFeatureOptions>;
  synthetic?: Partial<SyntheticOptions>;
  /** Redo corpora even when the manifest says inputs and params are unchanged. */
  force?: boolean;
  /** Data directory holding the producers' outputs and data/features (default: core's dataDir()). */
  dataRoot?: string;
  logger?: Logger;
  /** One counter per split written; silent by default, stderr in the CLI. */
  progress?: ProgressReporter;
}

export type CorpusStatus = 'written' | 'unchanged' | 'skipped' | 'failed';

export interface CorpusReport {
  corpus: Corpus;
  status: CorpusStatus;
  /** Why it was skipped, redone or failed. */
  reason: string;
  rows?: Record<string, number>;
  shape?: number[];
}

export const DEFAULT_SEED = 1;
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Producer directory (relative to the data dir) of each corpus. */
export function producerDirOf(corpus: Corpus): string {
  if (corpus === 'tusz') return STAGE.tuszSegments;
  if (corpus === 'tudp') return STAGE.tudpPatches;
  return join(STAGE.imldGen, corpus);
}

function paramsOf(corpus: Corpus, options: PrepareOptions): Record<string, unknown> {
  if (corpus === 'tusz') return { eeg: resolveEegOptions(options.eeg) };
  if (corpus === 'tudp') return { patch: resolvePatchOptions(options.patch) };
  return { synthetic: resolveSyntheticOptions(options.synthetic) };
}

async function runCorpus(job: CorpusJob, options: PrepareOptions): Promise<CorpusOutcome> {
  if (job.corpus === 'tusz') return prepareEegCorpus(job, resolveEegOptions(options.eeg));
  if (job.corpus === 'tudp') return preparePatchCorpus(job, resolvePatchOptions(options.patch));
  return prepareSyntheticCorpus(job, resolveSyntheticOptions(options.synthetic));
}

function removeOutputs(outputDir: string): void {
  for (const name of [...SPLITS.map((s) => `${s}.arrow`), MANIFEST_NAME])
    rmSync(join(outputDir, name), { force: true });
}

/**
 * Turns every available corpus into training-ready features under <data>/features/<corpus>/.
 * A corpus whose producer output is missing is skipped (with the reason logged); one whose
 * inputs, params, seed and code match its manifest is left as it is; a failing corpus is
 * reported (status "failed"), its outputs removed, and the others go on; the CLI then exits 1.
 */
export async function prepareFeatures(options: PrepareOptions = {}): Promise<CorpusReport[]> {
  const logger = options.logger ?? silentLogger;
  const root = options.dataRoot ?? dataDir();
  const seed = options.seed ?? DEFAULT_SEED;
  const version = codeVersion(PACKAGE_DIR);
  const corpora = options.corpora ?? CORPORA;
  for (const corpus of corpora)
    if (!CORPORA.includes(corpus))
      throw new InputError(`unknown corpus "${corpus}" (known: ${CORPORA.join(', ')})`);
  // Resolve every option up front so a bad flag fails before any work.
  const params = Object.fromEntries(corpora.map((c) => [c, paramsOf(c, options)])) as Record<
    Corpus,
    Record<string, unknown>
  >;
  const reports: CorpusReport[] = [];
  for (const corpus of corpora) {
    const producer = producerDirOf(corpus);
    const inputs = Object.fromEntries(
      SPLITS.map((s) => [s, join(root, producer, `${s}.arrow`)]),
    ) as CorpusJob['inputs'];
    const missing = SPLITS.filter((s) => !existsSync(inputs[s]) || !statSync(inputs[s]).isFile());
    if (missing.length > 0) {
      const reason = `no producer output ${missing.map((s) => relative(root, inputs[s])).join(', ')} (run the producer's prepare first)`;
      logger.info(`features ${corpus}: skipped: ${reason}`);
      reports.push({ corpus, status: 'skipped', reason });
      continue;
    }
    const inputHashes = Object.fromEntries(
      SPLITS.map((s) => [relative(root, inputs[s]).split('\\').join('/'), sha256File(inputs[s])]),
    );
    const outputDir = join(root, STAGE.features, corpus);
    const key: CacheKey = { codeVersion: version, seed, params: params[corpus], inputs: inputHashes };
    const stale = options.force ? 'forced' : staleReason(outputDir, readManifest(outputDir), key);
    if (stale === null) {
      logger.info(`features ${corpus}: unchanged (inputs, params and code match ${MANIFEST_NAME})`);
      reports.push({ corpus, status: 'unchanged', reason: 'unchanged' });
      continue;
    }
    logger.info(`features ${corpus}: preparing (${stale})`);
    rmSync(join(outputDir, MANIFEST_NAME), { force: true });
    const job: CorpusJob = {
      corpus,
      inputs,
      inputHashes,
      outputDir,
      seed,
      codeVersion: version,
      logger,
      progress: options.progress ?? silentProgress,
    };
    try {
      const outcome = await runCorpus(job, options);
      const outputs = Object.fromEntries(
        SPLITS.map((s) => [
          `${s}.arrow`,
          { bytes: statSync(join(outputDir, `${s}.arrow`)).size, rows: outcome.rows[s] },
        ]),
      );
      writeManifest(outputDir, { corpus, ...key, shape: outcome.shape, dtype: outcome.dtype, outputs });
      reports.push({ corpus, status: 'written', reason: stale, rows: outcome.rows, shape: outcome.shape });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      removeOutputs(outputDir);
      logger.warn(`features ${corpus}: failed: ${errorMessage(error)}`);
      reports.push({ corpus, status: 'failed', reason: errorMessage(error) });
    }
  }
  return reports;
}
