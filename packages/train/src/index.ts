// Public API of @corpus-tune/train (used by packages/tune and the CLI). Keep signatures stable.
export {
  selectBackend,
  nativeLoader,
  nativeGpuVerdict,
  BACKEND_CHAIN,
  BACKEND_PREFERENCES,
  DEFAULT_LOADERS,
} from './backend.ts';
export type {
  BackendName,
  BackendPreference,
  BackendChoice,
  BackendAttempt,
  BackendLoader,
  NativeDeps,
} from './backend.ts';
export {
  registerWasmTrainingKernels,
  conv2dFilterGradient,
  conv2dInputGradient,
  WASM_TRAINING_KERNELS,
  WASM_REPLACED_KERNELS,
} from './wasm-kernels.ts';
export { loadTrainingSplit, pointSplitOf, splitPaths, SPLITS } from './data.ts';
export type { FeatureSplit, PointSplit, SplitName } from './data.ts';
export { buildModel } from './zoo/build.ts';
export type { BuildOptions } from './zoo/build.ts';
export type {
  ModelConfig,
  MlpConfig,
  Cnn2dConfig,
  LstmConfig,
  CnnLstmConfig,
  ModelKind,
  DenseSpec,
  ConvBlockSpec,
  Conv1dSpec,
  LstmSpec,
  TrainingSpec,
  OutputSpec,
  Activation,
} from './zoo/config.ts';
export { ACTIVATIONS } from './zoo/config.ts';
export { SYSTEMS, CORPORA, TWO_D_CORPORA, namedConfig, systemInfo } from './zoo/named.ts';
export type { SystemInfo, SystemKind, Corpus, Origin } from './zoo/named.ts';
export { bandPowerFeatures, colourTextureFeatures, simpleFeaturesOf } from './centroid-features.ts';
export type { SimpleFeatures } from './centroid-features.ts';
export { fitNearestCentroid, predictNearestCentroid } from './nearest-centroid.ts';
export type { NearestCentroidModel } from './nearest-centroid.ts';
export { trainCentroid } from './centroid-run.ts';
export {
  augmentationRecord,
  augmentationRng,
  augmentedRows,
  patchInputOf,
  AUGMENTATION_STREAM,
} from './augmentation.ts';
export type { PatchAugmentation, AugmentationRecord } from './augmentation.ts';

export { describeLayout, parameterCount } from './zoo/layout.ts';
export type { LayoutRow } from './zoo/layout.ts';
export { fitModel, carveRows, makeOptimizer } from './fit.ts';
export type { FitResult } from './fit.ts';
export { evaluateModel, predictSplit, scorePredictions, wilsonInterval } from './evaluate.ts';
export type { Evaluation, ErrorRate } from './evaluate.ts';
export { saveModel, loadModel, fileSystemHandler } from './model-io.ts';
export { buildKdTree, nearest, fitKnn, predictKnn, chooseK, K_CANDIDATES } from './knn.ts';
export type { KdTree, KnnModel } from './knn.ts';
export { fitForest, predictForest } from './random-forest.ts';
export type { Forest, ForestOptions, Tree } from './random-forest.ts';
export { coverHartLower, generatorBayesFromMetadata, closedLoopEstimate } from './bayes.ts';
export { runBaselines } from './baselines.ts';
export type { BaselineResult, ClassifierResult } from './baselines.ts';
export { trainSystem, baselinesForCorpus, baselinesJson } from './run.ts';
export {
  DEFAULT_SEED,
  DEFAULT_FIT_OPTIONS,
  DEFAULT_BASELINE_OPTIONS,
  DEFAULT_TRAIN_SYSTEM_OPTIONS,
  DEFAULT_BASELINES_OPTIONS,
  BUDGETS,
  resolveFitOptions,
  resolveBaselineOptions,
  resolveTrainSystemOptions,
  resolveBaselinesOptions,
} from './options.ts';
export type {
  FitOptions,
  EpochLog,
  EpochVerdict,
  BaselineOptions,
  TrainSystemOptions,
  BaselinesOptions,
  Budget,
} from './options.ts';
export { trainAll } from './train-all.ts';
export type { TrainAllOptions, TrainAllSummary } from './train-all.ts';
export type { Metrics } from './metrics.ts';
export { readMetrics, readBayes, parseMetrics, parseBayes, parseErrorRate } from './metrics-read.ts';
export type {
  SystemMetrics,
  BayesReport,
  BayesEstimate,
  ErrorRateRecord,
  LayoutLayer,
  LearningCurvePoint,
} from './metrics-read.ts';
export { writePredictions, writeSurface, readSurface, surfaceGrid } from './outputs.ts';
export type { Surface, SurfaceGrid } from './outputs.ts';
