export { loadOpenSlide } from './openslide-ffi.ts';
export type { OpenSlideApi } from './openslide-ffi.ts';
export {
  openSlide,
  withSlide,
  probeSlide,
  slideInfo,
  bestLevelForDownsample,
  rgbaToRgb,
  argbToRgba,
  argbToRgb,
  mppFromTiffResolution,
} from './slide.ts';
export type { Slide, SlideInfo, SlideLevel, RgbaImage, SlideBackend } from './slide.ts';
export { inspectSlide, formatSlideInfo } from './inspect.ts';
export { readAnnotations, validateAnnotations } from './annotations.ts';
export type { AnnotationRegion, SlideAnnotations, LabeledRegion } from './annotation-types.ts';
export { parseImageScopeXml, imageScopeXmlFrom } from './annotations-xml.ts';
export { parseTudpCsv, tudpCsvFrom } from './annotations-csv.ts';
export { TUDP_LABELS, CLASS_NAMES, resolveLabel } from './labels.ts';
export type { TudpLabel, ClassName } from './labels.ts';
export { pointInPolygon, fillPolygon, rasterizeRegions } from './polygons.ts';
export { computeTissueMask, otsuThreshold, removeSmallObjects, tissueFromGray } from './tissue-mask.ts';
export { DEFAULT_TILER_OPTIONS, patchGeometry, labelGrid, coordinatesFor } from './tiler.ts';
export type { TilerOptions, PatchGeometry, PatchCandidate, SlideCoordinates } from './tiler.ts';
export { sampleBalanced, patchPriority } from './sampling.ts';
export { SPLITS, identifySlide, splitForPatient, checkPatientDisjoint } from './splits.ts';
export type { Split } from './splits.ts';
export { DEFAULT_ENCODING, encodePatch } from './encode.ts';
export type { PatchEncoding } from './encode.ts';
export { extractPatches, readPatchRgb } from './patches.ts';
export { writeDemoCorpus, DEFAULT_DEMO_CORPUS } from './demo-corpus.ts';
export { prepare } from './prepare.ts';
export type { PrepareResult } from './prepare.ts';
export {
  resolvePrepareOptions,
  corpusRootOf,
  DEFAULT_PREPARE_OPTIONS,
  FULL_COUNTS,
  DEMO_COUNTS,
  BACKENDS,
} from './options.ts';
export type { PrepareOptions, PrepareInput } from './options.ts';
export type { SlideReport, SlideStatus } from './slide-work.ts';
export { openPatchSplit } from './patches-read.ts';
export type { PatchSplit, PatchBatch } from './patches-read.ts';
