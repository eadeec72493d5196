import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  codeVersion,
  createProgress,
  dataDir,
  InputError,
  sha256,
  silentLogger,
  writeJsonAtomic,
} from '@corpus-tune/core';
import type { Logger } from '@corpus-tune/core';
import { describeLayout, evaluateModel, loadModel, patchInputOf, selectBackend } from '@corpus-tune/train';
import type { FeatureSplit } from '@corpus-tune/train';
import { makePruner, makeSampler } from './factories.ts';
import type { PrunerName, SamplerName } from './factories.ts';
import { cnnConfigFromParams } from './objectives/cnn.ts';
import { lstmConfigFromParams } from './objectives/lstm.ts';
import { mlpConfigFromParams } from './objectives/mlp.ts';
import { modelObjective, TRIAL_MODEL_DIR } from './objectives/network.ts';
import type { ConfigFromParams } from './objectives/network.ts';
import type { Objective } from './objective.ts';
import { countStates, trialRows } from './outputs.ts';
import type { BestJson } from './outputs.ts';
import { resolveProtocol, resolveProtocolOptions } from './protocol.ts';
import type { ProtocolName, Selection } from './protocol.ts';
import { readSpaceFile } from './space.ts';
import type { SearchSpace, SpaceModel } from './space.ts';
import { corpusSplitsDir, loadTuningSplit } from './splits.ts';
import { JOURNAL_FILE, runStudy } from './study.ts';
import { Journal } from './journal.ts';
import { describeStorage } from './storage/log-storage.ts';
import type { StorageSpec } from './storage/log-storage.ts';
import type { StudyResult } from './study.ts';
import { roleOf } from './trial.ts';
import type { FrozenTrial } from './trial.ts';

export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SPACES_DIR = join(PACKAGE_DIR, 'spaces');

/** How much search a study gets. */
export interface TuneBudget {
  /** Search trials (the manual trial 0 included). */
  trials: number;
  /** Cap on the epochs any trial trains. */
  maxEpochs?: number;
  /** Seeded subsample of train per trial. */
  maxTrainRows?: number;
  /** Our protocol: how many top trials are retrained, and with how many seeds. */
  topK?: number;
  retrainSeeds?: number;
}

/**
 * Budgets of the pipeline's profiles: `demo` (minutes on 2 cores) and `full` (the poster's scale).
 * The demo's 10 epochs on 20,000 rows cost about what 4 on 5,000 did before MLPs trained on train's
 * dense engine (the per-epoch dev evaluation of the keras-tuner protocol dominates); at 4 × 5,000 the
 * manual configuration itself stayed at 37 % on ds09, 19 % at this budget.
 */
export const BUDGETS: Readonly<Record<'demo' | 'full', TuneBudget>> = {
  demo: { trials: 8, maxEpochs: 10, maxTrainRows: 20_000, topK: 2, retrainSeeds: 2 },
  full: { trials: 50, maxEpochs: 30, topK: 3, retrainSeeds: 3 },
};

/**
 * Per-corpus replacements of BUDGETS (a corpus not listed uses BUDGETS). Image and EEG models cost far
 * more per row than the 2-feature MLPs, so their demo budget is smaller (see the README's timings).
 */
export const CORPUS_BUDGETS: Readonly<Record<string, Partial<Record<'demo' | 'full', TuneBudget>>>> = {
  tudp: { demo: { trials: 4, maxEpochs: 2, maxTrainRows: 128, topK: 1, retrainSeeds: 2 } },
  // All rows: the LSTMs train on train's fused kernels (6 epochs of the 1,291 fit rows ≈ 10–20 s a trial).
  tusz: { demo: { trials: 6, maxEpochs: 6, topK: 1, retrainSeeds: 2 } },
};

/** The configFromParams of each space model kind (`"model"` in the space file). */
export const CONFIG_FROM_PARAMS: Readonly<Record<SpaceModel, ConfigFromParams>> = {
  mlp: mlpConfigFromParams,
  cnn: cnnConfigFromParams,
  lstm: lstmConfigFromParams,
};

