import { Float32, Int32, Int8, Utf8, Table, vectorFromArray, makeVector } from 'apache-arrow';
import { withMetadata, writeArrowFile } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import type { SplitName } from './data.ts';
import { SPLITS } from './data.ts';

/** `predictions.arrow`: split utf8, row i32, label i8, predicted i8, prob f32 (one row per example). */
export function writePredictions(
  path: string,
  perSplit: Record<SplitName, { labels: Int8Array; predicted: Int8Array; prob?: Float32Array }>,
  metadata: RunMetadata,
): void {
  const total = SPLITS.reduce((s, k) => s + perSplit[k].labels.length, 0);
  const split: string[] = new Array(total);
  const row = new Int32Array(total);
  const label = new Int8Array(total);
  const predicted = new Int8Array(total);
  const prob = new Float32Array(total).fill(Number.NaN);
  let at = 0;
  for (const s of SPLITS) {
    const p = perSplit[s];
    for (let i = 0; i < p.labels.length; i++, at++) {
      split[at] = s;
      row[at] = i;
    }
    label.set(p.labels, at - p.labels.length);
    predicted.set(p.predicted, at - p.labels.length);
    if (p.prob) prob.set(p.prob, at - p.labels.length);
  }
  const table = new Table({
    split: vectorFromArray(split, new Utf8()),
    row: makeVector({ type: new Int32(), data: row }),
    label: makeVector({ type: new Int8(), data: label }),
    predicted: makeVector({ type: new Int8(), data: predicted }),
    prob: makeVector({ type: new Float32(), data: prob }),
  });
  writeArrowFile(path, withMetadata(table, metadata));
}

export interface SurfaceGrid {
  nx: number;
  ny: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** A grid over the bounds of 2-D points (interleaved), padded by 5 % each side. */
export function surfaceGrid(
  pointSets: ArrayLike<number>[],
  cells = 100,
): { grid: SurfaceGrid; points: Float32Array } {
  let xMin = Infinity,
    xMax = -Infinity,
    yMin = Infinity,
    yMax = -Infinity;
  for (const pts of pointSets) {
    for (let i = 0; i + 1 < pts.length; i += 2) {
      if (pts[i] < xMin) xMin = pts[i];
      if (pts[i] > xMax) xMax = pts[i];
      if (pts[i + 1] < yMin) yMin = pts[i + 1];
      if (pts[i + 1] > yMax) yMax = pts[i + 1];
    }
  }
  const padX = 0.05 * (xMax - xMin || 1);
  const padY = 0.05 * (yMax - yMin || 1);
  const grid = {
    nx: cells,
    ny: cells,
    xMin: xMin - padX,
    xMax: xMax + padX,
    yMin: yMin - padY,
    yMax: yMax + padY,
  };
  const points = new Float32Array(2 * cells * cells);
  for (let j = 0; j < cells; j++) {
    for (let i = 0; i < cells; i++) {
      const k = j * cells + i;
      points[2 * k] = grid.xMin + ((i + 0.5) / cells) * (grid.xMax - grid.xMin);
      points[2 * k + 1] = grid.yMin + ((j + 0.5) / cells) * (grid.yMax - grid.yMin);
    }
  }
  return { grid, points };
}

/** `surface.arrow`: x, y f32 grid points, predicted i8, probMax f32; metadata `grid`. */
export function writeSurface(
  path: string,
  grid: SurfaceGrid,
  points: Float32Array,
  predicted: Int8Array,
  probMax: Float32Array,
  metadata: RunMetadata,
): void {
  const n = predicted.length;
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = points[2 * i];
    ys[i] = points[2 * i + 1];
  }
  const table = new Table({
    x: makeVector({ type: new Float32(), data: xs }),
    y: makeVector({ type: new Float32(), data: ys }),
    predicted: makeVector({ type: new Int8(), data: Int8Array.from(predicted) }),
    probMax: makeVector({ type: new Float32(), data: Float32Array.from(probMax) }),
  });
  writeArrowFile(path, withMetadata(table, { ...metadata, grid }));
}
