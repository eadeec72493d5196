import { join } from 'node:path';
import type { Logger, ProgressReporter, RunMetadata } from '@corpus-tune/core';
import type { FeatureDtype } from './arrow-batches.ts';
import type { Corpus, Split } from './options.ts';
import { SPLITS } from './options.ts';
import type { Normalization } from './standardize.ts';
import { STAGE } from '@corpus-tune/core';

/** Everything one corpus needs to be turned into features. */
export interface CorpusJob {
  corpus: Corpus;
  /** Input Arrow file per split. */
  inputs: Record<Split, string>;
  /** Input name (relative to the data dir) → sha256, recorded in every output. */
  inputHashes: Record<string, string>;
  /** data/features/<corpus>. */
  outputDir: string;
  seed: number;
  codeVersion: string;
  logger: Logger;
  progress: ProgressReporter;
}

/** What a corpus run wrote. */
export interface CorpusOutcome {
  corpus: Corpus;
  rows: Record<Split, number>;
  shape: number[];
  dtype: FeatureDtype;
  normalization: Normalization;
}

export function outputPath(job: CorpusJob, split: Split): string {
  return join(job.outputDir, `${split}.arrow`);
}

/** Schema metadata of one output split (no timestamps or absolute paths: outputs are reproducible). */
export function splitMetadata(
  job: CorpusJob,
  split: Split,
  fields: {
    params: Record<string, unknown>;
    shape: number[];
    dtype: FeatureDtype;
    normalization: Normalization;
    classNames: string[] | null;
    source: RunMetadata | null;
    [key: string]: unknown;
  },
): RunMetadata {
  const { source, ...rest } = fields;
  return {
    stage: STAGE.features,
    codeVersion: job.codeVersion,
    seed: job.seed,
    corpus: job.corpus,
    split,
    inputs: job.inputHashes,
    ...rest,
    source: source
      ? { stage: source.stage, codeVersion: source.codeVersion, seed: source.seed ?? null }
      : null,
  };
}

export function emptyRows(): Record<Split, number> {
  return Object.fromEntries(SPLITS.map((s) => [s, 0])) as Record<Split, number>;
}