/** System id and label prefix of a space model's autotuned outputs (`<prefix>-a-<protocol>`). */
const SYSTEM_PREFIX: Readonly<Record<SpaceModel, { system: string; label: string }>> = {
  mlp: { system: 'mlp', label: 'MLP-A' },
  cnn: { system: 'cnn', label: 'CNN-A' },
  lstm: { system: 'lstm', label: 'LSTM-A' },
};

/** The system id of a study's metrics.json: `mlp-a-ours`, `cnn-a-keras-tuner`, `lstm-a-ours`, … */
export function autotunedSystem(model: SpaceModel, protocol: ProtocolName): string {
  return `${SYSTEM_PREFIX[model].system}-a-${protocol}`;
}

export interface TuneCorpusOptions {
  /** Corpus name (ds08, ds09, ds10, …): picks spaces/<corpus>/ and names the outputs. */
  corpus: string;
  /**
   * Data root (default: core's dataDir()): inputs from features/<corpus>/ or imld-gen/<corpus>/,
   * every output under tune/<corpus>/.
   */
  dataDir?: string;
  /** A folder with train/dev/eval.arrow to use instead of the corpus lookup (`--data`). */
  splitsDir?: string;
  protocol: ProtocolName;
  budget: TuneBudget | 'demo' | 'full';
  seed: number;
  /** A space name under spaces/<corpus>/ or a path to a space file (default: PROTOCOL_DEFAULTS). */
  space?: string;
  /** Default: tpe for ours, random (Keras Tuner's RandomSearch) for keras-tuner. */
  sampler?: SamplerName;
  /** Default: asha for ours, none for keras-tuner. */
  pruner?: PrunerName;
  /**
   * Study folder (journal.log, checkpoints/, trials.json, best.json, metrics.json); default
   * <data>/tune/<corpus>/<protocol>.
   */
  studyDir?: string;
  /**
   * Where the journal lives (default: file <studyDir>/journal.log); Redis lets machines without a
   * shared filesystem share the study.
   */
  storage?: StorageSpec;
  /** The study's name in the storage (default "tune"; give each study on one Redis its own). */
  studyName?: string;
  /** While the storage (Redis) is unreachable, retry this long before stopping (default 60 s). */
  storageRetrySec?: number;
  /** Folder for metrics.json; default the study folder; null: no final evaluation. */
  metricsDir?: string | null;
  /** Worker processes sharing the study (this one included). */
  workers?: number;
  maxConsecutiveFailures?: number;
  /** Patch augmentation of the trials' training batches (patch corpora, tudp): default on. */
  augment?: boolean;
  /** tfjs backend preference passed to train's selectBackend. */
  backend?: string;
  logger?: Logger;
  /**
   * When the study folder holds a study with other settings (new data, space or budget): false
   * (default) refuses with an error naming the journal; true moves it to `<studyDir>.replaced/` and
   * starts afresh (what a cached pipeline step wants).
   */
  restartOnChange?: boolean;
  /** Only work on the study (a helper process of `workers`); the parent writes the outputs. */
  workerOnly?: boolean;
  /** Replace the model objective (tests). */
  objective?: (
    splits: { train: FeatureSplit; dev: FeatureSplit },
    earlyStopOn: 'inner' | 'dev',
    budget: TuneBudget,
  ) => Objective;
}

export interface TuneCorpusResult {
  studyDir: string;
  trialsPath: string;
  bestPath: string;
  metricsPath: string | null;
  selection: Selection;
  trials: FrozenTrial[];
  /** Error rates of the chosen model (eval read only here, after the choice). */
  errors: Record<'train' | 'dev' | 'eval', number> | null;
}

/** A space name or path for a corpus: spaces/<corpus>/<name>.json, else spaces/ds10/ (2-D data). */
export function resolveSpacePath(corpus: string, space: string): string {
  if (space.endsWith('.json')) return resolve(space);
  const own = join(SPACES_DIR, corpus, `${space}.json`);
  if (existsSync(own)) return own;
  const generic = join(SPACES_DIR, 'ds10', `${space}.json`);
  if (existsSync(generic)) return generic;
  throw new InputError(`no space "${space}" for corpus "${corpus}"`, { file: own });
}

