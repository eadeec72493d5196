// Tissue detection as histolab's TissueMask does it: grayscale → Otsu threshold → small-object
// removal, on a low-resolution grid. Written by hand (no image-processing library in Node offers
// Otsu + connected components on a plain typed array without a native build).
import type { GridSpec } from './polygons.ts';
import { bestLevelForDownsample } from './slide.ts';
import type { Slide } from './slide.ts';

export interface TissueMask extends GridSpec {
  /** 1 = tissue, per cell. */
  tissue: Uint8Array;
  /** Mean gray (0–255) per cell, for reports and tests. */
  gray: Uint8Array;
  /** 1 = the cell's mean colour is pen ink (never tissue). */
  pen: Uint8Array;
  /** The gray level below which a cell counts as tissue. */
  thresholdGray: number;
  /** Pyramid level read to build the grid. */
  level: number;
}

export interface TissueMaskOptions {
  /** Level-0 pixels per mask cell. */
  cellPx: number;
  /** Tissue is never lighter than this (keeps Otsu from splitting a blank slide's noise). */
  maxTissueGray: number;
  /** Gray spread (99th − 1st percentile) below which a slide is blank: no tissue at all. */
  minContrastGray: number;
  /** Connected tissue components smaller than this many cells are removed (dust, pen specks). */
  minObjectCells: number;
  /** Cells whose mean colour is ink (see `isPenColour`) are not tissue and stay out of Otsu's histogram. */
  rejectPen: boolean;
}

/**
 * Pen ink, as histolab's pen filters see it but as one rule for all inks: H&E absorbs green at least
 * as much as red (eosin is pink, haematoxylin purple), so a cell clearly greener than red is green or
 * blue ink; a dark cell with almost no chroma is black ink (dense nuclei stay strongly purple).
 */
export function isPenColour(r: number, g: number, b: number): boolean {
  if (g - r >= 10) return true;
  return grayOf(r, g, b) <= 70 && Math.max(r, g, b) - Math.min(r, g, b) <= 30;
}

/** ITU-R 601 luma with Pillow's integer weights (`convert('L')`): (299 R + 587 G + 114 B) / 1000. */
export function grayOf(r: number, g: number, b: number): number {
  return (r * 299 + g * 587 + b * 114) / 1000;
}

/** Otsu's threshold on a 256-bin histogram: the t maximising between-class variance; class 0 = [0, t]. */
export function otsuThreshold(histogram: ArrayLike<number>): number {
  let total = 0;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) {
    total += histogram[i];
    sumAll += i * histogram[i];
  }
  let weight0 = 0;
  let sum0 = 0;
  let best = 0;
  let bestVariance = -1;
  for (let t = 0; t < 256; t++) {
    weight0 += histogram[t];
    if (weight0 === 0) continue;
    const weight1 = total - weight0;
    if (weight1 === 0) break;
    sum0 += t * histogram[t];
    const mean0 = sum0 / weight0;
    const mean1 = (sumAll - sum0) / weight1;
    const variance = weight0 * weight1 * (mean0 - mean1) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = t;
    }
  }
  return best;
}

/** Clears 8-connected components of 1s smaller than `minCells` (iterative flood fill, no recursion). */
export function removeSmallObjects(
  mask: Uint8Array,
  width: number,
  height: number,
  minCells: number,
): number {
  if (minCells <= 1) return 0;
  const label = new Int32Array(mask.length).fill(-1);
  const stack: number[] = [];
  const members: number[] = [];
  let removed = 0;
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || label[start] !== -1) continue;
    members.length = 0;
    stack.push(start);
    label[start] = start;
    while (stack.length > 0) {
      const p = stack.pop()!;
      members.push(p);
      const x = p % width;
      const y = (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (mask[q] === 1 && label[q] === -1) {
            label[q] = start;
            stack.push(q);
          }
        }
      }
    }
    if (members.length < minCells) {
      for (const p of members) mask[p] = 0;
      removed += members.length;
    }
  }
  return removed;
}

