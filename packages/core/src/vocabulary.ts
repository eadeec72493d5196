// The names every stage shares: corpus ids, split names, the 2-D sets and the stage folders under the
// data dir. One definition here; packages import these instead of spelling the strings again.

/** The five corpora of the study: synthetic #08–#10, TUDP slides (#11), TUSZ EEG (#12). */
export const CORPORA = ['ds08', 'ds09', 'ds10', 'tudp', 'tusz'] as const;
export type CorpusId = (typeof CORPORA)[number];

/** The corpora whose samples are 2-D points (imld-gen), so decision surfaces and KNN / RF apply. */
export type TwoDCorpusId = 'ds08' | 'ds09' | 'ds10';
export const TWO_D_CORPORA: readonly CorpusId[] = Object.freeze([
  'ds08',
  'ds09',
  'ds10',
] satisfies TwoDCorpusId[]);

export const isTwoDCorpus = (corpus: string): corpus is TwoDCorpusId =>
  (TWO_D_CORPORA as readonly string[]).includes(corpus);

/** The three splits every stage writes, in this order. */
export const SPLITS = ['train', 'dev', 'eval'] as const;
export type SplitName = (typeof SPLITS)[number];

/** Each stage's folder under the data dir (also the `stage` its outputs record in their metadata). */
export const STAGE = Object.freeze({
  imldGen: 'imld-gen',
  tuszSegments: 'tusz-segments',
  tudpPatches: 'tudp-patches',
  features: 'features',
  train: 'train',
  tune: 'tune',
  report: 'report',
} as const);
export type StageName = (typeof STAGE)[keyof typeof STAGE];
export const STAGES: readonly StageName[] = Object.freeze(Object.values(STAGE));
