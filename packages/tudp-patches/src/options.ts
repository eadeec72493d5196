// Options of the `prepare` stage in two layers: frozen defaults and one resolve that validates and
// returns the complete, read-only options every step reads.
import { join } from 'node:path';
import { InputError, checkInteger, checkOneOf, silentLogger, silentProgress } from '@corpus-tune/core';
import type { Logger, ProgressReporter } from '@corpus-tune/core';
import { DEFAULT_DEMO_CORPUS } from './demo-corpus.ts';
import type { DemoCorpusOptions } from './demo-corpus.ts';
import { DEFAULT_ENCODING } from './encode.ts';
import type { PatchEncoding } from './encode.ts';
import type { SlideBackend } from './slide.ts';
import { SPLITS } from './splits.ts';
import type { Split } from './splits.ts';
import { DEFAULT_TILER_OPTIONS } from './tiler.ts';
import type { TilerOptions } from './tiler.ts';

export const BACKENDS = ['auto', 'openslide', 'sharp-tiff'] as const;

export interface PrepareOptions {
  /** TUDP corpus root; null → the embedded demo corpus (written under `demoRoot`). */
  root: string | null;
  /**
   * Where the demo corpus lives when `root` is null (default `outDir/demo-corpus`). The pipeline keeps
   * it outside the outputs (data/demo-corpora/tudp) so Nx hashes it as an input: adding or editing a
   * demo slide reruns prepare, which reprocesses only that slide.
   */
  demoRoot: string;
  /** What the demo corpus holds (slides, size, seed, variation); tests pass small ones. */
  demo: Readonly<DemoCorpusOptions>;
  /** Output folder (`<data>/tudp-patches`). */
  outDir: string;
  /** Seeds the patient split (when no split folders) and the patch sampling (default 1). */
  seed: number;
  /** Patches per split, balanced between indc and dcis (default DEMO_COUNTS, FULL_COUNTS with a root). */
  counts: Readonly<Record<Split, number>>;
  tiler: Readonly<TilerOptions>;
  /** Default lossless PNG, zlib level 1. */
  encoding: Readonly<PatchEncoding>;
  /** Write patches as files under `outDir/patches/` with paths + hashes in the Arrow instead of bytes. */
  patchFiles: boolean;
  /** Labels not in the TUDP set to drop instead of failing on (kept sorted). */
  ignoreLabels: readonly string[];
  /** Regex with one capture group over the slide id giving the patient id (default: folder rule). */
  patientPattern: string | null;
  /** Process only slides with hash(slideId) mod count = index (coordinates only; rerun without to merge). */
  shard: Readonly<{ index: number; count: number }> | null;
  backend: SlideBackend | 'auto';
  /** Patches read/encoded concurrently (koffi async reads + sharp's thread pool; default 3). */
  concurrency: number;
  logger: Logger;
  /** One counter per long loop (slides, then patches per split); silent by default, stderr in the CLI. */
  progress: ProgressReporter;
}

/** What callers pass: everything optional but the output folder. */
export type PrepareInput = Partial<PrepareOptions> & { outDir: string };

/** The poster's sizes for a real corpus, and demo sizes that prepare in seconds. */
export const FULL_COUNTS: Readonly<Record<Split, number>> = Object.freeze({
  train: 10000,
  dev: 2500,
  eval: 2500,
});
export const DEMO_COUNTS: Readonly<Record<Split, number>> = Object.freeze({
  train: 1000,
  dev: 250,
  eval: 250,
});
/**
 * The demo cuts 128-px patches at the demo's 2 µm/px: the pixels the CNNs see after the poster's
 * 512-px patches at 0.5 µm/px are resized to 128 px, at 1/16 of the pixels to write and read.
 */
export const DEMO_TILER_OPTIONS: Readonly<TilerOptions> = Object.freeze({
  ...DEFAULT_TILER_OPTIONS,
  patchSizePx: 128,
  mpp: DEFAULT_DEMO_CORPUS.mpp,
});

/** Defaults of everything but `outDir`, `demoRoot` (beside the outputs), `counts` and `tiler` (by corpus). */
export const DEFAULT_PREPARE_OPTIONS: Readonly<
  Omit<PrepareOptions, 'outDir' | 'demoRoot' | 'counts' | 'tiler'>
> = Object.freeze({
  root: null,
  seed: 1,
  demo: DEFAULT_DEMO_CORPUS,
  encoding: DEFAULT_ENCODING,
  patchFiles: false,
  ignoreLabels: Object.freeze([]),
  patientPattern: null,
  shard: null,
  backend: 'auto',
  concurrency: 3,
  logger: silentLogger,
  progress: silentProgress,
});

export function resolvePrepareOptions(partial: PrepareInput): Readonly<PrepareOptions> {
  const defined = Object.fromEntries(
    Object.entries(partial).filter(([, v]) => v !== undefined),
  ) as PrepareInput;
  const root = defined.root ?? null;
  const options: PrepareOptions = {
    ...DEFAULT_PREPARE_OPTIONS,
    ...defined,
    root,
    demoRoot: defined.demoRoot ?? join(partial.outDir, 'demo-corpus'),
    counts: Object.freeze({ ...(root === null ? DEMO_COUNTS : FULL_COUNTS), ...defined.counts }),
    tiler: Object.freeze({
      ...(root === null ? DEMO_TILER_OPTIONS : DEFAULT_TILER_OPTIONS),
      ...defined.tiler,
    }),
    encoding: Object.freeze({ ...(defined.encoding ?? DEFAULT_ENCODING) }),
    ignoreLabels: Object.freeze([...(defined.ignoreLabels ?? [])].sort()),
    shard: defined.shard ? Object.freeze({ ...defined.shard }) : null,
  };
  checkInteger('seed', options.seed, { min: 0, max: 0xffffffff });
  for (const split of SPLITS) checkInteger(`${split} count`, options.counts[split], { min: 0 });
  checkInteger('patchSizePx', options.tiler.patchSizePx, { min: 16, max: 8192 });
  checkOneOf('backend', options.backend, BACKENDS);
  checkInteger('concurrency', options.concurrency, { min: 1 });
  if (options.tiler.minLabelFraction <= 0.5 || options.tiler.minLabelFraction > 1) {
    throw new InputError(
      `minLabelFraction ${options.tiler.minLabelFraction} must be in (0.5, 1] so one patch cannot take two labels`,
    );
  }
  if (
    options.shard &&
    !(options.shard.count >= 1 && options.shard.index >= 0 && options.shard.index < options.shard.count)
  ) {
    throw new InputError(`--shard ${options.shard.index}/${options.shard.count}: need 0 ≤ I < N`);
  }
  return Object.freeze(options);
}

/** The folder the slides are read from: the given corpus, else the demo corpus. */
export function corpusRootOf(options: Readonly<PrepareOptions>): string {
  return options.root ?? options.demoRoot;
}
