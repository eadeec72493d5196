import type { Rng } from '@corpus-tune/core';
import { classModel } from './components.ts';
import type { SplitSpec } from './recipe-types.ts';

/** A generated split: parallel columns, rows shuffled so classes are interleaved. */
export interface Points {
  x: Float32Array;
  y: Float32Array;
  label: Int8Array;
}

/** Class counts after applying `scale` (at least one point per class). */
export function scaledCounts(split: SplitSpec, scale: number): number[] {
  return split.classes.map((c) => Math.max(1, Math.round(c.count * scale)));
}

/**
 * Draws every class of a split (each class from its own forked stream, so editing one class
 * leaves the others' points unchanged), then shuffles rows with a seeded Fisher–Yates.
 */
export function generateSplit(split: SplitSpec, scale: number, rng: Rng): Points {
  const counts = scaledCounts(split, scale);
  const total = counts.reduce((a, b) => a + b, 0);
  const x = new Float32Array(total);
  const y = new Float32Array(total);
  const label = new Int8Array(total);
  const point = new Float64Array(2);
  let row = 0;
  split.classes.forEach((spec, classIndex) => {
    const model = classModel(spec.components);
    const classRng = rng.fork(`class-${classIndex}`);
    for (let i = 0; i < counts[classIndex]; i++, row++) {
      model.sample(classRng, point);
      x[row] = point[0];
      y[row] = point[1];
      label[row] = classIndex;
    }
  });
  const shuffleRng = rng.fork('shuffle');
  for (let i = total - 1; i > 0; i--) {
    const j = shuffleRng.int(i + 1);
    const tx = x[i],
      ty = y[i],
      tl = label[i];
    x[i] = x[j];
    y[i] = y[j];
    label[i] = label[j];
    x[j] = tx;
    y[j] = ty;
    label[j] = tl;
  }
  return { x, y, label };
}
