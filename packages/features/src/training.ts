// The part of features a training process reads (train, and tune through it): the one reader of the
// features splits and the patch augmentation the train loader applies. Without the stage: prepare
// reaches every corpus reader (OpenSlide through koffi, sharp, EDF), which a trainer's import graph,
// or a bundle of it (tools/gpu-check), should not carry. `@corpus-tune/features/training`.
export {
  readFeatureSplit,
  featureSplitFromTable,
  featureSplitFromArrays,
  openFeatureSplit,
  featureChunksOf,
} from './load.ts';
export type { FeatureSplit, FeatureSplitHeader, FeatureMetadata, FeatureArrays } from './load.ts';
export type { FeatureChunk } from './split-pipeline.ts';
export {
  augmentPatch,
  normalizePatch,
  drawAugmentation,
  applyAugmentation,
  resolveAugmentOptions,
  DEFAULT_AUGMENT_OPTIONS,
  NO_AUGMENTATION,
} from './augment.ts';
export type { AugmentOptions, AugmentationDraw, ChannelStats } from './augment.ts';
export type { PatchShape } from './patches.ts';
