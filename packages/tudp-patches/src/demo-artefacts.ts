// What makes real slides messy besides the stain: fat (clusters of large empty adipocytes), tears
// (empty holes), folds (tissue lying on itself: darker, more saturated bands), pathologists' pen
// marks (green / blue / black ink over glass and tissue) and dust specks. Each returns the record the
// manifest lists, in level-0 px.
import type { Rng } from '@corpus-tune/core';
import { clearDisk, forDisk, px } from './demo-canvas.ts';
import type { StainCanvas } from './demo-canvas.ts';
import { PEN_COLOURS } from './demo-stain.ts';
import type { PenColour } from './demo-stain.ts';

export interface FatRecord {
  centreX: number;
  centreY: number;
  radiusPx: number;
  adipocytes: number;
}
export interface HoleRecord {
  centreX: number;
  centreY: number;
  radiusPx: number;
}
export interface FoldRecord {
  /** Centre line from (x0, y0) to (x1, y1), bending by `bendPx` at its middle. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  bendPx: number;
  widthPx: number;
}
export interface PenRecord {
  colour: PenColour;
  /** Polyline, [x0, y0, x1, y1, …], level-0 px. */
  points: number[];
  widthPx: number;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

function tissuePoint(canvas: StainCanvas, rng: Rng): [number, number] {
  for (let tries = 0; tries < 1000; tries++) {
    const x = rng.float() * canvas.widthPx;
    const y = rng.float() * canvas.heightPx;
    if (canvas.tissue[Math.floor(y) * canvas.widthPx + Math.floor(x)] === 1) return [x, y];
  }
  return [canvas.widthPx / 2, canvas.heightPx / 2];
}

/** Fat lobules, drawn before the tumour structures (which then avoid them). */
export function paintFat(canvas: StainCanvas, rng: Rng, count: number): FatRecord[] {
  const out: FatRecord[] = [];
  for (let k = 0; k < count; k++) {
    const [cx, cy] = tissuePoint(canvas, rng);
    const radiusPx = px(canvas, 120 + rng.float() * 200);
    // Septa: thin pink membranes between the cells, then the cells punched out.
    forDisk(canvas, cx, cy, radiusPx, (i) => {
      if (canvas.tissue[i] === 0) return;
      canvas.eosin[i] = 0.45;
      canvas.hematoxylin[i] = 0.03;
      canvas.occupied[i] = 1;
    });
    let adipocytes = 0;
    for (let tries = 0; tries < 400; tries++) {
      const r = radiusPx * Math.sqrt(rng.float());
      const a = rng.float() * 2 * Math.PI;
      const x = cx + r * Math.cos(a);
      const y = cy + r * Math.sin(a);
      const cellPx = px(canvas, 22 + rng.float() * 28);
      let free = true;
      forDisk(canvas, x, y, cellPx + px(canvas, 2), (i) => {
        if (canvas.eosin[i] === 0) free = false;
      });
      if (!free) continue;
      clearDisk(canvas, x, y, cellPx, true);
      adipocytes++;
    }
    out.push({ centreX: round1(cx), centreY: round1(cy), radiusPx: round1(radiusPx), adipocytes });
  }
  return out;
}

/** Tears: irregular empty holes cut through whatever lies there. */
export function paintHoles(canvas: StainCanvas, rng: Rng, count: number): HoleRecord[] {
  const out: HoleRecord[] = [];
  for (let k = 0; k < count; k++) {
    const [cx, cy] = tissuePoint(canvas, rng);
    const radiusPx = px(canvas, 60 + rng.float() * 140);
    for (let lobe = 0; lobe < 4; lobe++) {
      const a = rng.float() * 2 * Math.PI;
      clearDisk(
        canvas,
        cx + 0.4 * radiusPx * Math.cos(a),
        cy + 0.4 * radiusPx * Math.sin(a),
        radiusPx * 0.6,
        true,
      );
    }
    clearDisk(canvas, cx, cy, radiusPx * 0.6, true);
    out.push({ centreX: round1(cx), centreY: round1(cy), radiusPx: round1(radiusPx) });
  }
  return out;
}

/** Folds: the section lies on itself along a bent band — about twice the stain there. */
export function paintFolds(canvas: StainCanvas, rng: Rng, count: number): FoldRecord[] {
  const out: FoldRecord[] = [];
  for (let k = 0; k < count; k++) {
    const [cx, cy] = tissuePoint(canvas, rng);
    const lengthPx = px(canvas, 600 + rng.float() * 1200);
    const angle = rng.float() * Math.PI;
    const fold: FoldRecord = {
      x0: round1(cx - (Math.cos(angle) * lengthPx) / 2),
      y0: round1(cy - (Math.sin(angle) * lengthPx) / 2),
      x1: round1(cx + (Math.cos(angle) * lengthPx) / 2),
      y1: round1(cy + (Math.sin(angle) * lengthPx) / 2),
      bendPx: round1((rng.float() - 0.5) * lengthPx * 0.4),
      widthPx: round1(px(canvas, 40 + rng.float() * 80)),
    };
    const steps = Math.ceil(lengthPx / (fold.widthPx / 4));
    const seen = new Uint8Array(canvas.widthPx * canvas.heightPx);
    for (let s = 0; s <= steps; s++) {
      const [x, y] = alongBentLine(fold, s / steps);
      forDisk(canvas, x, y, fold.widthPx / 2, (i) => {
        if (seen[i] === 1 || canvas.tissue[i] === 0) return;
        seen[i] = 1;
        canvas.hematoxylin[i] *= 1.9;
        canvas.eosin[i] = canvas.eosin[i] * 1.9 + 0.1;
      });
    }
    out.push(fold);
  }
  return out;
}

function alongBentLine(f: FoldRecord, t: number): [number, number] {
  const length = Math.hypot(f.x1 - f.x0, f.y1 - f.y0) || 1;
  const nx = -(f.y1 - f.y0) / length;
  const ny = (f.x1 - f.x0) / length;
  const bend = f.bendPx * 4 * t * (1 - t);
  return [f.x0 + (f.x1 - f.x0) * t + nx * bend, f.y0 + (f.y1 - f.y0) * t + ny * bend];
}

/** Pen strokes: arcs around part of the tissue (as pathologists circle areas), over glass and tissue. */
export function paintPen(canvas: StainCanvas, rng: Rng, count: number): PenRecord[] {
  const out: PenRecord[] = [];
  const cx = canvas.widthPx / 2;
  const cy = canvas.heightPx / 2;
  for (let k = 0; k < count; k++) {
    const colourIndex = rng.int(PEN_COLOURS.length);
    const radiusPx = Math.min(cx, cy) * (0.55 + rng.float() * 0.4);
    const start = rng.float() * 2 * Math.PI;
    const sweep = 0.5 + rng.float() * 1.2;
    const widthPx = round1(px(canvas, 50 + rng.float() * 90));
    const points: number[] = [];
    const steps = 16;
    for (let s = 0; s <= steps; s++) {
      const a = start + (sweep * s) / steps;
      const r = radiusPx * (1 + 0.04 * Math.sin(5 * a));
      points.push(round1(cx + r * Math.cos(a)), round1(cy + r * Math.sin(a)));
    }
    const density = 0.9 + rng.float() * 0.1;
    for (let s = 0; s + 3 < points.length; s += 2) {
      const [x0, y0, x1, y1] = points.slice(s, s + 4);
      const segmentSteps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) / (widthPx / 4));
      for (let t = 0; t <= segmentSteps; t++) {
        const x = x0 + ((x1 - x0) * t) / segmentSteps;
        const y = y0 + ((y1 - y0) * t) / segmentSteps;
        forDisk(canvas, x, y, widthPx / 2, (i, d) => {
          canvas.pen[i] = colourIndex + 1;
          canvas.penDensity[i] = Math.max(
            canvas.penDensity[i],
            density * Math.min(1, (widthPx / 2 - d) / 1.5),
          );
        });
      }
    }
    out.push({ colour: PEN_COLOURS[colourIndex], points, widthPx });
  }
  return out;
}

/** Dust: a few tiny dark specks on the glass that the mask's small-object removal must drop. */
export function paintDust(canvas: StainCanvas, rng: Rng, count: number): HoleRecord[] {
  const out: HoleRecord[] = [];
  for (let k = 0; k < count; k++) {
    const x = rng.float() * canvas.widthPx;
    const y = rng.float() * canvas.heightPx;
    if (canvas.tissue[Math.floor(y) * canvas.widthPx + Math.floor(x)] === 1) continue;
    const radiusPx = px(canvas, 8 + rng.float() * 10);
    forDisk(canvas, x, y, radiusPx, (i) => {
      canvas.hematoxylin[i] = 0.8;
      canvas.eosin[i] = 0.6;
    });
    out.push({ centreX: round1(x), centreY: round1(y), radiusPx: round1(radiusPx) });
  }
  return out;
}