/** A named budget for a corpus (its CORPUS_BUDGETS entry, else BUDGETS), or the given one. */
export function resolveBudget(budget: TuneCorpusOptions['budget'], corpus: string): TuneBudget {
  return typeof budget === 'string' ? (CORPUS_BUDGETS[corpus]?.[budget] ?? BUDGETS[budget]) : budget;
}

/** The resolved settings of a study, recorded in its journal (a rerun must match). */
function studySettings(
  o: Required<Pick<TuneCorpusOptions, 'protocol' | 'seed'>> & {
    space: SearchSpace;
    sampler: string;
    pruner: string;
    budget: TuneBudget;
    trainSha: string;
    augment?: boolean;
  },
) {
  return {
    protocol: o.protocol,
    space: o.space.name,
    // Only non-MLP spaces record their model, so MLP studies made before spaces had one still match.
    ...(o.space.model && o.space.model !== 'mlp' ? { model: o.space.model } : {}),
    spaceSha256: sha256(JSON.stringify(o.space.parameters)),
    sampler: o.sampler,
    pruner: o.pruner,
    seed: o.seed,
    maxEpochs: o.budget.maxEpochs ?? null,
    maxTrainRows: o.budget.maxTrainRows ?? null,
    topK: o.budget.topK ?? null,
    retrainSeeds: o.budget.retrainSeeds ?? null,
    train: o.trainSha,
    ...(o.augment !== undefined ? { augment: o.augment } : {}),
  };
}