/** Thresholds a gray grid: Otsu (capped at maxTissueGray), blank-slide guard, small objects removed. */
export function tissueFromGray(
  gray: Uint8Array,
  width: number,
  height: number,
  options: Omit<TissueMaskOptions, 'cellPx' | 'rejectPen'>,
  pen?: Uint8Array,
): { tissue: Uint8Array; thresholdGray: number } {
  const histogram = new Float64Array(256);
  for (let i = 0; i < gray.length; i++) if (pen?.[i] !== 1) histogram[gray[i]]++;
  const tissue = new Uint8Array(gray.length);
  const percentile = (p: number): number => {
    let acc = 0;
    for (let i = 0; i < 256; i++) {
      acc += histogram[i];
      if (acc >= p * gray.length) return i;
    }
    return 255;
  };
  if (gray.length === 0 || percentile(0.99) - percentile(0.01) < options.minContrastGray)
    return { tissue, thresholdGray: 0 };
  const thresholdGray = Math.min(otsuThreshold(histogram), options.maxTissueGray);
  for (let i = 0; i < gray.length; i++) tissue[i] = gray[i] <= thresholdGray && pen?.[i] !== 1 ? 1 : 0;
  removeSmallObjects(tissue, width, height, options.minObjectCells);
  return { tissue, thresholdGray };
}

/**
 * Builds the tissue mask on a grid of `cellPx` level-0 pixels: reads the best pyramid level for that
 * downsample in horizontal strips (bounded memory on multi-GB slides) and box-averages into cells.
 * Transparent pixels (outside the scanned area) count as white background.
 */
export async function computeTissueMask(slide: Slide, options: TissueMaskOptions): Promise<TissueMask> {
  const base = slide.levels[0];
  const width = Math.ceil(base.width / options.cellPx);
  const height = Math.ceil(base.height / options.cellPx);
  const level = bestLevelForDownsample(slide.levels, options.cellPx);
  const { width: levelWidth, height: levelHeight, downsample } = slide.levels[level];
  const sums = new Float64Array(width * height);
  const rgbSums = new Float64Array(width * height * 3);
  const counts = new Float64Array(width * height);
  const stripRows = Math.max(1, Math.floor((8 << 20) / 4 / levelWidth));
  for (let top = 0; top < levelHeight; top += stripRows) {
    const rows = Math.min(stripRows, levelHeight - top);
    const strip = await slide.readRegion(0, Math.round(top * downsample), level, levelWidth, rows);
    const data = strip.data;
    for (let r = 0; r < rows; r++) {
      const cellRow = Math.min(height - 1, Math.floor(((top + r + 0.5) * downsample) / options.cellPx));
      for (let c = 0; c < levelWidth; c++) {
        const cellCol = Math.min(width - 1, Math.floor(((c + 0.5) * downsample) / options.cellPx));
        const i = (r * levelWidth + c) * 4;
        const clear = data[i + 3] < 128;
        const g = clear ? 255 : grayOf(data[i], data[i + 1], data[i + 2]);
        const cell = cellRow * width + cellCol;
        sums[cell] += g;
        for (let c = 0; c < 3; c++) rgbSums[3 * cell + c] += clear ? 255 : data[i + c];
        counts[cell]++;
      }
    }
  }
  const gray = new Uint8Array(width * height);
  for (let i = 0; i < gray.length; i++) gray[i] = counts[i] > 0 ? Math.round(sums[i] / counts[i]) : 255;
  const pen = new Uint8Array(width * height);
  if (options.rejectPen) {
    for (let i = 0; i < pen.length; i++) {
      const n = counts[i] || 1;
      pen[i] = isPenColour(rgbSums[3 * i] / n, rgbSums[3 * i + 1] / n, rgbSums[3 * i + 2] / n) ? 1 : 0;
    }
  }
  const { tissue, thresholdGray } = tissueFromGray(gray, width, height, options, pen);
  return { width, height, cellPx: options.cellPx, tissue, gray, pen, thresholdGray, level };
}
