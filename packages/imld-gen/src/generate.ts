import { shuffleInPlace } from '@corpus-tune/core';
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
 * leaves the others' points unchanged) straight into rows of a seeded random permutation, so the
 * classes come out interleaved without a second pass over the columns.
 */
export function generateSplit(split: SplitSpec, scale: number, rng: Rng): Points {
  const counts = scaledCounts(split, scale);
  const total = counts.reduce((a, b) => a + b, 0);
  const order = new Int32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  shuffleInPlace(order, rng.fork('shuffle'));
  const x = new Float32Array(total);
  const y = new Float32Array(total);
  const label = new Int8Array(total);
  let next = 0;
  for (let classIndex = 0; classIndex < counts.length; classIndex++) {
    const xs = new Float64Array(counts[classIndex]);
    const ys = new Float64Array(counts[classIndex]);
    classModel(split.classes[classIndex].components).sampleMany(rng.fork(`class-${classIndex}`), xs, ys);
    for (let i = 0; i < xs.length; i++) {
      const row = order[next++];
      x[row] = xs[i];
      y[row] = ys[i];
      label[row] = classIndex;
    }
  }
  return { x, y, label };
}
