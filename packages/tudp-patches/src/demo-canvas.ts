// The demo renderer's drawing surface: stain concentrations (haematoxylin, eosin) per pixel, not
// colours, so a slide's stain vectors, intensities and blur are applied once at the end
// (Beer–Lambert) and two slides of the same tissue can differ only in how they were stained.
import type { Rng } from '@corpus-tune/core';

export interface StainCanvas {
  widthPx: number;
  heightPx: number;
  /** Level-0 µm per pixel (structure sizes are given in µm and converted with it). */
  mpp: number;
  hematoxylin: Float32Array;
  eosin: Float32Array;
  /** 1 inside the tissue outline. */
  tissue: Uint8Array;
  /** 0 = unannotated, k = annotated region k − 1. */
  region: Uint8Array;
  /** 1 where a cell, duct or fat lobule already lies (structures never overlap). */
  occupied: Uint8Array;
  /** 0 = no ink, else the index + 1 of the pen colour. */
  pen: Uint8Array;
  /** Ink density (0–1) where `pen` is set. */
  penDensity: Float32Array;
}

export function createCanvas(widthPx: number, heightPx: number, mpp: number): StainCanvas {
  const n = widthPx * heightPx;
  return {
    widthPx,
    heightPx,
    mpp,
    hematoxylin: new Float32Array(n),
    eosin: new Float32Array(n),
    tissue: new Uint8Array(n),
    region: new Uint8Array(n),
    occupied: new Uint8Array(n),
    pen: new Uint8Array(n),
    penDensity: new Float32Array(n),
  };
}

/** Pixels for a length in µm on this canvas. */
export function px(canvas: StainCanvas, um: number): number {
  return um / canvas.mpp;
}

/** Calls `visit(index, distance)` for every pixel within `radiusPx` of (cx, cy). */
export function forDisk(
  canvas: StainCanvas,
  cx: number,
  cy: number,
  radiusPx: number,
  visit: (i: number, distancePx: number) => void,
): void {
  const x0 = Math.max(0, Math.floor(cx - radiusPx));
  const x1 = Math.min(canvas.widthPx - 1, Math.ceil(cx + radiusPx));
  const y0 = Math.max(0, Math.floor(cy - radiusPx));
  const y1 = Math.min(canvas.heightPx - 1, Math.ceil(cy + radiusPx));
  const r2 = radiusPx * radiusPx;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d2 = (x - cx) ** 2 + (y - cy) ** 2;
      if (d2 <= r2) visit(y * canvas.widthPx + x, Math.sqrt(d2));
    }
  }
}

export function indexOf(canvas: StainCanvas, x: number, y: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  if (xi < 0 || yi < 0 || xi >= canvas.widthPx || yi >= canvas.heightPx) return -1;
  return yi * canvas.widthPx + xi;
}

/** True when (x, y) lies in region `regionValue` and nothing is drawn there yet. */
export function isFree(canvas: StainCanvas, x: number, y: number, regionValue: number): boolean {
  const i = indexOf(canvas, x, y);
  return i >= 0 && canvas.tissue[i] === 1 && canvas.region[i] === regionValue && canvas.occupied[i] === 0;
}

/**
 * One nucleus: the same size and haematoxylin distribution wherever it is drawn (duct, cord, single
 * cell), so nuclei alone never tell the classes apart. Soft one-pixel edge.
 */
export function paintNucleus(canvas: StainCanvas, rng: Rng, x: number, y: number): void {
  const radiusPx = px(canvas, 3.4 + rng.float() * 2.4);
  const density = 1.35 + rng.float() * 0.5;
  forDisk(canvas, x, y, radiusPx + 0.5, (i, d) => {
    const w = Math.min(1, radiusPx + 0.5 - d);
    canvas.hematoxylin[i] = Math.max(canvas.hematoxylin[i], density * w);
  });
}

/** A tumour cell: amphophilic cytoplasm around one nucleus; false (nothing drawn) when the spot is taken. */
export function paintCell(canvas: StainCanvas, rng: Rng, x: number, y: number, regionValue: number): boolean {
  if (!isFree(canvas, x, y, regionValue)) return false;
  const radiusPx = px(canvas, 6);
  forDisk(canvas, x, y, radiusPx, (i) => {
    if (canvas.tissue[i] === 0) return;
    canvas.hematoxylin[i] = 0.12;
    canvas.eosin[i] = 0.3;
    canvas.occupied[i] = 1;
  });
  paintNucleus(canvas, rng, x, y);
  return true;
}

/** Clears stain (white: lumen, vacuole, tear) within a disk; `mark` also reserves it. */
export function clearDisk(
  canvas: StainCanvas,
  cx: number,
  cy: number,
  radiusPx: number,
  mark: boolean,
): void {
  forDisk(canvas, cx, cy, radiusPx, (i) => {
    canvas.hematoxylin[i] = 0;
    canvas.eosin[i] = 0;
    if (mark) canvas.occupied[i] = 1;
  });
}
