// The Bayes decision of a synthetic split, where its generating densities are known: imld-gen writes
// its recipe into each file's metadata (`params.recipeSpec`), and its own class models evaluate the
// densities, so the boundary drawn is the one its generator Bayes error was estimated from.
import { classModel, parseRecipe } from '@corpus-tune/imld-gen';
import type { RunMetadata } from '@corpus-tune/core';
import type { Split } from './contracts.ts';

/** The Bayes-optimal class at (x, y), or -1 where every class density vanishes. */
export type ClassAt = (x: number, y: number) => number;

/** The split's Bayes classifier from imld-gen metadata; null when the metadata holds no recipe. */
export function bayesClassifierOf(metadata: RunMetadata, split: Split, file: string): ClassAt | null {
  const spec = (metadata.params as { recipeSpec?: unknown } | undefined)?.recipeSpec;
  if (spec === undefined) return null;
  const layout = parseRecipe(spec, file).splits[split];
  const models = layout.classes.map((c) => classModel(c.components));
  const total = layout.classes.reduce((n, c) => n + c.count, 0);
  const priors = layout.classes.map((c) => c.count / total);
  return (x, y) => {
    let best = -1;
    let bestWeight = 0;
    for (let k = 0; k < models.length; k++) {
      const w = priors[k] * models[k].density(x, y);
      if (w > bestWeight) {
        bestWeight = w;
        best = k;
      }
    }
    return best;
  };
}
