import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import {
  checkInteger,
  checkOneOf,
  dataDir,
  elapsedSec,
  InputError,
  parseNumberFlag,
  runCli,
  silentLogger,
  silentProgress,
  stderrLogger,
  stderrProgress,
  pipelineProfile,
  STAGE,
} from '@corpus-tune/core';
import { BACKEND_PREFERENCES } from './backend.ts';
import type { BackendPreference } from './backend.ts';
import { CORPORA, SYSTEMS, systemInfo } from './zoo/named.ts';
import { baselinesForCorpus, baselinesJson, trainSystem } from './run.ts';
import { trainAll } from './train-all.ts';
import { trainCentroid } from './centroid-run.ts';
import { DEFAULT_SEED } from './options.ts';

const USAGE =
  `usage:
  train list
  train run --corpus C --system S [--seed N] [--backend ${BACKEND_PREFERENCES.join('|')}] ` +
  `[--epochs N] [--max-train-rows N] [--no-augment] [--features DIR] [--out DIR] [--quiet]
  train baselines (--corpus C | --data DIR) [--json] [--trees N] [--max-train-rows N] [--seed N] [--out DIR]
  train all [--demo] [--jobs N] [--seed N] [--backend B] [--corpus C] [--systems a,b] [--no-augment]

  Patch systems (tudp) train on the poster's augmentation (random crop, rotation, flips, colour
  jitter), drawn afresh per epoch and row from the seed; --no-augment trains on the stored patches.`;

const OPTIONS = {
  corpus: { type: 'string' },
  system: { type: 'string' },
  systems: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  epochs: { type: 'string' },
  'max-train-rows': { type: 'string' },
  features: { type: 'string' },
  data: { type: 'string' },
  out: { type: 'string' },
  trees: { type: 'string' },
  jobs: { type: 'string' },
  json: { type: 'boolean' },
  demo: { type: 'boolean' },
  'no-augment': { type: 'boolean' },
  quiet: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

function optionalInt(name: string, raw: string | undefined, min: number): number | undefined {
  const n = parseNumberFlag(name, raw);
  return n === undefined ? undefined : checkInteger(`--${name}`, n, { min });
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const started = performance.now();
  const seed = optionalInt('seed', values.seed, 0) ?? DEFAULT_SEED;
  // Without --demo, the pipeline profile decides: demo and ci train with demo budgets, paper in full.
  const demo = values.demo ?? pipelineProfile() !== 'paper';
  const budget = demo ? 'demo' : 'full';
  switch (command) {
    case 'list': {
      for (const s of SYSTEMS)
        process.stdout.write(
          `${s.system.padEnd(9)} ${s.label.padEnd(9)} ${s.kind.padEnd(9)} ` +
            `${s.origin.padEnd(10)} ${s.corpora.join(',')}\n`,
        );
      process.stdout.write(`backends (auto order): ${BACKEND_PREFERENCES.slice(1).join(' → ')}\n`);
      return;
    }
    case 'run': {
      const corpus = checkOneOf('--corpus', values.corpus, CORPORA);
      if (!values.system) throw new InputError('--system is required (see `train list`)');
      const system = systemInfo(values.system).system;
      const out = resolve(values.out ?? dataDir(STAGE.train, corpus), system);
      // The centroid baseline has no network to fit: --backend, --epochs and --no-augment do not apply.
      const train = systemInfo(system).kind === 'centroid' ? trainCentroid : trainSystem;
      const metrics = await train({
        corpus,
        system,
        seed,
        outDir: out,
        featuresDir: resolve(values.features ?? dataDir(STAGE.features, corpus)),
        backend: checkOneOf('--backend', values.backend ?? 'auto', BACKEND_PREFERENCES) as BackendPreference,
        epochs: optionalInt('epochs', values.epochs, 1),
        maxTrainRows: optionalInt('max-train-rows', values['max-train-rows'], 10),
        ...(values['no-augment'] ? { augment: null } : {}),
        budget,
        logger: stderrLogger,
        progress: values.quiet ? silentProgress : stderrProgress,
      });
      const e = metrics.errors;
      const rates = e
        ? `error train/dev/eval ${(100 * e.train.rate).toFixed(2)}/` +
          `${(100 * e.dev.rate).toFixed(2)}/${(100 * e.eval.rate).toFixed(2)} %`
        : `FAILED: ${metrics.reason}`;
      process.stderr.write(
        `train run: ${corpus}/${system} on ${metrics.backend}, ${metrics.status}, ${rates}, ` +
          `${metrics.timings.samplesPerSec.toFixed(0)} samples/s → ${out} in ${elapsedSec(started)} s\n`,
      );
      return;
    }
    case 'baselines': {
      const corpus = values.corpus ? checkOneOf('--corpus', values.corpus, CORPORA) : undefined;
      if (!corpus && !values.data) throw new InputError('baselines needs --corpus C or --data DIR');
      const dir = resolve(values.data ?? values.features ?? dataDir(STAGE.features, corpus as string));
      const outDir =
        values.json && !values.out
          ? undefined
          : resolve(values.out ?? dataDir(STAGE.train, corpus ?? 'custom'));
      const { result } = baselinesForCorpus({
        corpus: corpus ?? dir,
        dataDir: dir,
        outDir,
        seed,
        trees: optionalInt('trees', values.trees, 1),
        maxTrainRows: optionalInt('max-train-rows', values['max-train-rows'], 10),
        budget,
        logger: values.json ? silentLogger : stderrLogger,
      });
      if (values.json) process.stdout.write(`${JSON.stringify(baselinesJson(result))}\n`);
      const pct = (x: number) => (100 * x).toFixed(2);
      process.stderr.write(
        `train baselines: KNN k=${result.knn.k} ${pct(result.knn.errors.train.rate)}/` +
          `${pct(result.knn.errors.dev.rate)}/${pct(result.knn.errors.eval.rate)} %, ` +
          `RF ${result.rf.trees} trees ${pct(result.rf.errors.train.rate)}/` +
          `${pct(result.rf.errors.dev.rate)}/${pct(result.rf.errors.eval.rate)} %, ` +
          `closed-loop BER ${pct(result.bayes.closedLoop.train)}/${pct(result.bayes.closedLoop.dev)}/` +
          `${pct(result.bayes.closedLoop.eval)} % ` +
          `(${dir}${outDir ? ` → ${outDir}` : ''}) in ${elapsedSec(started)} s\n`,
      );
      return;
    }
    case 'all': {
      const summary = await trainAll({
        featuresRoot: dataDir(STAGE.features),
        outRoot: dataDir(STAGE.train),
        seed,
        demo,
        augment: !values['no-augment'],
        jobs: optionalInt('jobs', values.jobs, 1) ?? 2,
        backend: checkOneOf('--backend', values.backend ?? 'auto', BACKEND_PREFERENCES),
        corpora: values.corpus ? [checkOneOf('--corpus', values.corpus, CORPORA)] : undefined,
        systems: values.systems
          ? values.systems.split(',').map((s) => systemInfo(s.trim()).system)
          : undefined,
        logger: stderrLogger,
      });
      process.stderr.write(
        `train all: ${summary.trained.length} trained, ${summary.skipped.length} corpora skipped, ` +
          `${summary.failed.length} failed → ${join(dataDir(STAGE.train))} in ${elapsedSec(started)} s\n`,
      );
      if (summary.failed.length)
        throw new InputError(`failed: ${summary.failed.map((f) => `${f.job} (${f.reason})`).join(', ')}`);
      return;
    }
    default:
      throw new InputError(`unknown command "${command}"\n${USAGE}`);
  }
}

await runCli('train', main);
