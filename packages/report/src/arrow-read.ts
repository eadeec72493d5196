// Reading the stage Arrow files the report needs: 2-D points, decision-surface grids, and the schema
// metadata of files too large to load whole (EEG segments).
import { RecordBatchReader } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { InputError, METADATA_KEY, readArrowFile, runMetadataOf, openInputFile } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';

export interface PointSet {
  x: Float32Array;
  y: Float32Array;
  label: Int8Array;
}

export interface Grid {
  nx: number;
  ny: number;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** A decision surface as a row-major (y, then x) grid of predicted classes and their probabilities. */
export interface Surface {
  grid: Grid;
  predicted: Int8Array;
  probMax: Float32Array;
}

function column(table: Table, name: string, file: string): ArrayLike<number> {
  const col = table.getChild(name);
  if (!col) {
    const names = table.schema.fields.map((f) => f.name).join(', ');
    throw new InputError(`no column "${name}" (columns: ${names})`, { file });
  }
  return col.toArray() as ArrayLike<number>;
}

export function readPoints(path: string): { points: PointSet; metadata: RunMetadata } {
  const table = readArrowFile(path);
  return {
    points: {
      x: Float32Array.from(column(table, 'x', path)),
      y: Float32Array.from(column(table, 'y', path)),
      label: Int8Array.from(column(table, 'label', path)),
    },
    metadata: runMetadataOf(table, path),
  };
}

const isGrid = (g: unknown): g is Grid =>
  typeof g === 'object' &&
  g !== null &&
  ['nx', 'ny', 'xMin', 'xMax', 'yMin', 'yMax'].every(
    (k) => typeof (g as Record<string, unknown>)[k] === 'number',
  );

function gridOf(table: Table, xs: ArrayLike<number>, ys: ArrayLike<number>): Grid {
  const fromKey = table.schema.metadata.get('grid');
  const candidates: unknown[] = [];
  if (fromKey) candidates.push(JSON.parse(fromKey));
  const run = table.schema.metadata.get(METADATA_KEY);
  if (run) candidates.push((JSON.parse(run) as Record<string, unknown>).grid);
  const found = candidates.find(isGrid);
  if (found) return found;
  // No grid metadata: the distinct coordinates are the grid.
  const ux = [...new Set(Array.from(xs))].sort((a, b) => a - b);
  const uy = [...new Set(Array.from(ys))].sort((a, b) => a - b);
  return {
    nx: ux.length,
    ny: uy.length,
    xMin: ux[0],
    xMax: ux[ux.length - 1],
    yMin: uy[0],
    yMax: uy[uy.length - 1],
  };
}

export function readSurface(path: string): Surface {
  const table = readArrowFile(path);
  const xs = column(table, 'x', path);
  const ys = column(table, 'y', path);
  const predictedIn = column(table, 'predicted', path);
  const probIn = table.getChild('probMax') ? column(table, 'probMax', path) : undefined;
  const grid = gridOf(table, xs, ys);
  if (!(grid.nx > 1 && grid.ny > 1 && grid.xMax > grid.xMin && grid.yMax > grid.yMin)) {
    throw new InputError(`degenerate surface grid ${JSON.stringify(grid)}`, { file: path });
  }
  const predicted = new Int8Array(grid.nx * grid.ny).fill(-1);
  const probMax = new Float32Array(grid.nx * grid.ny).fill(1);
  for (let k = 0; k < xs.length; k++) {
    const i = Math.round(((xs[k] - grid.xMin) / (grid.xMax - grid.xMin)) * (grid.nx - 1));
    const j = Math.round(((ys[k] - grid.yMin) / (grid.yMax - grid.yMin)) * (grid.ny - 1));
    if (i < 0 || i >= grid.nx || j < 0 || j >= grid.ny) continue;
    predicted[j * grid.nx + i] = predictedIn[k];
    if (probIn) probMax[j * grid.nx + i] = probIn[k];
  }
  return { grid, predicted, probMax };
}

/** The provenance record of an Arrow file, reading only its schema (the file may be gigabytes). */
export async function readSchemaMetadata(path: string): Promise<RunMetadata> {
  const handle = await openInputFile(path, 'Arrow file');
  try {
    const reader = await RecordBatchReader.from(handle);
    await reader.open();
    const raw = reader.schema.metadata.get(METADATA_KEY);
    if (raw === undefined) throw new InputError(`no "${METADATA_KEY}" schema metadata`, { file: path });
    return JSON.parse(raw) as RunMetadata;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`not a readable Arrow IPC file: ${(error as Error).message}`, {
      file: path,
      cause: error,
    });
  } finally {
    await handle.close();
  }
}
