import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkInteger,
  checkOneOf,
  dataDir,
  pipelineProfile,
  elapsedSec,
  InputError,
  parseNumberFlag,
  runCli,
  stderrLogger,
} from '@corpus-tune/core';
import { PRUNERS, SAMPLERS } from './factories.ts';
import type { PrunerName, SamplerName } from './factories.ts';
import { statusTable } from './outputs.ts';
import { PROTOCOLS, STUDY_DEFAULTS } from './protocol.ts';
import { describeStorage, parseStorageSpec } from './storage/log-storage.ts';
import type { StorageSpec } from './storage/log-storage.ts';
import { readStoredStudy, selectionOf } from './storage/read-study.ts';
import { JOURNAL_FILE } from './study.ts';
import { readBest, resolveBudget, tuneCorpus } from './tune-corpus.ts';
import type { TuneBudget } from './tune-corpus.ts';
import { pipelineBudget, PIPELINE_DEFAULTS, tunePipeline } from './tune-pipeline.ts';

const USAGE = `usage:
  tune run --corpus ds10 [--space mlp|complete|FILE] [--sampler random|grid|evolutionary|tpe] [--trials 50]
           [--workers 2] [--protocol ours|keras-tuner] [--pruner none|asha|hyperband] [--seed 1]
           [--budget demo|full] [--max-epochs N] [--max-train-rows N] [--backend auto|wasm|…]
           [--max-consecutive-failures N] [--worker-only (work on the study, write no outputs)]
           [--no-augment (patch corpora: train the trials on the stored patches, unaugmented)]
           [--restart-on-change (set aside a study made with other settings instead of refusing)]
           [--storage file:PATH|redis://host:port/db] [--study-name tune] [--redis-prefix ""]
           [--storage-retry-sec 60]
  tune run --data DIR --space mlp --sampler tpe --trials N --study-dir STUDY   (any imld-gen folder)
  tune status [--corpus ds10 --protocol ours | --study-dir STUDY | --storage S --study-name N]
  tune best   [--corpus ds10 --protocol ours | --study-dir STUDY | --storage S --study-name N]
  tune pipeline [--seed 1] [--jobs 2]
      both protocols on every corpus with features (MLPs on ds08/ds09/ds10, a CNN on tudp, an
      LSTM/CNN+LSTM on tusz), --jobs studies at a time: the Nx target tune:train. Budget from
      CORPUS_TUNE_PROFILE: demo/ci → demo, paper → full (tudp and tusz have smaller demo budgets)`;

