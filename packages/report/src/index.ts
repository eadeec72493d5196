export { buildReport } from './build.ts';
export type { BuildOptions, BuildResult } from './build.ts';
export { collectInputs, TWO_D_CORPORA } from './collect.ts';
export type { Collected, CorpusInputs, Failure } from './collect.ts';
export { CORPORA, SPLITS, parseMetrics, parseBayes, parseTrials, parseSelection } from './contracts.ts';
export type {
  BayesReport,
  CorpusId,
  ErrorRate,
  Split,
  SystemMetrics,
  Trial,
  TunerSelection,
} from './contracts.ts';
export { effectiveEegBand } from './eeg-band.ts';
export type { EegBand } from './eeg-band.ts';
export { loadPosterResults, posterRowFor, POSTER_RESULTS_PATH } from './poster.ts';
export type { PosterResults, PosterRow, PosterLayout } from './poster.ts';
export { surfacePanelPng, bayesPixels } from './surfaces.ts';
export { bayesClassifierOf } from './bayes-boundary.ts';
export type { ClassAt } from './bayes-boundary.ts';
export { reportJson, resultRows, labelWithProtocol, PROTOCOLS } from './tables.ts';
export type { ReportJson, CorpusReport, ResultRow } from './tables.ts';
