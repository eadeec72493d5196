// A tiler in histolab's manner: an immutable geometry (level / µm per px / patch size) and one
// `coordinatesFor(slide, regions)` step — coordinates first, pixels later (after sampling).
import { InputError } from '@corpus-tune/core';
import type { LabeledRegion } from './annotation-types.ts';
import { CLASS_NAMES, TUDP_LABELS } from './labels.ts';
import type { ClassName, TudpLabel } from './labels.ts';
import { rasterizeRegions } from './polygons.ts';
import { bestLevelForDownsample } from './slide.ts';
import type { Slide } from './slide.ts';
import { computeTissueMask } from './tissue-mask.ts';
import type { TissueMask } from './tissue-mask.ts';

export interface TilerOptions {
  /** Output patch edge, pixels (512 for the poster). */
  patchSizePx: number;
  /** Output resolution in µm per pixel; null → use `level` as is. Preferred: comparable across scanners. */
  mpp: number | null;
  /** Pyramid level, used only when `mpp` is null. */
  level: number;
  /** A patch is tissue when at least this fraction of it is tissue (else skipped as background). */
  minTissueFraction: number;
  /** A patch takes a label when at least this fraction of its tissue lies inside that label's polygons. */
  minLabelFraction: number;
  /** Mask cells along one patch edge (mask resolution relative to the patch grid). */
  maskCellsPerPatch: number;
  maxTissueGray: number;
  minContrastGray: number;
  /** Tissue specks smaller than this fraction of one patch's area are removed from the mask. */
  minObjectPatchFraction: number;
  /** Mask cells of pen-ink colour are not tissue (tissue-mask.ts `isPenColour`). */
  rejectPen: boolean;
}

export const DEFAULT_TILER_OPTIONS: Readonly<TilerOptions> = Object.freeze({
  patchSizePx: 512,
  mpp: 0.5,
  level: 0,
  minTissueFraction: 0.5,
  minLabelFraction: 0.9,
  maskCellsPerPatch: 16,
  maxTissueGray: 220,
  minContrastGray: 8,
  minObjectPatchFraction: 0.25,
  rejectPen: true,
});

/** How a slide is cut: which level is read, how big a read is, how much of level 0 one patch covers. */
export interface PatchGeometry {
  level: number;
  /** Edge of the region read at `level`, px (resized to patchSizePx when it differs). */
  readSizePx: number;
  /** Edge of one patch in level-0 px (grid step). */
  footprintPx: number;
  patchSizePx: number;
  /** µm per pixel of the output patch (NaN when the slide has no mpp and a level was asked for). */
  mpp: number;
}

export function patchGeometry(
  slide: Pick<Slide, 'path' | 'levels' | 'mppX' | 'mppY'>,
  options: TilerOptions,
): PatchGeometry {
  const { patchSizePx } = options;
  if (options.mpp !== null) {
    if (slide.mppX === null) {
      throw new InputError(
        `the slide has no µm/px (mpp) metadata, so --mpp ${options.mpp} cannot be honoured; use --level instead`,
        { file: slide.path },
      );
    }
    const slideMpp = slide.mppY === null ? slide.mppX : (slide.mppX + slide.mppY) / 2;
    const targetDownsample = options.mpp / slideMpp;
    if (targetDownsample < 0.99) {
      throw new InputError(
        `--mpp ${options.mpp} is finer than the slide's scan (${slideMpp.toFixed(4)} µm/px); patches would be upsampled`,
        { file: slide.path },
      );
    }
    const level = bestLevelForDownsample(slide.levels, targetDownsample);
    const footprintPx = Math.round(patchSizePx * targetDownsample);
    const readSizePx = Math.round(footprintPx / slide.levels[level].downsample);
    // Within 1 % of the wanted size the read is used as is (no resampling blur for nothing).
    return {
      level,
      footprintPx,
      readSizePx: Math.abs(readSizePx - patchSizePx) <= patchSizePx * 0.01 ? patchSizePx : readSizePx,
      patchSizePx,
      mpp: options.mpp,
    };
  }
  if (options.level < 0 || options.level >= slide.levels.length) {
    throw new InputError(
      `--level ${options.level} does not exist (slide has levels 0–${slide.levels.length - 1})`,
      { file: slide.path },
    );
  }
  const downsample = slide.levels[options.level].downsample;
  return {
    level: options.level,
    footprintPx: Math.round(patchSizePx * downsample),
    readSizePx: patchSizePx,
    patchSizePx,
    mpp: slide.mppX === null ? Number.NaN : slide.mppX * downsample,
  };
}

export interface PatchCandidate {
  /** Level-0 pixels of the patch's top-left corner. */
  x: number;
  y: number;
  label: ClassName;
  tissueFraction: number;
}

export interface TileCounts {
  gridCells: number;
  background: number;
  unlabeled: number;
  /** Tissue inside two labels' polygons: dropped. */
  overlap: number;
  /** Labelled with a TUDP label other than the two classes (norm, bckg, …). */
  otherLabel: number;
  indc: number;
  dcis: number;
}

