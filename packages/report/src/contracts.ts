// The stage outputs the report reads (docs/conventions.md, "Train / tune outputs"), each through the
// reader beside its writer: metrics.json and bayes.json through train's, trials.json and best.json
// through tune's. A missing optional field is left out, a missing essential one is an InputError
// naming the file, so one bad file becomes a visible note and never stops the report.

export { CORPORA, SPLITS } from '@corpus-tune/core';
export type { CorpusId, SplitName as Split } from '@corpus-tune/core';
// train's outputs are read with train's reader; the names the report uses for them:
export { parseBayes, parseErrorRate, parseMetrics } from '@corpus-tune/train';
export type {
  BayesEstimate,
  BayesReport,
  ErrorRateRecord as ErrorRate,
  LayoutLayer,
  LearningCurvePoint,
  SystemMetrics,
} from '@corpus-tune/train';

// tune's outputs likewise, with tune's reader:
export { parseSelection, parseTrials } from '@corpus-tune/tune';
export type { SelectionRecord as TunerSelection, TrialRecord as Trial } from '@corpus-tune/tune';
