import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRng, sha256, sha256File, silentLogger, writeJsonAtomic, STAGE } from '@corpus-tune/core';
import type { Logger, RunMetadata } from '@corpus-tune/core';
import { bayesError } from './bayes-error.ts';
import type { BayesErrorEstimate } from './bayes-error.ts';
import { generateSplit } from './generate.ts';
import { loadRecipe } from './recipe.ts';
import { SPLIT_NAMES } from './recipe-types.ts';
import type { SplitName } from './recipe-types.ts';
import { writePointsArrow } from './split-table.ts';
import { codeVersionOfPackage } from './version.ts';

export interface GenerateOptions {
  /** Overrides the recipe's own seed. */
  seed?: number;
  /** Multiplies every split's class counts (e.g. 0.01 for quick runs). Default 1 (full size). */
  scale?: number;
  /** Monte Carlo draws per split for the Bayes error; 0 skips it. Default 1,000,000. */
  bayesDraws?: number;
  /** Regenerate even when the manifest says the outputs are current. */
  force?: boolean;
  logger?: Logger;
}

export const GENERATE_DEFAULTS = Object.freeze({ scale: 1, bayesDraws: 1_000_000 });

/** Where a corpus's points came from: drawn from a recipe, or read from the real IMLD CSVs. */
export type CorpusSource =
  | { kind: 'recipe'; recipe: string; recipeSha256: string; seed: number; scale: number; bayesDraws: number }
  | { kind: 'imld-csv'; set: string; files: Record<string, string> };

export interface CorpusManifest {
  corpus: string;
  key: string;
  codeVersion: string;
  source: CorpusSource;
  classNames: readonly string[];
  splits: Record<
    SplitName,
    { file: string; rows: number; sha256: string; bayesError: BayesErrorEstimate | null }
  >;
}

export interface GenerateResult {
  status: 'generated' | 'reused';
  dir: string;
  manifest: CorpusManifest;
}

/** The manifest in `dir` when its key is `key` and every split file it names is intact. */
export function readManifestIfCurrent(dir: string, key: string): CorpusManifest | undefined {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return undefined;
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as CorpusManifest;
  if (manifest.key !== key) return undefined;
  const intact = SPLIT_NAMES.every((s) => {
    const file = join(dir, manifest.splits[s].file);
    return existsSync(file) && sha256File(file) === manifest.splits[s].sha256;
  });
  return intact ? manifest : undefined;
}

/**
 * Generates one corpus (`<outDir>/<recipe name>/{train,dev,eval}.arrow` + manifest.json) from a
 * recipe name or file. Skips the work when a manifest with the same recipe, seed, scale and code
 * version points at intact files, so a pipeline rerun redoes only corpora whose recipe changed.
 */
export function generateCorpus(
  recipeNameOrPath: string,
  outDir: string,
  options: GenerateOptions = {},
): GenerateResult {
  const { recipe, path: recipeFile, text } = loadRecipe(recipeNameOrPath);
  const scale = options.scale ?? GENERATE_DEFAULTS.scale;
  const bayesDraws = options.bayesDraws ?? GENERATE_DEFAULTS.bayesDraws;
  const seed = options.seed ?? recipe.seed;
  const logger = options.logger ?? silentLogger;
  const version = codeVersionOfPackage();
  const recipeSha256 = sha256(text);
  const params = { recipe: recipe.name, scale, bayesDraws };
  const key = sha256(JSON.stringify({ recipeSha256, seed, ...params, version }));
  const dir = join(outDir, recipe.name);

  const current = options.force ? undefined : readManifestIfCurrent(dir, key);
  if (current) return { status: 'reused', dir, manifest: current };

  const rng = createRng(seed);
  const splits = {} as CorpusManifest['splits'];
  for (const split of SPLIT_NAMES) {
    const spec = recipe.splits[split];
    const points = generateSplit(spec, scale, rng.fork(`split-${split}`));
    const estimate = bayesDraws > 0 ? bayesError(spec, bayesDraws, rng.fork(`bayes-${split}`)) : null;
    const metadata: RunMetadata = {
      stage: STAGE.imldGen,
      codeVersion: version,
      seed,
      params: { ...params, source: { kind: 'recipe', recipe: recipe.name, seed }, recipeSpec: recipe },
      inputs: { [basename(recipeFile)]: recipeSha256 },
      corpus: recipe.name,
      split,
      bayesError: estimate,
    };
    const file = `${split}.arrow`;
    writePointsArrow(join(dir, file), { ...points, classNames: [...recipe.classNames] }, metadata);
    splits[split] = {
      file,
      rows: points.label.length,
      sha256: sha256File(join(dir, file)),
      bayesError: estimate,
    };
    logger.info(
      `imld-gen: ${recipe.name}/${split}: ${points.label.length} rows` +
        (estimate
          ? `, Bayes error ${(100 * estimate.rate).toFixed(2)} % [${(100 * estimate.lower95).toFixed(2)}, ${(100 * estimate.upper95).toFixed(2)}]`
          : ''),
    );
  }
  const manifest: CorpusManifest = {
    corpus: recipe.name,
    key,
    codeVersion: version,
    source: { kind: 'recipe', recipe: basename(recipeFile), recipeSha256, seed, scale, bayesDraws },
    classNames: recipe.classNames,
    splits,
  };
  writeJsonAtomic(join(dir, 'manifest.json'), manifest);
  return { status: 'generated', dir, manifest };
}