export interface SlideCoordinates {
  geometry: PatchGeometry;
  thresholdGray: number;
  candidates: PatchCandidate[];
  counts: TileCounts;
}

/** Labels every grid patch from a tissue mask and label rasters on the same grid (pure, testable). */
export function labelGrid(
  mask: Pick<TissueMask, 'width' | 'height' | 'tissue'>,
  labelRasters: ReadonlyMap<TudpLabel, Uint8Array>,
  grid: { cols: number; rows: number; cellsPerPatch: number; footprintPx: number },
  options: Pick<TilerOptions, 'minTissueFraction' | 'minLabelFraction'>,
): { candidates: PatchCandidate[]; counts: TileCounts } {
  const counts: TileCounts = {
    gridCells: grid.cols * grid.rows,
    background: 0,
    unlabeled: 0,
    overlap: 0,
    otherLabel: 0,
    indc: 0,
    dcis: 0,
  };
  const candidates: PatchCandidate[] = [];
  const k = grid.cellsPerPatch;
  const labels = [...labelRasters.keys()];
  const inside = new Float64Array(labels.length);
  for (let gy = 0; gy < grid.rows; gy++) {
    for (let gx = 0; gx < grid.cols; gx++) {
      let tissueCells = 0;
      inside.fill(0);
      for (let r = gy * k; r < (gy + 1) * k; r++) {
        for (let c = gx * k; c < (gx + 1) * k; c++) {
          const i = r * mask.width + c;
          if (mask.tissue[i] !== 1) continue;
          tissueCells++;
          for (let l = 0; l < labels.length; l++) if (labelRasters.get(labels[l])![i] === 1) inside[l]++;
        }
      }
      const tissueFraction = tissueCells / (k * k);
      if (tissueFraction < options.minTissueFraction || tissueCells === 0) {
        counts.background++;
        continue;
      }
      // A label "touches" the patch when more than the tolerated remainder of its tissue is inside it.
      let touching = 0;
      let best = -1;
      for (let l = 0; l < labels.length; l++) {
        const fraction = inside[l] / tissueCells;
        if (fraction > 1 - options.minLabelFraction) touching++;
        if (fraction >= options.minLabelFraction) best = l;
      }
      if (touching >= 2) counts.overlap++;
      else if (best < 0) counts.unlabeled++;
      else if ((CLASS_NAMES as readonly string[]).includes(labels[best])) {
        const label = labels[best] as ClassName;
        counts[label]++;
        candidates.push({ x: gx * grid.footprintPx, y: gy * grid.footprintPx, label, tissueFraction });
      } else counts.otherLabel++;
    }
  }
  return { candidates, counts };
}

/**
 * Coordinates of every labelled tissue patch of one slide on a non-overlapping grid. Throws an
 * InputError when the slide has no tissue at all.
 */
export async function coordinatesFor(
  slide: Slide,
  regions: readonly LabeledRegion[],
  options: TilerOptions,
): Promise<SlideCoordinates> {
  const geometry = patchGeometry(slide, options);
  const { width: widthPx, height: heightPx } = slide.levels[0];
  const cols = Math.floor(widthPx / geometry.footprintPx);
  const rows = Math.floor(heightPx / geometry.footprintPx);
  if (cols === 0 || rows === 0) {
    throw new InputError(
      `slide (${widthPx} × ${heightPx} px) is smaller than one patch (${geometry.footprintPx} level-0 px)`,
      { file: slide.path },
    );
  }
  const cellPx = geometry.footprintPx / options.maskCellsPerPatch;
  const minObjectCells = Math.round(options.minObjectPatchFraction * options.maskCellsPerPatch ** 2);
  const mask = await computeTissueMask(slide, {
    cellPx,
    maxTissueGray: options.maxTissueGray,
    minContrastGray: options.minContrastGray,
    minObjectCells,
    rejectPen: options.rejectPen,
  });
  let tissueCells = 0;
  for (const t of mask.tissue) tissueCells += t;
  if (tissueCells === 0)
    throw new InputError('no tissue found (blank or uniform slide: Otsu mask is empty)', {
      file: slide.path,
    });
  const rasters = new Map<TudpLabel, Uint8Array>();
  for (const label of TUDP_LABELS) {
    const mine = regions.filter((r) => r.label === label);
    if (mine.length > 0) rasters.set(label, rasterizeRegions(mask, mine));
  }
  const { candidates, counts } = labelGrid(
    mask,
    rasters,
    { cols, rows, cellsPerPatch: options.maskCellsPerPatch, footprintPx: geometry.footprintPx },
    options,
  );
  if (counts.background === counts.gridCells) {
    throw new InputError(
      `no tissue patch: all ${counts.gridCells} grid cells are below ${options.minTissueFraction} tissue`,
      { file: slide.path },
    );
  }
  return { geometry, thresholdGray: mask.thresholdGray, candidates, counts };
}
