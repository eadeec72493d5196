// The two classes as structure, not as colour: both draw the same tumour cells (paintCell) at the
// same density per region area; dcis puts them inside round ducts with an intact rim (basement
// membrane + a ring of myoepithelial nuclei), indc in cords, small rimless glands and single cells
// loose in the stroma. Mean colour and texture of a patch then carry (almost) no class signal.
import type { Rng } from '@corpus-tune/core';
import { clearDisk, forDisk, isFree, paintCell, paintNucleus, px } from './demo-canvas.ts';
import type { StainCanvas } from './demo-canvas.ts';

export const REGION_GENERATORS = { dcis: 'dcis-ducts', indc: 'indc-cords' } as const;
export type RegionGenerator = (typeof REGION_GENERATORS)[keyof typeof REGION_GENERATORS];

/** Tumour nuclei per µm² of an annotated region, the same for both classes. */
export const TUMOUR_NUCLEI_PER_UM2 = 0.002;

export interface StructureCounts {
  tumourNuclei: number;
  /** dcis-ducts: ducts by filling pattern. */
  ducts?: Record<DuctPattern, number>;
  /** indc-cords: structures by kind. */
  cords?: number;
  glands?: number;
  singleCellGroups?: number;
}

const DUCT_PATTERNS = ['solid', 'cribriform', 'comedo', 'lumen'] as const;
type DuctPattern = (typeof DUCT_PATTERNS)[number];

/** Stroma everywhere in the tissue: fibrous eosin with sparse fibroblast nuclei (both classes alike). */
export function paintStroma(canvas: StainCanvas, rng: Rng): void {
  const { widthPx, heightPx } = canvas;
  const waves = Array.from({ length: 3 }, () => {
    const angle = rng.float() * Math.PI;
    const periodPx = px(canvas, 14 + rng.float() * 30);
    return {
      kx: (Math.cos(angle) * 2 * Math.PI) / periodPx,
      ky: (Math.sin(angle) * 2 * Math.PI) / periodPx,
      phase: rng.float() * 6.3,
    };
  });
  const warp = (2 * Math.PI) / px(canvas, 150 + rng.float() * 150);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      const i = y * widthPx + x;
      if (canvas.tissue[i] === 0) continue;
      const bend = 2.5 * Math.sin(warp * (x + y));
      let f = 0;
      for (const w of waves) f += Math.sin(w.kx * x + w.ky * y + w.phase + bend);
      canvas.eosin[i] = 0.36 + 0.06 * f;
      canvas.hematoxylin[i] = 0.04;
    }
  }
  // Fibroblasts: small elongated nuclei along a random direction.
  const count = Math.round((widthPx * heightPx * canvas.mpp ** 2) / 2500);
  for (let k = 0; k < count; k++) {
    const x = rng.float() * widthPx;
    const y = rng.float() * heightPx;
    const i = Math.floor(y) * widthPx + Math.floor(x);
    if (canvas.tissue[i] === 0) continue;
    const angle = rng.float() * Math.PI;
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const a = px(canvas, 5);
    const b = px(canvas, 1.8);
    forDisk(canvas, x, y, a + 1, (j) => {
      const dx = (j % widthPx) - x;
      const dy = Math.floor(j / widthPx) - y;
      const u = (dx * c + dy * s) / a;
      const v = (-dx * s + dy * c) / b;
      if (u * u + v * v <= 1) canvas.hematoxylin[j] = Math.max(canvas.hematoxylin[j], 1.1);
    });
  }
}

/** Random point of region `regionValue` (rejection sampling in its bounding box). */
function pointIn(
  canvas: StainCanvas,
  rng: Rng,
  box: RegionBox,
  regionValue: number,
): [number, number] | null {
  for (let tries = 0; tries < 200; tries++) {
    const x = box.x0 + rng.float() * (box.x1 - box.x0);
    const y = box.y0 + rng.float() * (box.y1 - box.y0);
    if (isFree(canvas, x, y, regionValue)) return [x, y];
  }
  return null;
}

export interface RegionBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Region pixels. */
  areaPx: number;
}

function targetNuclei(canvas: StainCanvas, box: RegionBox): number {
  return Math.round(box.areaPx * canvas.mpp ** 2 * TUMOUR_NUCLEI_PER_UM2);
}

