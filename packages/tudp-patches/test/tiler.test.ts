import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '@corpus-tune/core';
import type { TudpLabel } from '../src/labels.ts';
import { DEFAULT_TILER_OPTIONS, labelGrid, patchGeometry } from '../src/tiler.ts';

const levels = [
  { width: 40000, height: 30000, downsample: 1 },
  { width: 10000, height: 7500, downsample: 4 },
  { width: 2500, height: 1875, downsample: 16 },
];
const slide = { path: 's.svs', levels, mppX: 0.25, mppY: 0.25 };

test('geometry by physical size: 0.5 µm/px on a 0.25 µm/px scan reads 1024 px at level 0 and resizes', () => {
  const g = patchGeometry(slide, { ...DEFAULT_TILER_OPTIONS, mpp: 0.5 });
  // Downsample 2 is wanted; the best level not above it is level 0, so read 1024² and resize to 512².
  assert.deepEqual(g, { level: 0, footprintPx: 1024, readSizePx: 1024, patchSizePx: 512, mpp: 0.5 });
  const g4 = patchGeometry(slide, { ...DEFAULT_TILER_OPTIONS, mpp: 1.0 });
  assert.deepEqual(g4, { level: 1, footprintPx: 2048, readSizePx: 512, patchSizePx: 512, mpp: 1.0 });
});

test('geometry by level; mpp follows the slide (NaN when unknown)', () => {
  assert.deepEqual(patchGeometry(slide, { ...DEFAULT_TILER_OPTIONS, mpp: null, level: 2 }), {
    level: 2,
    footprintPx: 8192,
    readSizePx: 512,
    patchSizePx: 512,
    mpp: 4,
  });
  assert.ok(
    Number.isNaN(
      patchGeometry({ ...slide, mppX: null, mppY: null }, { ...DEFAULT_TILER_OPTIONS, mpp: null, level: 0 })
        .mpp,
    ),
  );
});

test('asking µm/px of a slide without mpp, or finer than its scan, or a missing level, is an InputError', () => {
  assert.throws(
    () => patchGeometry({ ...slide, mppX: null, mppY: null }, DEFAULT_TILER_OPTIONS),
    (e: unknown) => e instanceof InputError && /s\.svs: the slide has no µm\/px/.test(e.message),
  );
  assert.throws(
    () => patchGeometry(slide, { ...DEFAULT_TILER_OPTIONS, mpp: 0.1 }),
    /finer than the slide's scan/,
  );
  assert.throws(
    () => patchGeometry(slide, { ...DEFAULT_TILER_OPTIONS, mpp: null, level: 3 }),
    /--level 3 does not exist/,
  );
});

test('labelGrid: background, one label, other label, two labels (dropped and counted), unlabelled', () => {
  // 5 patches in a row, 4×4 mask cells each.
  const k = 4;
  const width = 5 * k;
  const height = k;
  const tissue = new Uint8Array(width * height).fill(1);
  const indc = new Uint8Array(width * height);
  const dcis = new Uint8Array(width * height);
  const norm = new Uint8Array(width * height);
  const set = (raster: Uint8Array, patch: number, cells: number): void => {
    let n = 0;
    for (let r = 0; r < k; r++)
      for (let c = patch * k; c < (patch + 1) * k; c++) if (n++ < cells) raster[r * width + c] = 1;
  };
  // patch 0: background (only 4 of 16 cells are tissue)
  for (let r = 1; r < k; r++) for (let c = 0; c < k; c++) tissue[r * width + c] = 0;
  // patch 1: 15/16 indc → indc (≥ 0.9)
  set(indc, 1, 15);
  // patch 2: all norm → other label
  set(norm, 2, 16);
  // patch 3: 8 indc + 8 dcis → overlap
  set(indc, 3, 8);
  for (let r = 2; r < k; r++) for (let c = 3 * k; c < 4 * k; c++) dcis[r * width + c] = 1;
  // patch 4: 12/16 dcis → under 0.9, only one label touches → unlabelled
  set(dcis, 4, 12);
  const rasters = new Map<TudpLabel, Uint8Array>([
    ['indc', indc],
    ['dcis', dcis],
    ['norm', norm],
  ]);
  const { candidates, counts } = labelGrid(
    { width, height, tissue },
    rasters,
    { cols: 5, rows: 1, cellsPerPatch: k, footprintPx: 512 },
    DEFAULT_TILER_OPTIONS,
  );
  assert.deepEqual(counts, {
    gridCells: 5,
    background: 1,
    unlabeled: 1,
    overlap: 1,
    otherLabel: 1,
    indc: 1,
    dcis: 0,
  });
  assert.deepEqual(candidates, [{ x: 512, y: 0, label: 'indc', tissueFraction: 1 }]);
});

test('labelGrid: the label fraction counts tissue only (background inside a polygon does not dilute it)', () => {
  const k = 4;
  const tissue = new Uint8Array(16);
  for (let i = 0; i < 10; i++) tissue[i] = 1; // 10/16 tissue ≥ 0.5
  const dcis = new Uint8Array(16);
  for (let i = 0; i < 10; i++) dcis[i] = 1; // all tissue is dcis
  const { candidates } = labelGrid(
    { width: k, height: k, tissue },
    new Map([['dcis', dcis]]),
    { cols: 1, rows: 1, cellsPerPatch: k, footprintPx: 256 },
    DEFAULT_TILER_OPTIONS,
  );
  assert.deepEqual(candidates, [{ x: 0, y: 0, label: 'dcis', tissueFraction: 10 / 16 }]);
});