/** Runs the worker processes beyond this one (`tune run --worker-only`) and resolves when all exit. */
function spawnWorkers(count: number, args: string[], logger: Logger): Promise<void>[] {
  const bin = join(PACKAGE_DIR, 'bin', 'tune.js');
  return Array.from({ length: count }, (_, i) => {
    const child = spawn(process.execPath, [bin, 'run', ...args, '--worker-only'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return new Promise<void>((resolvePromise, reject) => {
      child.on('exit', (code) =>
        code === 0 ? resolvePromise() : reject(new Error(`worker ${i + 1} exited with ${code}`)),
      );
      child.on('error', reject);
    }).catch((error: Error) => logger.warn(error.message));
  });
}

/**
 * Tunes the model of one corpus (the space's `model`: MLP, CNN or LSTM) under one protocol and writes
 * `tune/<corpus>/<protocol>/` {journal.log, checkpoints/, trials.json, best.json, metrics.json}; the
 * metrics' system is `<model>-a-<protocol>`.
 * The search reads train and dev only; eval is loaded after the choice, for metrics.json.
 * Rerunning continues the study in the same folder.
 */
export async function tuneCorpus(options: TuneCorpusOptions): Promise<TuneCorpusResult> {
  const started = performance.now();
  const logger = options.logger ?? silentLogger;
  const root = options.dataDir ? resolve(options.dataDir) : dataDir();
  const budget = resolveBudget(options.budget, options.corpus);
  const study = resolveProtocolOptions(options.protocol, options.corpus, {
    seed: options.seed,
    ...(options.space ? { space: options.space } : {}),
    ...(options.sampler ? { sampler: options.sampler } : {}),
    ...(options.pruner ? { pruner: options.pruner } : {}),
    ...(budget.topK ? { topK: budget.topK } : {}),
    ...(budget.retrainSeeds ? { retrainSeeds: budget.retrainSeeds } : {}),
    ...(options.workers ? { workers: options.workers } : {}),
    ...(options.maxConsecutiveFailures ? { maxConsecutiveFailures: options.maxConsecutiveFailures } : {}),
  });
  const protocol = resolveProtocol(study);
  const spaceName = study.space;
  const space = readSpaceFile(resolveSpacePath(options.corpus, spaceName));
  const model: SpaceModel = space.model ?? 'mlp';
  const samplerName = study.sampler;
  const prunerName = study.pruner;
  const splitsDir = options.splitsDir ? resolve(options.splitsDir) : corpusSplitsDir(root, options.corpus);
  const studyDir = options.studyDir
    ? resolve(options.studyDir)
    : join(root, 'tune', options.corpus, options.protocol);
  const train = loadTuningSplit(join(splitsDir, 'train.arrow'));
  const dev = loadTuningSplit(join(splitsDir, 'dev.arrow'));
  let backendName = 'none';
  if (!options.objective) {
    const backend = await selectBackend((options.backend ?? 'auto') as Parameters<typeof selectBackend>[0], {
      logger,
    });
    logger.info(`tune: backend ${backend.name} (${backend.reason})`);
    backendName = backend.name;
  }
  const objective = options.objective
    ? options.objective({ train, dev }, protocol.earlyStopOn, budget)
    : modelObjective(
        {
          train,
          dev,
          earlyStopOn: protocol.earlyStopOn,
          ...(budget.maxEpochs ? { maxEpochs: budget.maxEpochs } : {}),
          ...(budget.maxTrainRows ? { maxTrainRows: budget.maxTrainRows } : {}),
          ...(options.augment === false ? { augment: null } : {}),
        },
        CONFIG_FROM_PARAMS[model],
      );
  const maxEpochs = budget.maxEpochs ?? 30;
  const settings = studySettings({
    protocol: options.protocol,
    seed: options.seed,
    space,
    sampler: samplerName,
    pruner: prunerName,
    budget,
    trainSha: train.sha256,
    // Only patch studies record it, so studies of the other corpora made before it still match.
    ...(patchInputOf(train) ? { augment: options.augment ?? true } : {}),
  });
  const total = budget.trials + (protocol.name === 'ours' ? protocol.topK * protocol.retrainSeeds : 0);
  const progress = createProgress({
    label: `tune ${options.corpus}/${options.protocol}`,
    total,
    unit: 'trials',
    intervalMs: 0,
  });

  const storage: StorageSpec = options.storage ?? { kind: 'file', path: join(studyDir, JOURNAL_FILE) };
  const studyName = options.studyName ?? 'tune';
  if (options.restartOnChange && !options.workerOnly && storage.kind === 'file')
    await replaceStaleStudy(studyDir, studyName, settings, logger);
  const workers = study.workers;
  const children =
    workers > 1
      ? spawnWorkers(
          workers - 1,
          [
            '--data',
            splitsDir,
            '--corpus',
            options.corpus,
            '--study-dir',
            studyDir,
            '--protocol',
            options.protocol,
            '--space',
            spaceName,
            '--sampler',
            samplerName,
            '--pruner',
            prunerName,
            '--seed',
            String(options.seed),
            '--trials',
            String(budget.trials),
            '--budget-json',
            JSON.stringify(budget),
            ...storageArgs(storage),
            '--study-name',
            studyName,
            ...(options.storageRetrySec ? ['--storage-retry-sec', String(options.storageRetrySec)] : []),
            ...(options.backend ? ['--backend', options.backend] : []),
            ...(options.augment === false ? ['--no-augment'] : []),
            '--max-consecutive-failures',
            String(study.maxConsecutiveFailures),
          ],
          logger,
        )
      : [];
  let result: StudyResult;
  try {
    logger.info(`tune: study "${studyName}" in ${describeStorage(storage)}`);
    result = await runStudy(objective, {
      studyDir,
      storage,
      studyName,
      ...(options.storageRetrySec ? { storageRetrySec: options.storageRetrySec } : {}),
      space,
      sampler: makeSampler(samplerName, options.seed),
      pruner: makePruner(prunerName, maxEpochs),
      seed: options.seed,
      nTrials: budget.trials,
      settings,
      afterSearch: (search) => protocol.afterSearch(search),
      logger,
      onTrialFinished: (t) =>
        progress.tick(
          1,
          `trial ${t.number} ${t.state}${t.value !== null ? ` ${(100 * t.value).toFixed(2)} %` : ''}`,
        ),
      maxConsecutiveFailures: study.maxConsecutiveFailures,
    });
  } finally {
    await Promise.all(children);
  }
  const trials = result.trials;
  const selection = protocol.select(trials);
  const trialsPath = join(studyDir, 'trials.json');
  const bestPath = join(studyDir, 'best.json');
  if (options.workerOnly)
    return { studyDir, trialsPath, bestPath, metricsPath: null, selection, trials, errors: null };
  writeJsonAtomic(trialsPath, trialRows(trials));
  const best: BestJson = {
    corpus: options.corpus,
    protocol: options.protocol,
    space: space.name,
    sampler: samplerName,
    pruner: prunerName,
    seed: options.seed,
    workers,
    budget: {
      trials: budget.trials,
      maxEpochs: budget.maxEpochs ?? null,
      maxTrainRows: budget.maxTrainRows ?? null,
    },
    counts: countStates(trials),
    selection,
  };
  writeJsonAtomic(bestPath, best);
  progress.done(
    `chose trial ${selection.trial} (${selection.rule}, dev ${(100 * selection.devError).toFixed(2)} %)`,
  );

  let metricsPath: string | null = null;
  let errors: TuneCorpusResult['errors'] = null;
  const metricsDir = options.metricsDir === undefined ? studyDir : options.metricsDir;
  if (metricsDir !== null && !options.objective) {
    const written = await writeChosenMetrics({
      trials,
      selection,
      studyDir,
      metricsDir,
      splitsDir,
      train,
      dev,
      corpus: options.corpus,
      protocol: options.protocol,
      model,
      backend: backendName,
      budget,
      seconds: (performance.now() - started) / 1000,
    });
    metricsPath = written.path;
    errors = written.errors;
  }
  return { studyDir, trialsPath, bestPath, metricsPath, selection, trials, errors };
}

/**
 * The trial whose saved model represents the selection: ours → its first completed retrain;
 * keras-tuner → the search trial.
 */
export function modelTrialOf(trials: readonly FrozenTrial[], selection: Selection): FrozenTrial {
  const retrain = trials.find(
    (t) => roleOf(t) === 'retrain' && t.userAttrs.parent === selection.trial && t.state === 'COMPLETE',
  );
  const search = trials.find((t) => roleOf(t) === 'search' && t.number === selection.trial);
  const chosen = selection.rule === 'one-standard-error' && retrain ? retrain : search;
  if (!chosen) throw new Error(`selected trial ${selection.trial} is not in the study`);
  return chosen;
}

async function writeChosenMetrics(o: {
  trials: readonly FrozenTrial[];
  selection: Selection;
  studyDir: string;
  metricsDir: string;
  splitsDir: string;
  train: FeatureSplit;
  dev: FeatureSplit;
  corpus: string;
  protocol: ProtocolName;
  model: SpaceModel;
  backend: string;
  budget: TuneBudget;
  seconds: number;
}): Promise<{ path: string; errors: Record<'train' | 'dev' | 'eval', number> }> {
  const source = modelTrialOf(o.trials, o.selection);
  const model = await loadModel(join(o.studyDir, 'checkpoints', `trial-${source.number}`, TRIAL_MODEL_DIR));
  // The choice is made; only now is eval read.
  const evalSplit = loadTuningSplit(join(o.splitsDir, 'eval.arrow'));
  const splits = { train: o.train, dev: o.dev, eval: evalSplit };
  const evaluations = Object.fromEntries(
    Object.entries(splits).map(([name, split]) => [name, evaluateModel(model, split)]),
  ) as Record<'train' | 'dev' | 'eval', ReturnType<typeof evaluateModel>>;
  const curveRaw = source.userAttrs.learningCurve;
  const metrics = {
    corpus: o.corpus,
    system: autotunedSystem(o.model, o.protocol),
    label: `${SYSTEM_PREFIX[o.model].label} ${o.protocol === 'ours' ? '(ours)' : '(Keras Tuner protocol)'}`,
    // The built model's kind (an lstm space with a Conv1D front end may choose a CNN+LSTM).
    kind:
      o.model === 'lstm'
        ? lstmConfigFromParams(
            o.selection.params,
            o.train.shape,
            Math.max(o.train.classNames.length, o.dev.classNames.length),
          ).kind
        : o.model,
    origin: 'autotuned',
    protocol: o.protocol,
    classNames: o.train.classNames,
    errors: { train: evaluations.train.error, dev: evaluations.dev.error, eval: evaluations.eval.error },
    confusion: {
      train: evaluations.train.confusion,
      dev: evaluations.dev.confusion,
      eval: evaluations.eval.confusion,
    },
    layout: describeLayout(model),
    parameterCount: model.countParams(),
    hyperparameters: {
      ...o.selection.params,
      selection: {
        rule: o.selection.rule,
        trial: o.selection.trial,
        devErrorMean: o.selection.devError,
        devErrorSe: o.selection.devErrorSe,
        seeds: o.selection.seeds,
      },
      tuning: {
        protocol: o.protocol,
        trials: o.budget.trials,
        maxEpochs: o.budget.maxEpochs ?? null,
        maxTrainRows: o.budget.maxTrainRows ?? null,
        studyDir: 'tune/' + o.corpus + '/' + o.protocol,
      },
    },
    // The chosen trial's training-batch augmentation, as train's metrics.json records it.
    ...(typeof source.userAttrs.augmentation === 'string'
      ? { augmentation: JSON.parse(source.userAttrs.augmentation) as unknown }
      : {}),
    learningCurve: typeof curveRaw === 'string' ? (JSON.parse(curveRaw) as unknown[]) : [],
    backend: o.backend,
    seed: Number(source.userAttrs.seed),
    codeVersion: codeVersion(PACKAGE_DIR),
    timings: { trainSec: Number(source.userAttrs.seconds ?? 0), tuneSec: Math.round(o.seconds * 10) / 10 },
    data: {
      train: o.train.n,
      dev: o.dev.n,
      eval: evalSplit.n,
      inputs: { 'train.arrow': o.train.sha256, 'dev.arrow': o.dev.sha256, 'eval.arrow': evalSplit.sha256 },
    },
  };
  model.dispose();
  const path = join(o.metricsDir, 'metrics.json');
  writeJsonAtomic(path, metrics);
  return {
    path,
    errors: {
      train: evaluations.train.error.rate,
      dev: evaluations.dev.error.rate,
      eval: evaluations.eval.error.rate,
    },
  };
}

/** The `tune run` flags that name a storage (for the helper processes of `workers`). */
function storageArgs(spec: StorageSpec): string[] {
  return spec.kind === 'file'
    ? ['--storage', `file:${spec.path}`]
    : ['--storage', spec.url, '--redis-prefix', spec.prefix];
}

async function replaceStaleStudy(
  studyDir: string,
  studyName: string,
  settings: Record<string, unknown>,
  logger: Logger,
): Promise<void> {
  const journalPath = join(studyDir, JOURNAL_FILE);
  if (!existsSync(journalPath)) return;
  const study = (await new Journal(journalPath).sync()).studyByName(studyName);
  if (!study || JSON.stringify(study.userAttrs['tune:settings'] ?? {}) === JSON.stringify(settings)) return;
  const aside = `${studyDir}.replaced`;
  rmSync(aside, { recursive: true, force: true });
  renameSync(studyDir, aside);
  logger.warn(`tune: ${studyDir} held a study with other settings; moved it to ${aside} and started afresh`);
}

/** Reads a study folder's best.json (for `tune best`). */
export function readBest(studyDir: string): BestJson {
  const path = join(studyDir, 'best.json');
  if (!existsSync(path))
    throw new InputError('no best.json yet (the study has not finished)', { file: path });
  return JSON.parse(readFileSync(path, 'utf8')) as BestJson;
}