/** Cells on a jittered hexagonal lattice inside a duct, skipping spots `skip` rejects. */
function fillDuct(
  canvas: StainCanvas,
  rng: Rng,
  cx: number,
  cy: number,
  innerPx: number,
  skip: (dx: number, dy: number) => boolean,
): number {
  const stepPx = px(canvas, 10.5);
  let n = 0;
  for (let row = -Math.ceil(innerPx / stepPx); row <= innerPx / stepPx; row++) {
    const dy = row * stepPx * 0.866;
    const offset = row % 2 === 0 ? 0 : stepPx / 2;
    for (let dx = -innerPx - offset; dx <= innerPx; dx += stepPx) {
      const jx = dx + offset + (rng.float() - 0.5) * stepPx * 0.35;
      const jy = dy + (rng.float() - 0.5) * stepPx * 0.35;
      if (jx * jx + jy * jy > innerPx * innerPx || skip(jx, jy)) continue;
      paintNucleus(canvas, rng, cx + jx, cy + jy);
      n++;
    }
  }
  return n;
}

/** One duct of carcinoma in situ: intact rim, then a filling pattern. Returns its tumour nuclei. */
function paintDuct(
  canvas: StainCanvas,
  rng: Rng,
  cx: number,
  cy: number,
  radiusPx: number,
  regionValue: number,
  pattern: DuctPattern,
): number {
  const p1 = rng.float() * 6.3;
  const p2 = rng.float() * 6.3;
  const rimOf = (theta: number): number =>
    radiusPx * (1 + 0.05 * Math.sin(2 * theta + p1) + 0.03 * Math.sin(3 * theta + p2));
  const membranePx = px(canvas, 2.5);
  forDisk(canvas, cx, cy, radiusPx * 1.09 + membranePx, (i, d) => {
    const x = i % canvas.widthPx;
    const y = (i - x) / canvas.widthPx;
    const rim = rimOf(Math.atan2(y - cy, x - cx));
    if (d > rim + membranePx) return;
    canvas.occupied[i] = 1;
    if (d > rim) {
      canvas.hematoxylin[i] = 0.05;
      canvas.eosin[i] = 0.6;
    } else {
      canvas.hematoxylin[i] = 0.12;
      canvas.eosin[i] = 0.3;
    }
  });
  // Myoepithelial layer: flat nuclei just inside the membrane, all the way round.
  const ringPx = radiusPx - px(canvas, 4);
  const around = Math.max(8, Math.round((2 * Math.PI * ringPx) / px(canvas, 9)));
  for (let k = 0; k < around; k++) {
    const theta = ((k + rng.float() * 0.3) / around) * 2 * Math.PI;
    const r = rimOf(theta) - px(canvas, 3.5);
    const x = cx + r * Math.cos(theta);
    const y = cy + r * Math.sin(theta);
    forDisk(canvas, x, y, px(canvas, 2.6), (i) => {
      canvas.hematoxylin[i] = Math.max(canvas.hematoxylin[i], 1.5);
    });
  }
  const innerPx = radiusPx * 0.93 - px(canvas, 9);
  if (pattern === 'solid') return fillDuct(canvas, rng, cx, cy, innerPx, () => false);
  if (pattern === 'cribriform') {
    const holes = Array.from({ length: 2 + rng.int(4) }, () => {
      const r = innerPx * 0.6 * Math.sqrt(rng.float());
      const a = rng.float() * 6.3;
      return [r * Math.cos(a), r * Math.sin(a), px(canvas, 5 + rng.float() * 7)];
    });
    for (const [hx, hy, hr] of holes) clearDisk(canvas, cx + hx, cy + hy, hr, true);
    return fillDuct(canvas, rng, cx, cy, innerPx, (dx, dy) =>
      holes.some(([hx, hy, hr]) => (dx - hx) ** 2 + (dy - hy) ** 2 < (hr + px(canvas, 4)) ** 2),
    );
  }
  const coreRadiusPx = innerPx * (0.35 + rng.float() * 0.25);
  if (pattern === 'comedo') {
    // Central necrosis: pale eosinophilic debris with nuclear dust.
    forDisk(canvas, cx, cy, coreRadiusPx, (i) => {
      canvas.eosin[i] = 0.38;
      canvas.hematoxylin[i] = 0.05;
    });
    const specks = Math.round(coreRadiusPx ** 2 / 30);
    for (let k = 0; k < specks; k++) {
      const r = coreRadiusPx * Math.sqrt(rng.float());
      const a = rng.float() * 6.3;
      forDisk(canvas, cx + r * Math.cos(a), cy + r * Math.sin(a), px(canvas, 1.2), (i) => {
        canvas.hematoxylin[i] = 0.9;
      });
    }
  } else clearDisk(canvas, cx, cy, coreRadiusPx, true);
  const keepOut = (coreRadiusPx + px(canvas, 4)) ** 2;
  return fillDuct(canvas, rng, cx, cy, innerPx, (dx, dy) => dx * dx + dy * dy < keepOut);
}

