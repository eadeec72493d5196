export { readEdf, decodeEdf, parseEdfHeader, parseTals, summarizeEdf, isContinuous } from './edf-reader.ts';
export type { EdfFile, EdfHeader, EdfSignalHeader, EdfAnnotation, EdfFormat } from './edf-reader.ts';
export { encodeEdf } from './edf-writer.ts';
export type { EdfWriteSignal, EdfWriteOptions } from './edf-writer.ts';
export {
  readAnnotations,
  parseCsvAnnotations,
  parseTseAnnotations,
  parseLblAnnotations,
  labelTimeline,
  toSegmentLabel,
  CLASS_NAMES,
} from './annotations.ts';
export type { AnnotationFile, AnnotationEvent, LabelStretch, SegmentLabel } from './annotations.ts';
export {
  TCP20,
  REFERENTIAL19,
  parseMontageFile,
  electrodeOf,
  planChannels,
  applyMontage,
} from './montage.ts';
export type { BipolarChannel, ChannelPlan, MontageLine } from './montage.ts';
export { designBandpass, sosArray } from './butterworth.ts';
export type { BandpassDesign, Sos } from './butterworth.ts';
export { sosfiltfilt, sosfiltfiltPadded, sosfiltZi, defaultPadLen } from './sosfiltfilt.ts';
export { createResampler, resamplePoly, resampleRatio, firwinKaiser } from './resample-poly.ts';
export type { Resampler } from './resample-poly.ts';
export { segmentWindows, cutSegments } from './segments.ts';
export type { SegmentWindow } from './segments.ts';
export { assignSplits, checkPatientDisjoint, selectBalanced } from './splits.ts';
export { discoverRecordings, parseRecordingName } from './corpus.ts';
export { processRecording, montageChannels, montageFilterResample } from './recording.ts';
export type { DspTimings, RecordingRef, RecordingSegments } from './recording.ts';
export {
  writeDemoCorpus,
  demoRecordings,
  demoCsvBi,
  demoManifest,
  synthesizeRecording,
  DEFAULT_DEMO,
  DEMO_MANIFEST,
} from './demo-corpus.ts';
export type { DemoCorpusOptions, DemoManifest, DemoRecordingSpec } from './demo-corpus.ts';
export { prepare, merge } from './prepare.ts';
export type { PrepareRun, PrepareSummary } from './prepare.ts';
export { DEFAULT_OPTIONS, resolveOptions, effectiveBandHz } from './options.ts';
export type { PrepareOptions, SegmentOptions, SplitName, MontageName } from './options.ts';
export { openSegmentSplit } from './segments-read.ts';
export type { SegmentSplit, SegmentBatch, SegmentLayout } from './segments-read.ts';
