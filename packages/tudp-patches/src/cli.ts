// Thin CLI over the library: parse flags, build options, call, print a one-line summary.
import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import {
  InputError,
  corpusRoot,
  dataDir,
  elapsedSec,
  parseNumberFlag,
  runCli,
  stderrLogger,
  stderrProgress,
  parseShardFlag,
  STAGE,
  SPLITS,
} from '@corpus-tune/core';
import { DEFAULT_DEMO_CORPUS, writeDemoCorpus } from './demo-corpus.ts';
import type { PatchEncoding } from './encode.ts';
import { formatSlideInfo, inspectSlide } from './inspect.ts';
import { FULL_COUNTS } from './options.ts';
import type { PrepareInput, PrepareOptions } from './options.ts';
import { prepare } from './prepare.ts';
import type { SlideBackend } from './slide.ts';
import type { TilerOptions } from './tiler.ts';

const USAGE = `usage:
  tudp-patches inspect SLIDE [--json] [--backend auto|openslide|sharp-tiff]
  tudp-patches prepare [--root DIR] [--out DIR] [--seed N] [--full] [--train N] [--dev N] [--eval N]
                       [--mpp UM_PER_PX | --level L] [--patch-size PX] [--min-tissue F] [--min-label F]
                       [--encoding png|jpeg] [--png-level 0-9] [--jpeg-quality Q] [--patch-files]
                       [--ignore-label NAME]... [--patient-pattern REGEX] [--shard I/N]
                       [--backend auto|openslide|sharp-tiff] [--concurrency N]
  tudp-patches demo [--out DIR]
The corpus root is --root, else $TUDP_ROOT, else the embedded demo corpus (data/demo-corpora/tudp).`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'inspect') return inspectCommand(rest);
  if (command === 'prepare') return prepareCommand(rest);
  if (command === 'demo') return demoCommand(rest);
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  throw new InputError(`unknown command "${command}"\n${USAGE}`);
}

async function inspectCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, backend: { type: 'string' }, verbose: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new InputError('inspect takes exactly one SLIDE path');
  const info = await inspectSlide(positionals[0], {
    backend: (values.backend ?? 'auto') as SlideBackend | 'auto',
  });
  process.stdout.write(
    values.json ? `${JSON.stringify(info, null, 2)}\n` : `${formatSlideInfo(positionals[0], info)}\n`,
  );
}

async function prepareCommand(argv: string[]): Promise<void> {
  const started = performance.now();
  const { values } = parseArgs({
    args: argv,
    options: {
      root: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      full: { type: 'boolean' },
      train: { type: 'string' },
      dev: { type: 'string' },
      eval: { type: 'string' },
      mpp: { type: 'string' },
      level: { type: 'string' },
      'patch-size': { type: 'string' },
      'min-tissue': { type: 'string' },
      'min-label': { type: 'string' },
      encoding: { type: 'string' },
      'png-level': { type: 'string' },
      'jpeg-quality': { type: 'string' },
      'patch-files': { type: 'boolean' },
      'ignore-label': { type: 'string', multiple: true },
      'patient-pattern': { type: 'string' },
      shard: { type: 'string' },
      backend: { type: 'string' },
      concurrency: { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });
  const outDir = values.out ?? dataDir(STAGE.tudpPatches);
  const root = values.root ?? corpusRoot('tudp') ?? null;
  const counts: Partial<Record<'train' | 'dev' | 'eval', number>> = values.full ? { ...FULL_COUNTS } : {};
  for (const split of SPLITS) {
    const n = parseNumberFlag(split, values[split]);
    if (n !== undefined) counts[split] = n;
  }
  const tiler: Partial<TilerOptions> = {};
  const level = parseNumberFlag('level', values.level);
  const mpp = parseNumberFlag('mpp', values.mpp);
  if (level !== undefined && mpp !== undefined) throw new InputError('give --mpp or --level, not both');
  if (level !== undefined) Object.assign(tiler, { level, mpp: null });
  if (mpp !== undefined) tiler.mpp = mpp;
  const patchSizePx = parseNumberFlag('patch-size', values['patch-size']);
  if (patchSizePx !== undefined) tiler.patchSizePx = patchSizePx;
  const minTissue = parseNumberFlag('min-tissue', values['min-tissue']);
  if (minTissue !== undefined) tiler.minTissueFraction = minTissue;
  const minLabel = parseNumberFlag('min-label', values['min-label']);
  if (minLabel !== undefined) tiler.minLabelFraction = minLabel;
  let encoding: PatchEncoding | undefined;
  if (values.encoding === 'jpeg')
    encoding = { format: 'jpeg', quality: parseNumberFlag('jpeg-quality', values['jpeg-quality']) ?? 90 };
  else if (values.encoding === undefined || values.encoding === 'png') {
    const pngLevel = parseNumberFlag('png-level', values['png-level']);
    if (pngLevel !== undefined) encoding = { format: 'png', compressionLevel: pngLevel };
  } else throw new InputError(`--encoding must be png or jpeg, got "${values.encoding}"`);
  const options: PrepareInput = {
    root,
    demoRoot: DEMO_ROOT(),
    outDir,
    counts: counts as PrepareOptions['counts'],
    tiler: tiler as TilerOptions,
    patchFiles: values['patch-files'] ?? false,
    ignoreLabels: values['ignore-label'] ?? [],
    patientPattern: values['patient-pattern'] ?? null,
    shard: parseShardFlag(values.shard),
    backend: (values.backend ?? 'auto') as SlideBackend | 'auto',
    logger: stderrLogger,
    progress: stderrProgress,
  };
  const seed = parseNumberFlag('seed', values.seed);
  if (seed !== undefined) options.seed = seed;
  if (encoding) options.encoding = encoding;
  const concurrency = parseNumberFlag('concurrency', values.concurrency);
  if (concurrency !== undefined) options.concurrency = concurrency;
  const result = await prepare(options);
  const where = relative(process.cwd(), outDir) || '.';
  const splits = SPLITS.map((s) => result.splits[s]?.rows ?? 0).join('/');
  const slides = `slides: ${result.processed} processed, ${result.reused} reused, ${result.skipped} skipped`;
  if (options.shard) {
    process.stderr.write(
      `tudp-patches: shard ${values.shard} (${result.corpus}) coordinates cached in ${where}/cache; ${slides}; ${elapsedSec(started)}s — run prepare without --shard to merge\n`,
    );
  } else {
    process.stderr.write(
      `tudp-patches: ${result.corpus} train/dev/eval ${splits} patches → ${where} in ${elapsedSec(started)}s; ${slides}; ${result.patchesExtracted} patches read from slides\n`,
    );
  }
}

const DEMO_ROOT = (): string => dataDir('demo-corpora', 'tudp');

async function demoCommand(argv: string[]): Promise<void> {
  const started = performance.now();
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, verbose: { type: 'boolean' } },
  });
  if (corpusRoot('tudp') !== undefined && values.out === undefined) {
    process.stderr.write('tudp-patches: TUDP_ROOT is set, no demo corpus needed\n');
    return;
  }
  const root = values.out ?? DEMO_ROOT();
  const result = await writeDemoCorpus(root, DEFAULT_DEMO_CORPUS, (line) =>
    process.stderr.write(`${line}\n`),
  );
  process.stderr.write(
    `tudp-patches: demo corpus (${DEFAULT_DEMO_CORPUS.slides.length} slides) ${result.reused ? 'already in' : 'written to'} ${root} in ${elapsedSec(started)}s\n`,
  );
}

await runCli('tudp-patches', main);
