import { parseArgs } from 'node:util';
import { basename, resolve } from 'node:path';
import {
  InputError,
  corpusRoot,
  dataDir,
  elapsedSec,
  parseNumberFlag,
  runCli,
  sha256File,
  stderrLogger,
  checkInteger,
  checkPositive,
  STAGE,
} from '@corpus-tune/core';
import { generateCorpus } from './corpus.ts';
import { prepareCorpora } from './prepare.ts';
import { listRecipes, loadRecipe } from './recipe.ts';
import { PRESET_NAMES } from './presets.ts';
import { SPLIT_NAMES } from './recipe-types.ts';
import { readImldCsv, writeImldCsv } from './imld-csv.ts';
import { readPointsArrow, writePointsArrow } from './split-table.ts';
import { codeVersionOfPackage } from './version.ts';

const HELP: Record<string, string> = {
  main: `imld-gen — IMLD-style synthetic 2-D corpora (#08–#10) as Arrow

Usage:
  imld-gen list                                   recipes and generator presets
  imld-gen prepare [--imld-root DIR]              the pipeline stage: every set, real where IMLD_ROOT has it
  imld-gen generate (--recipe NAME|FILE | --all)  write <out>/<name>/{train,dev,eval}.arrow
  imld-gen import FILE.csv --out FILE.arrow       IMLD CSV → Arrow
  imld-gen export FILE.arrow --out FILE.csv       Arrow → IMLD CSV

Run "imld-gen <command> --help" for a command's options.`,
  list: `imld-gen list — print the shipped recipes (name, classes, split sizes) and generator presets.`,
  generate: `imld-gen generate — generate corpora from recipes

Options:
  --recipe NAME|FILE   a shipped recipe (ds08, ds09, ds10) or a path to a recipe .json (repeatable)
  --all                every shipped recipe
  --seed N             override the recipe's seed (integer in [0, 2^32))
  --scale F            multiply every split's size (default 1 = full size; e.g. 0.01)
  --bayes-draws N      Monte Carlo draws per split for the Bayes error (default 1000000; 0 skips)
  --out DIR            output folder (default: $CORPUS_TUNE_DATA/imld-gen or <workspace>/data/imld-gen)
  --force              regenerate even if the outputs are current`,
  prepare: `imld-gen prepare — the pipeline's imld-gen stage: ds08, ds09, ds10 into <out>/<corpus>/

Each set is imported from the real IMLD CSVs when the IMLD root holds it complete
(<root>/set_10/{train,dev,eval}.csv, or <root>/ds10/…), else generated from its recipe; the run line
says which, per set, and why.

Options:
  --imld-root DIR      the real IMLD sets (default: $IMLD_ROOT; unset: every set generated)
  --scale F            multiply every generated split's size (imported sets are never scaled)
  --bayes-draws N      Monte Carlo draws per generated split for the Bayes error (default 1000000)
  --out DIR            output folder (default: $CORPUS_TUNE_DATA/imld-gen or <workspace>/data/imld-gen)
  --force              regenerate generated sets even if the outputs are current`,
  import: `imld-gen import FILE.csv --out FILE.arrow — convert an IMLD CSV ("# comments", then "label, x, y" rows)`,
  export: `imld-gen export FILE.arrow --out FILE.csv — write an imld-gen Arrow file as IMLD CSV`,
};

