// Shared by train, tune and report: what a system's configuration is and how the report names it.
/**
 * What a system's configuration is, so no row claims a tuner chose it when none did:
 * - `manual`: the poster's hand-made layout (sizes ours where the poster gives none);
 * - `poster-layout`: the layout the poster's Keras Tuner chose, retrained here (no tuner ran here);
 * - `ours`: a model the poster names without sizes, configured by us (no tuner chose it);
 * - `autotuned`: a tuner of ours chose the configuration (written by the tune stage only);
 * - `baseline`: KNN / random forest / nearest centroid.
 */
export const ORIGINS = ['manual', 'poster-layout', 'ours', 'autotuned', 'baseline'] as const;
export type Origin = (typeof ORIGINS)[number];

/** How the report names each origin. */
export const ORIGIN_LABELS: Readonly<Record<Origin, string>> = Object.freeze({
  manual: "poster's manual layout",
  'poster-layout': "poster's autotuned layout, retrained",
  ours: 'our configuration (poster gives no sizes)',
  autotuned: 'autotuned (chosen by our tuner)',
  baseline: 'baseline',
});
