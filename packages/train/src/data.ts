// The splits train and tune read, through the producers' own readers: features splits via
// @corpus-tune/features, imld-gen point files (`--data` on an imld-gen folder) via @corpus-tune/imld-gen.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, readArrowFile, runMetadataOf, sha256File, STAGE } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import { featureSplitFromArrays, featureSplitFromTable } from '@corpus-tune/features/training';
import type { FeatureSplit } from '@corpus-tune/features/training';
import { pointsFromTable } from '@corpus-tune/imld-gen';

export type { FeatureSplit } from '@corpus-tune/features/training';

import type { SplitName } from '@corpus-tune/core';

export { SPLITS } from '@corpus-tune/core';
export type { SplitName } from '@corpus-tune/core';

/**
 * One split for training: a features file as is, or an imld-gen point file (`x`, `y` f32 columns)
 * as a 2-feature split, told apart by the stage in the schema metadata (the file is read once).
 */
export function loadTrainingSplit(path: string): FeatureSplit {
  const table = readArrowFile(path);
  if (runMetadataOf(table, path).stage !== STAGE.imldGen) return featureSplitFromTable(table, path);
  const p = pointsFromTable(table, path);
  const n = p.label.length;
  const x = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = p.x[i];
    x[2 * i + 1] = p.y[i];
  }
  return featureSplitFromArrays({
    path,
    sha256: sha256File(path),
    x,
    labels: p.label,
    shape: [2],
    classNames: p.classNames,
    metadata: { ...p.metadata, corpus: basename(dirname(path)) },
  });
}

/** A 2-D point split for the KNN / RF baselines: the x, y of every row as interleaved f64. */
export interface PointSplit {
  path: string;
  sha256: string;
  n: number;
  /** Interleaved x0, y0, x1, y1, … */
  points: Float64Array;
  labels: Int8Array;
  classNames: string[];
  metadata: RunMetadata;
}

/** The baselines' view of a split with 2 values per row; InputError naming the file otherwise. */
export function pointSplitOf(split: FeatureSplit): PointSplit {
  if (split.size !== 2)
    throw new InputError(`point baselines need 2 features per row, x lists hold ${split.size}`, {
      file: split.path,
    });
  return {
    path: split.path,
    sha256: split.sha256,
    n: split.n,
    points: Float64Array.from(split.x),
    labels: split.labels,
    classNames: split.classNames,
    metadata: split.metadata,
  };
}

/** Paths of the three splits under `dir`; throws InputError naming the first missing one. */
export function splitPaths(dir: string): Record<SplitName, string> {
  const paths = {
    train: join(dir, 'train.arrow'),
    dev: join(dir, 'dev.arrow'),
    eval: join(dir, 'eval.arrow'),
  };
  for (const p of Object.values(paths))
    if (!existsSync(p)) throw new InputError('missing split file', { file: p });
  return paths;
}
