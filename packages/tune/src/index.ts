// Public API of @corpus-tune/tune.
export {
  tuneCorpus,
  BUDGETS,
  CORPUS_BUDGETS,
  CONFIG_FROM_PARAMS,
  autotunedSystem,
  resolveBudget,
  resolveSpacePath,
  readBest,
  modelTrialOf,
  SPACES_DIR,
} from './tune-corpus.ts';
export type { TuneCorpusOptions, TuneCorpusResult, TuneBudget } from './tune-corpus.ts';
export {
  parseSpace,
  readSpaceFile,
  distributionOf,
  isActive,
  assemble,
  checkParams,
  SPACE_MODELS,
} from './space.ts';
export type {
  SearchSpace,
  Hyperparameter,
  Params,
  ParamValue,
  Distribution,
  Condition,
  SpaceModel,
} from './space.ts';
export {
  runStudy,
  searchTrials,
  budgetTrials,
  isSuperseded,
  trialSeed,
  JOURNAL_FILE,
  STALE_REASON,
  HEARTBEAT_ATTR,
} from './study.ts';
export type { StudyOptions, StudyResult, EnqueuedTrial } from './study.ts';
export type { Objective, TrialRun, TrialResult } from './objective.ts';
export { TrialPruned, TrialFailure, TooManyFailures, failureReason } from './errors.ts';
export type { FailureKind } from './errors.ts';
export { randomSampler } from './samplers/random.ts';
export { gridSampler, enumerateGrid } from './samplers/grid.ts';
export { evolutionarySampler } from './samplers/evolutionary.ts';
export { tpeSampler } from './samplers/tpe.ts';
export type { Sampler, SampleContext } from './samplers/sampler.ts';
export { ashaPruner } from './pruners/asha.ts';
export { hyperbandPruner } from './pruners/hyperband.ts';
export type { Pruner, PruneDecision } from './pruners/pruner.ts';
export { makeSampler, makePruner, SAMPLERS, PRUNERS } from './factories.ts';
export { Journal, JournalOp } from './journal.ts';
export { symlinkLock } from './lock.ts';
export {
  parseStorageSpec,
  openLogStorage,
  describeStorage,
  StorageUnavailable,
} from './storage/log-storage.ts';
export type { JournalLogStorage, JournalRecord, StorageSpec } from './storage/log-storage.ts';
export { FileLogStorage } from './storage/file-log-storage.ts';
export { readStoredStudy, selectionOf } from './storage/read-study.ts';
export type { StoredStudy } from './storage/read-study.ts';
export {
  resolveProtocol,
  resolveProtocolOptions,
  PROTOCOLS,
  PROTOCOL_DEFAULTS,
  POSTER_SPACES,
  STUDY_DEFAULTS,
} from './protocol.ts';
export type {
  Protocol,
  ProtocolName,
  ProtocolDefaults,
  Selection,
  StudyProtocolOptions,
} from './protocol.ts';
export { fitGate, FIT_GATE_DEFAULTS } from './fit-gate.ts';
export type { FitGate, FitGateOptions } from './fit-gate.ts';
export { tunePipeline, pipelineBudget, PIPELINE_CORPORA, PIPELINE_DEFAULTS } from './tune-pipeline.ts';
export type { TunePipelineOptions, TunePipelineSummary, PipelineCorpus } from './tune-pipeline.ts';
export { chooseOneSe, meanAndSe } from './one-se.ts';
export { loadTuningSplit } from './splits.ts';
export type { SeCandidate, OneSeChoice } from './one-se.ts';
export { mlpObjective, mlpConfigFromParams } from './objectives/mlp.ts';
export { cnnConfigFromParams } from './objectives/cnn.ts';
export { lstmConfigFromParams } from './objectives/lstm.ts';
export { modelObjective } from './objectives/network.ts';
export type { ConfigFromParams, ModelObjectiveOptions } from './objectives/network.ts';
export { trialRows, statusTable } from './outputs.ts';
export type { TrialRow, BestJson } from './outputs.ts';
export { parseTrials, parseSelection } from './outputs-read.ts';
export type { TrialRecord, SelectionRecord } from './outputs-read.ts';
export { branin, hartmann6, TEST_FUNCTIONS } from './test-functions.ts';
export type { FrozenTrial } from './trial.ts';