const OPTIONS = {
  corpus: { type: 'string' },
  data: { type: 'string' },
  'study-dir': { type: 'string' },
  'metrics-dir': { type: 'string' },
  space: { type: 'string' },
  sampler: { type: 'string' },
  pruner: { type: 'string' },
  trials: { type: 'string' },
  workers: { type: 'string' },
  protocol: { type: 'string', default: 'ours' },
  seed: { type: 'string' },
  budget: { type: 'string', default: 'full' },
  'budget-json': { type: 'string' },
  'max-epochs': { type: 'string' },
  'max-train-rows': { type: 'string' },
  'max-consecutive-failures': { type: 'string' },
  backend: { type: 'string' },
  'worker-only': { type: 'boolean', default: false },
  'no-augment': { type: 'boolean', default: false },
  'restart-on-change': { type: 'boolean', default: false },
  jobs: { type: 'string' },
  storage: { type: 'string' },
  'study-name': { type: 'string', default: 'tune' },
  'redis-prefix': { type: 'string', default: '' },
  'storage-retry-sec': { type: 'string' },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

function studyDirOf(values: { corpus?: string; protocol?: string; 'study-dir'?: string }): string {
  if (values['study-dir']) return resolve(values['study-dir']);
  if (!values.corpus) throw new InputError('give --study-dir or --corpus (with --protocol)');
  return dataDir('tune', values.corpus, checkOneOf('protocol', values.protocol, PROTOCOLS));
}

/** `--storage` if given, else the study folder's journal.log. */
function storageOf(values: {
  storage?: string;
  'redis-prefix'?: string;
  corpus?: string;
  protocol?: string;
  'study-dir'?: string;
}): StorageSpec {
  if (values.storage) return parseStorageSpec(values.storage, { prefix: values['redis-prefix'] ?? '' });
  return { kind: 'file', path: join(studyDirOf(values), JOURNAL_FILE) };
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const started = performance.now();
  const studyName = values['study-name'];
  if (command === 'status') {
    const spec = storageOf(values);
    const { trials } = await readStoredStudy(spec, studyName);
    process.stdout.write(`${statusTable(trials)}\n`);
    process.stderr.write(`tune status: ${trials.length} trials in ${describeStorage(spec)}\n`);
    return;
  }
  if (command === 'pipeline') {
    const budget = pipelineBudget(pipelineProfile());
    const summary = await tunePipeline({
      budget,
      seed: checkInteger('--seed', parseNumberFlag('seed', values.seed) ?? PIPELINE_DEFAULTS.seed, {
        min: 0,
      }),
      jobs: checkInteger('--jobs', parseNumberFlag('jobs', values.jobs) ?? PIPELINE_DEFAULTS.jobs, {
        min: 1,
      }),
      logger: stderrLogger,
    });
    const studies = summary.tuned.join(', ') || 'none';
    process.stdout.write(
      `tune pipeline: ${summary.tuned.length} studies (${studies}), ${summary.failed.length} failed, ` +
        `${budget} budget → ${dataDir('tune')} in ${elapsedSec(started)} s\n`,
    );
    if (summary.failed.length > 0)
      throw new Error(`tune pipeline: failed: ${summary.failed.map((f) => f.study).join(', ')}`);
    return;
  }
  if (command === 'best' && values.storage) {
    const spec = storageOf(values);
    const selection = selectionOf(await readStoredStudy(spec, studyName));
    process.stdout.write(`${JSON.stringify(selection, null, 2)}\n`);
    process.stderr.write(
      `tune best: trial ${selection.trial} (${selection.rule}) from ${describeStorage(spec)}\n`,
    );
    return;
  }
  if (command === 'best') {
    const dir = studyDirOf(values);
    const best = readBest(dir);
    process.stdout.write(`${JSON.stringify(best.selection, null, 2)}\n`);
    process.stderr.write(`tune best: trial ${best.selection.trial} (${best.selection.rule}) from ${dir}\n`);
    return;
  }
  if (command !== 'run') throw new InputError(`unknown command "${command}"\n${USAGE}`);
  if (!values.corpus && !values.data) throw new InputError('tune run needs --corpus or --data');
  const protocol = checkOneOf('protocol', values.protocol, PROTOCOLS);
  const base: TuneBudget = values['budget-json']
    ? (JSON.parse(values['budget-json']) as TuneBudget)
    : {
        ...resolveBudget(
          checkOneOf('budget', values.budget, ['demo', 'full'] as const),
          values.corpus ?? basename(resolve(values.data as string)),
        ),
      };
  const trials = parseNumberFlag('trials', values.trials);
  const maxEpochs = parseNumberFlag('max-epochs', values['max-epochs']);
  const maxRows = parseNumberFlag('max-train-rows', values['max-train-rows']);
  const budget: TuneBudget = {
    ...base,
    ...(trials !== undefined ? { trials: checkInteger('--trials', trials, { min: 1 }) } : {}),
    ...(maxEpochs !== undefined ? { maxEpochs: checkInteger('--max-epochs', maxEpochs, { min: 1 }) } : {}),
    ...(maxRows !== undefined
      ? { maxTrainRows: checkInteger('--max-train-rows', maxRows, { min: 10 }) }
      : {}),
  };
  const workers = checkInteger(
    '--workers',
    parseNumberFlag('workers', values.workers) ?? STUDY_DEFAULTS.workers,
    {
      min: 1,
      max: 64,
    },
  );
  const maxFails = parseNumberFlag('max-consecutive-failures', values['max-consecutive-failures']);
  const corpus = values.corpus ?? basename(resolve(values.data as string));
  const result = await tuneCorpus({
    corpus,
    protocol,
    budget,
    seed: checkInteger('--seed', parseNumberFlag('seed', values.seed) ?? STUDY_DEFAULTS.seed, { min: 0 }),
    workers: values['worker-only'] ? 1 : workers,
    workerOnly: values['worker-only'],
    restartOnChange: values['restart-on-change'],
    ...(values['no-augment'] ? { augment: false } : {}),
    logger: stderrLogger,
    ...(values.data ? { splitsDir: values.data } : {}),
    ...(values['study-dir'] ? { studyDir: values['study-dir'] } : {}),
    ...(values.storage ? { storage: storageOf(values) } : {}),
    studyName,
    ...(values['storage-retry-sec'] !== undefined
      ? {
          storageRetrySec: checkInteger(
            '--storage-retry-sec',
            parseNumberFlag('storage-retry-sec', values['storage-retry-sec']) ?? 60,
            { min: 1 },
          ),
        }
      : {}),
    ...(values['metrics-dir'] ? { metricsDir: values['metrics-dir'] } : {}),
    ...(values.space ? { space: values.space } : {}),
    ...(values.sampler ? { sampler: checkOneOf('sampler', values.sampler, SAMPLERS) as SamplerName } : {}),
    ...(values.pruner ? { pruner: checkOneOf('pruner', values.pruner, PRUNERS) as PrunerName } : {}),
    ...(values.backend ? { backend: values.backend } : {}),
    ...(maxFails !== undefined
      ? { maxConsecutiveFailures: checkInteger('--max-consecutive-failures', maxFails, { min: 1 }) }
      : {}),
  });
  if (values['worker-only']) return;
  const s = result.selection;
  const evalPart = result.errors ? `, eval ${(100 * result.errors.eval).toFixed(2)} %` : '';
  const written = [result.bestPath, ...(result.metricsPath ? [result.metricsPath] : [])].join(', ');
  process.stderr.write(
    `tune run: ${corpus}/${protocol}: ${result.trials.length} trials, chose trial ${s.trial} ` +
      `(${s.rule}, dev ${(100 * s.devError).toFixed(2)} %${evalPart}) → ${written} ` +
      `in ${elapsedSec(started)} s\n`,
  );
}

await runCli('tune', main);
