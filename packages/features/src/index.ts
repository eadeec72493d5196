// Public API of @corpus-tune/features.

// Options and defaults.
export {
  CORPORA,
  SPLITS,
  EEG_KINDS,
  TAPERS,
  DEFAULT_EEG_OPTIONS,
  DEFAULT_PATCH_OPTIONS,
  DEFAULT_SYNTHETIC_OPTIONS,
  resolveEegOptions,
  resolvePatchOptions,
  resolveSyntheticOptions,
} from './options.ts';
export type {
  Corpus,
  Split,
  EegKind,
  Taper,
  NormalizationMode,
  EegFeatureOptions,
  PatchFeatureOptions,
  SyntheticOptions,
} from './options.ts';

// EEG framing and features.
export { taperWeights } from './window.ts';
export { frameGeometry, frameSegment, readFrame, reflectIndex } from './framing.ts';
export type { FrameGeometry } from './framing.ts';
export { spectralPlan, spectralSegment, spectralScratch } from './spectral.ts';
export type { SpectralPlan } from './spectral.ts';
export { createEegExtractor } from './eeg-features.ts';
export type { EegExtractor } from './eeg-features.ts';

// Standardisation.
export { createStatsAccumulator, applyNormalization, noNormalization } from './standardize.ts';
export type { Normalization, GroupLayout, StatsAccumulator } from './standardize.ts';

// Patch codecs and the augmentation preview.
export { decodePatch, encodePng } from './patches.ts';
export { writePreview } from './preview.ts';
export type { PreviewOptions, PreviewResult } from './preview.ts';

// Reading features splits (the one reader of features/<corpus>/<split>.arrow; train and tune use it)
// and the patch augmentation: also `@corpus-tune/features/training`, without the stage.
export * from './training.ts';

// The stage.
export { prepareFeatures, producerDirOf, DEFAULT_SEED } from './prepare.ts';
export type { PrepareOptions, CorpusReport, CorpusStatus } from './prepare.ts';