/** The flags `generate` and `prepare` share, checked. */
function generationFlags(values: { scale?: string; 'bayes-draws'?: string; out?: string }): {
  scale: number | undefined;
  bayesDraws: number | undefined;
  outDir: string;
} {
  const scale = parseNumberFlag('scale', values.scale);
  const bayesDraws = parseNumberFlag('bayes-draws', values['bayes-draws']);
  if (scale !== undefined) checkPositive('--scale', scale);
  if (bayesDraws !== undefined) checkInteger('--bayes-draws', bayesDraws, { min: 0 });
  return { scale, bayesDraws, outDir: resolve(values.out ?? dataDir(STAGE.imldGen)) };
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP.main}\n`);
    return;
  }
  if (!(command in HELP) || command === 'main')
    throw new InputError(`unknown command "${command}"; run "imld-gen --help"`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${HELP[command]}\n`);
    return;
  }
  const start = performance.now();
  switch (command) {
    case 'list': {
      for (const name of listRecipes()) {
        const { recipe } = loadRecipe(name);
        const sizes = SPLIT_NAMES.map(
          (s) => `${s} ${recipe.splits[s].classes.reduce((a, c) => a + c.count, 0)}`,
        ).join(', ');
        process.stdout.write(
          `${name}\t${recipe.classNames.length} classes\t${sizes}\t${recipe.description}\n`,
        );
      }
      process.stdout.write(`presets: ${PRESET_NAMES.join(', ')}\n`);
      return;
    }
    case 'generate': {
      const { values } = parseArgs({
        args: rest,
        options: {
          recipe: { type: 'string', multiple: true },
          all: { type: 'boolean' },
          seed: { type: 'string' },
          scale: { type: 'string' },
          'bayes-draws': { type: 'string' },
          out: { type: 'string' },
          force: { type: 'boolean' },
          verbose: { type: 'boolean' },
        },
        strict: true,
      });
      const recipes = values.all ? listRecipes() : (values.recipe ?? []);
      if (recipes.length === 0) throw new InputError('generate needs --recipe NAME|FILE or --all');
      const seed = parseNumberFlag('seed', values.seed);
      if (seed !== undefined) checkInteger('--seed', seed, { min: 0, max: 2 ** 32 - 1 });
      const { scale, bayesDraws, outDir } = generationFlags(values);
      let rows = 0;
      const statuses: string[] = [];
      for (const recipe of recipes) {
        const result = generateCorpus(recipe, outDir, {
          seed,
          scale,
          bayesDraws,
          force: values.force,
          logger: stderrLogger,
        });
        rows += SPLIT_NAMES.reduce((a, s) => a + result.manifest.splits[s].rows, 0);
        statuses.push(`${result.manifest.corpus} ${result.status}`);
      }
      process.stdout.write(
        `imld-gen: ${statuses.join(', ')}; ${rows} rows in ${outDir} (${elapsedSec(start)} s)\n`,
      );
      return;
    }
    case 'prepare': {
      const { values } = parseArgs({
        args: rest,
        options: {
          'imld-root': { type: 'string' },
          scale: { type: 'string' },
          'bayes-draws': { type: 'string' },
          out: { type: 'string' },
          force: { type: 'boolean' },
          verbose: { type: 'boolean' },
        },
        strict: true,
      });
      const { scale, bayesDraws, outDir } = generationFlags(values);
      const imldRoot = values['imld-root'] ? resolve(values['imld-root']) : corpusRoot('imld');
      const prepared = prepareCorpora(outDir, {
        imldRoot,
        scale,
        bayesDraws,
        force: values.force,
        logger: stderrLogger,
      });
      const rows = prepared.reduce((a, p) => a + p.rows, 0);
      process.stdout.write(
        `imld-gen: ${prepared.map((p) => `${p.corpus} ${p.status}`).join(', ')}; ${rows} rows in ${outDir} (${elapsedSec(start)} s)\n` +
          prepared.map((p) => `  ${p.sourceLine}\n`).join(''),
      );
      return;
    }
    case 'import': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { out: { type: 'string' }, verbose: { type: 'boolean' } },
        allowPositionals: true,
      });
      const [file] = positionals;
      if (!file || !values.out) throw new InputError('usage: imld-gen import FILE.csv --out FILE.arrow');
      const points = readImldCsv(file);
      writePointsArrow(resolve(values.out), points, {
        stage: 'imld-gen import',
        codeVersion: codeVersionOfPackage(),
        params: {},
        inputs: { [basename(file)]: sha256File(file) },
        corpus: basename(file).replace(/\.csv$/, ''),
        bayesError: null,
      });
      process.stdout.write(
        `imld-gen: imported ${points.label.length} rows, ${points.classNames.length} classes → ${values.out} (${elapsedSec(start)} s)\n`,
      );
      return;
    }
    case 'export': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { out: { type: 'string' }, verbose: { type: 'boolean' } },
        allowPositionals: true,
      });
      const [file] = positionals;
      if (!file || !values.out) throw new InputError('usage: imld-gen export FILE.arrow --out FILE.csv');
      const points = readPointsArrow(file);
      writeImldCsv(resolve(values.out), points, [
        `exported by imld-gen from ${basename(file)}`,
        `classes: ${points.classNames.join(', ')}`,
      ]);
      process.stdout.write(
        `imld-gen: exported ${points.label.length} rows → ${values.out} (${elapsedSec(start)} s)\n`,
      );
      return;
    }
  }
}

await runCli('imld-gen', main);
