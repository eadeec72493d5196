import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import {
  InputError,
  checkInteger,
  dataDir,
  elapsedSec,
  parseNumberFlag,
  runCli,
  stderrLogger,
  stderrProgress,
  STAGE,
} from '@corpus-tune/core';
import { CORPORA } from './options.ts';
import type { Corpus, EegKind, NormalizationMode, Taper } from './options.ts';
import { DEFAULT_SEED, prepareFeatures } from './prepare.ts';
import type { CorpusReport } from './prepare.ts';
import { writePreview } from './preview.ts';

const USAGE = `usage: features <command> [options]

commands:
  prepare   turn producer outputs into data/features/<corpus>/{train,dev,eval}.arrow
            --corpus LIST        comma-separated subset of ${CORPORA.join(',')} (default: all)
            --eeg-kind KIND      spectral | raw (default spectral)
            --taper NAME         hamming | none (default hamming)
            --eeg-norm MODE      standard | none (default standard)
            --synthetic-norm MODE  none | standard (default none)
            --patch-size PX      side of the resized patches (default 128)
            --seed N             recorded seed (default ${DEFAULT_SEED})
            --force              redo corpora even when unchanged
  preview   PNG grid of stored patches beside seeded augmentations
            --n N                patches (default 16)
            --input FILE         features split (default data/features/tudp/train.arrow)
            --out FILE           PNG (default data/features/tudp/preview.png)
            --seed N             (default ${DEFAULT_SEED})
  --verbose   stack traces for input errors
`;

function summarize(report: CorpusReport): string {
  if (report.status === 'written')
    return `${report.corpus} written (${Object.values(report.rows ?? {}).join('/')} rows)`;
  return `${report.corpus} ${report.status}`;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      corpus: { type: 'string' },
      'eeg-kind': { type: 'string' },
      taper: { type: 'string' },
      'eeg-norm': { type: 'string' },
      'synthetic-norm': { type: 'string' },
      'patch-size': { type: 'string' },
      seed: { type: 'string' },
      force: { type: 'boolean', default: false },
      n: { type: 'string' },
      input: { type: 'string' },
      out: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined) {
    process.stdout.write(USAGE);
    return;
  }
  const start = performance.now();
  const seed = checkInteger('--seed', parseNumberFlag('seed', values.seed) ?? DEFAULT_SEED, {
    min: 0,
    max: 0xffffffff,
  });
  if (command === 'prepare') {
    const corpora = values.corpus?.split(',').map((c) => c.trim()) as Corpus[] | undefined;
    const patchSizePx = parseNumberFlag('patch-size', values['patch-size']);
    const reports = await prepareFeatures({
      corpora,
      seed,
      force: values.force,
      eeg: {
        ...(values['eeg-kind'] !== undefined && { kind: values['eeg-kind'] as EegKind }),
        ...(values.taper !== undefined && { taper: values.taper as Taper }),
        ...(values['eeg-norm'] !== undefined && { normalization: values['eeg-norm'] as NormalizationMode }),
      },
      synthetic:
        values['synthetic-norm'] !== undefined
          ? { normalization: values['synthetic-norm'] as NormalizationMode }
          : {},
      patch: patchSizePx !== undefined ? { sizePx: patchSizePx } : {},
      logger: stderrLogger,
      progress: stderrProgress,
    });
    const failed = reports.filter((r) => r.status === 'failed');
    process.stderr.write(
      `features prepare: ${reports.map(summarize).join(', ')} → ${relative(process.cwd(), dataDir(STAGE.features)) || '.'} in ${elapsedSec(start)}s\n`,
    );
    if (failed.length > 0)
      throw new InputError(
        `${failed.length} corpus(es) failed: ${failed.map((r) => `${r.corpus}: ${r.reason}`).join('; ')}`,
      );
    return;
  }
  if (command === 'preview') {
    const count = checkInteger('--n', parseNumberFlag('n', values.n) ?? 16, { min: 1, max: 1024 });
    const inputPath = values.input ?? dataDir(STAGE.features, 'tudp', 'train.arrow');
    const outputPath = values.out ?? dataDir(STAGE.features, 'tudp', 'preview.png');
    const result = await writePreview({ inputPath, outputPath, count, seed });
    process.stderr.write(
      `features preview: ${result.rows.length} patches (original | augmented), ${result.gridWidthPx}×${result.gridHeightPx} px → ${outputPath} in ${elapsedSec(start)}s\n`,
    );
    return;
  }
  throw new InputError(`unknown command "${command}" (commands: prepare, preview; --help for usage)`);
}

await runCli('features', main);