/** Fills one annotated region with ducts until it holds the target tumour-nuclei density. */
export function paintDcisRegion(
  canvas: StainCanvas,
  rng: Rng,
  box: RegionBox,
  regionValue: number,
): StructureCounts {
  const target = targetNuclei(canvas, box);
  const ducts = Object.fromEntries(DUCT_PATTERNS.map((p) => [p, 0])) as Record<DuctPattern, number>;
  let nuclei = 0;
  for (let tries = 0; nuclei < target && tries < 4000; tries++) {
    const at = pointIn(canvas, rng, box, regionValue);
    if (at === null) break;
    const radiusPx = px(canvas, 55 + rng.float() * 75);
    // The whole duct, rim included, must lie free inside this region: a dcis rim is never cut.
    const reach = radiusPx * 1.12 + px(canvas, 6);
    let free = true;
    for (let k = 0; k < 24 && free; k++) {
      const a = (k / 24) * 2 * Math.PI;
      for (const f of [0.5, 1]) {
        if (!isFree(canvas, at[0] + f * reach * Math.cos(a), at[1] + f * reach * Math.sin(a), regionValue))
          free = false;
      }
    }
    if (!free) continue;
    const pattern = DUCT_PATTERNS[rng.int(DUCT_PATTERNS.length)];
    nuclei += paintDuct(canvas, rng, at[0], at[1], radiusPx, regionValue, pattern);
    ducts[pattern]++;
  }
  return { tumourNuclei: nuclei, ducts };
}

/** Fills one annotated region with invasive cords, rimless glands and single cells, same density. */
export function paintIndcRegion(
  canvas: StainCanvas,
  rng: Rng,
  box: RegionBox,
  regionValue: number,
): StructureCounts {
  const target = targetNuclei(canvas, box);
  const counts = { tumourNuclei: 0, cords: 0, glands: 0, singleCellGroups: 0 };
  const stepPx = px(canvas, 11.5);
  for (let tries = 0; counts.tumourNuclei < target && tries < 20000; tries++) {
    const at = pointIn(canvas, rng, box, regionValue);
    if (at === null) break;
    const kind = rng.float();
    if (kind < 0.55) {
      // A cord: a bending chain one or two cells wide.
      let [x, y] = at;
      let angle = rng.float() * 2 * Math.PI;
      const length = 4 + rng.int(14);
      const wide = rng.float() < 0.5;
      let drawn = 0;
      for (let k = 0; k < length; k++) {
        if (paintCell(canvas, rng, x, y, regionValue)) drawn++;
        if (wide) {
          const ox = x - Math.sin(angle) * stepPx;
          const oy = y + Math.cos(angle) * stepPx;
          if (paintCell(canvas, rng, ox, oy, regionValue)) drawn++;
        }
        angle += (rng.float() - 0.5) * 0.8;
        x += Math.cos(angle) * stepPx;
        y += Math.sin(angle) * stepPx;
      }
      counts.tumourNuclei += drawn;
      if (drawn > 0) counts.cords++;
    } else if (kind < 0.8) {
      // A small angular gland without rim: a broken ring of cells around a small lumen.
      const lumenPx = px(canvas, 4 + rng.float() * 8);
      const ringPx = lumenPx + stepPx / 2;
      const around = Math.max(5, Math.round((2 * Math.PI * ringPx) / stepPx));
      const gapAt = rng.int(around);
      const gap = rng.float() < 0.7 ? 1 + rng.int(2) : 0;
      let drawn = 0;
      for (let k = 0; k < around; k++) {
        if ((k - gapAt + around) % around < gap) continue;
        const a = (k / around) * 2 * Math.PI;
        const r = ringPx * (0.85 + rng.float() * 0.3);
        if (paintCell(canvas, rng, at[0] + r * Math.cos(a), at[1] + r * Math.sin(a), regionValue)) drawn++;
      }
      if (drawn > 0) {
        forDisk(canvas, at[0], at[1], lumenPx, (i) => {
          if (canvas.region[i] !== regionValue) return;
          canvas.hematoxylin[i] = 0;
          canvas.eosin[i] = 0;
          canvas.occupied[i] = 1;
        });
        counts.glands++;
      }
      counts.tumourNuclei += drawn;
    } else {
      // Single cells scattered in the stroma.
      const n = 2 + rng.int(5);
      let drawn = 0;
      for (let k = 0; k < n; k++) {
        const r = px(canvas, 50) * Math.sqrt(rng.float());
        const a = rng.float() * 2 * Math.PI;
        if (paintCell(canvas, rng, at[0] + r * Math.cos(a), at[1] + r * Math.sin(a), regionValue)) drawn++;
      }
      counts.tumourNuclei += drawn;
      if (drawn > 0) counts.singleCellGroups++;
    }
  }
  return counts;
}
