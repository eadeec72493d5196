import { parseArgs } from 'node:util';
import {
  corpusRoot,
  dataDir,
  elapsedSec,
  InputError,
  parseNumberFlag,
  runCli,
  stderrLogger,
  stderrProgress,
  parseShardFlag,
  STAGE,
} from '@corpus-tune/core';
import { readEdf, summarizeEdf } from './edf-reader.ts';
import { MONTAGES } from './options.ts';
import type { MontageName, PrepareOptions } from './options.ts';
import { merge, prepare } from './prepare.ts';
import { writeDemoCorpus } from './demo-corpus.ts';
import type { PrepareSummary } from './prepare.ts';

const USAGE = `usage:
  tusz-segments inspect FILE.edf [--json]
  tusz-segments prepare [--root DIR] [--out DIR] [--shard I/N] [--seed N] [--counts TRAIN,DEV,EVAL]
                        [--filter-order N] [--low-cut-hz F] [--high-cut-hz F] [--montage tcp20|referential19]
  tusz-segments merge --shards N [--out DIR]
  tusz-segments demo [--out DIR]      write the synthetic demo corpus (missing files only)

prepare reads TUSZ from --root, else $TUSZ_ROOT, else writes and uses the demo corpus
(default data/demo-corpora/tusz).
Output: <out>/{train,dev,eval}.arrow (default out: data/tusz-segments).`;

const DEMO_ROOT = (): string => dataDir('demo-corpora', 'tusz');

function parseCounts(raw: string | undefined): PrepareOptions['counts'] | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((p) => Number(p));
  if (parts.length !== 3 || parts.some((p) => !Number.isInteger(p) || p < 0))
    throw new InputError(`--counts must be three non-negative integers TRAIN,DEV,EVAL, got "${raw}"`);
  return { train: parts[0], dev: parts[1], eval: parts[2] };
}

function summaryLine(s: PrepareSummary, outDir: string, startMs: number): string {
  const splits = Object.entries(s.splits)
    .map(([k, v]) => `${k} ${v.rows}`)
    .join(', ');
  return `tusz-segments: ${s.recordings} recordings (processed ${s.processed}, reused ${s.reused}, skipped ${s.skipped.length}${s.rehashed > 0 ? `; ${s.rehashed} files re-hashed` : ''}), ${s.hoursOfEeg.toFixed(2)} h EEG${splits ? ` → ${splits} segments` : ''} in ${outDir} (${elapsedSec(startMs)} s)`;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const startMs = performance.now();
  if (command === 'inspect') {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { json: { type: 'boolean' }, verbose: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new InputError(`inspect needs exactly one EDF file\n${USAGE}`);
    const summary = summarizeEdf(readEdf(positionals[0]));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } else {
      process.stdout.write(
        `${positionals[0]}: ${summary.format}, ${summary.records} records × ${summary.recordDurationSec} s = ${summary.durationSec} s, ${summary.signals.length} signals, ${summary.annotations.length} annotations\n`,
      );
      for (const sig of summary.signals)
        process.stdout.write(
          `  ${sig.label.padEnd(16)} ${sig.sampleRateHz} Hz  ${sig.physicalDimension} [${sig.physicalMin}, ${sig.physicalMax}]\n`,
        );
      for (const w of summary.warnings) process.stdout.write(`  warning: ${w}\n`);
    }
    return;
  }
  if (command === 'prepare') {
    const { values } = parseArgs({
      args: rest,
      options: {
        root: { type: 'string' },
        out: { type: 'string' },
        shard: { type: 'string' },
        seed: { type: 'string' },
        counts: { type: 'string' },
        'filter-order': { type: 'string' },
        'low-cut-hz': { type: 'string' },
        'high-cut-hz': { type: 'string' },
        montage: { type: 'string' },
        verbose: { type: 'boolean' },
      },
    });
    const outDir = values.out ?? dataDir(STAGE.tuszSegments);
    const options: Partial<PrepareOptions> = {};
    const set = <K extends keyof PrepareOptions>(k: K, v: PrepareOptions[K] | undefined): void => {
      if (v !== undefined) options[k] = v;
    };
    set('seed', parseNumberFlag('seed', values.seed));
    set('counts', parseCounts(values.counts));
    set('filterOrder', parseNumberFlag('filter-order', values['filter-order']));
    set('lowCutHz', parseNumberFlag('low-cut-hz', values['low-cut-hz']));
    set('highCutHz', parseNumberFlag('high-cut-hz', values['high-cut-hz']));
    if (values.montage !== undefined && !(MONTAGES as readonly string[]).includes(values.montage))
      throw new InputError(`--montage must be one of ${MONTAGES.join(', ')}`);
    set('montage', values.montage as MontageName | undefined);
    const root = values.root ?? corpusRoot('tusz');
    const summary = await prepare({
      root,
      demoRoot: DEMO_ROOT(),
      outDir,
      options,
      shard: parseShardFlag(values.shard),
      logger: stderrLogger,
      progress: stderrProgress,
    });
    if (summary.demo) stderrLogger.info('tusz-segments: no TUSZ_ROOT set, used the synthetic demo corpus');
    process.stdout.write(`${summaryLine(summary, outDir, startMs)}\n`);
    return;
  }
  if (command === 'demo') {
    const { values } = parseArgs({
      args: rest,
      options: { out: { type: 'string' }, verbose: { type: 'boolean' } },
    });
    if (corpusRoot('tusz') !== undefined && values.out === undefined) {
      process.stdout.write('tusz-segments: TUSZ_ROOT is set, no demo corpus needed\n');
      return;
    }
    const out = values.out ?? DEMO_ROOT();
    const { written, recordings } = writeDemoCorpus(out);
    process.stdout.write(
      `tusz-segments: demo corpus of ${recordings} recordings in ${out} (${written} files written, ${elapsedSec(startMs)} s)\n`,
    );
    return;
  }
  if (command === 'merge') {
    const { values } = parseArgs({
      args: rest,
      options: { shards: { type: 'string' }, out: { type: 'string' }, verbose: { type: 'boolean' } },
    });
    const count = parseNumberFlag('shards', values.shards);
    if (count === undefined || !Number.isInteger(count) || count < 1)
      throw new InputError('merge needs --shards N (the N used for prepare --shard I/N)');
    const outDir = values.out ?? dataDir(STAGE.tuszSegments);
    const summary = await merge(outDir, count, stderrLogger);
    process.stdout.write(`${summaryLine(summary, outDir, startMs)}\n`);
    return;
  }
  throw new InputError(
    command === undefined || command === '--help' ? USAGE : `unknown command "${command}"\n${USAGE}`,
  );
}

await runCli('tusz-segments', main);
