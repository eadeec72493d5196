import { Float32, Int32, Int8, Utf8, Table, vectorFromArray, makeVector } from 'apache-arrow';
import { InputError, readArrowFile, runMetadataOf, withMetadata, writeArrowFile } from '@corpus-tune/core';
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

/**
 * The grid of a decision surface: nx × ny cells spanning [xMin, xMax] × [yMin, yMax]; cell (i, j) is
 * row j·nx + i of surface.arrow, evaluated at its centre.
 */
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

/** A decision surface read back: per cell (row-major, y then x) the predicted class and its probability. */
export interface Surface {
  grid: SurfaceGrid;
  predicted: Int8Array;
  probMax: Float32Array;
}

const GRID_KEYS = ['nx', 'ny', 'xMin', 'xMax', 'yMin', 'yMax'] as const;

function gridOf(value: unknown, path: string): SurfaceGrid {
  const g = value as Record<string, unknown> | null | undefined;
  if (typeof g !== 'object' || g === null || !GRID_KEYS.every((k) => typeof g[k] === 'number'))
    throw new InputError(`metadata "grid" must hold ${GRID_KEYS.join(', ')}, got ${JSON.stringify(value)}`, {
      file: path,
    });
  const grid = g as unknown as SurfaceGrid;
  if (!(Number.isInteger(grid.nx) && Number.isInteger(grid.ny) && grid.nx > 1 && grid.ny > 1))
    throw new InputError(`degenerate surface grid ${JSON.stringify(grid)}`, { file: path });
  if (!(grid.xMax > grid.xMin && grid.yMax > grid.yMin))
    throw new InputError(`degenerate surface grid ${JSON.stringify(grid)}`, { file: path });
  return grid;
}

/** Reads `surface.arrow` as writeSurface wrote it (the one reader of these files; the report uses it). */
export function readSurface(path: string): Surface {
  const table = readArrowFile(path);
  const grid = gridOf(runMetadataOf(table, path).grid, path);
  const column = (name: string): ArrayLike<number> => {
    const col = table.getChild(name);
    if (!col)
      throw new InputError(
        `no column "${name}" (columns: ${table.schema.fields.map((f) => f.name).join(', ')})`,
        { file: path },
      );
    return col.toArray() as ArrayLike<number>;
  };
  if (table.numRows !== grid.nx * grid.ny)
    throw new InputError(`${table.numRows} rows for a ${grid.nx}×${grid.ny} grid`, { file: path });
  return {
    grid,
    predicted: Int8Array.from(column('predicted')),
    probMax: Float32Array.from(column('probMax')),
  };
}
