export type {
  Vec2,
  Cov2,
  Polygon,
  Component,
  GaussianComponent,
  RingComponent,
  YinYangComponent,
  ShapesComponent,
  ClassSpec,
  SplitSpec,
  SplitName,
  Recipe,
} from './recipe-types.ts';
export { SPLIT_NAMES } from './recipe-types.ts';
export { PRESETS, PRESET_NAMES } from './presets.ts';
export type { PresetName } from './presets.ts';
export { parseRecipe, loadRecipe, listRecipes, recipePath, RECIPES_DIR } from './recipe.ts';
export { componentModel, classModel, inYin } from './components.ts';
export type { ComponentModel, ClassModel } from './components.ts';
export { generateSplit, scaledCounts } from './generate.ts';
export type { Points } from './generate.ts';
export { bayesError } from './bayes-error.ts';
export type { BayesErrorEstimate } from './bayes-error.ts';
export { generateCorpus, GENERATE_DEFAULTS } from './corpus.ts';
export type { GenerateOptions, GenerateResult, CorpusManifest, CorpusSource } from './corpus.ts';
export { findImldSet, importImldSet, setFolderNames } from './imld-root.ts';
export type { ImldSetLookup, ImportResult } from './imld-root.ts';
export { prepareCorpora } from './prepare.ts';
export type { PrepareOptions, PreparedCorpus } from './prepare.ts';
export { parseImldCsv, readImldCsv, formatImldCsv, writeImldCsv } from './imld-csv.ts';
export type { LabelledPoints } from './imld-csv.ts';
export { pointsToTable, writePointsArrow, readPointsArrow, pointsFromTable } from './split-table.ts';
export { insidePolygons, shapesDensityGrid, gridDensityAt } from './polygon-density.ts';
