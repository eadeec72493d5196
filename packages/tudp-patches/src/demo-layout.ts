// Where things lie on a demo slide: one section of tissue (a wobbly rounded square on the glass),
// cut into two or three annotated sectors around an unannotated centre, with unannotated strips of
// stroma between them (so region borders fall on tissue, as they do on real annotations).
import type { Rng } from '@corpus-tune/core';
import type { StainCanvas } from './demo-canvas.ts';
import { fillPolygon } from './polygons.ts';
import type { ClassName } from './labels.ts';

export interface LayoutRegion {
  id: string;
  label: ClassName;
  vertices: Float64Array;
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

/** Draws the tissue outline into `canvas.tissue` and the sectors into `canvas.region`. */
export function layOutSlide(canvas: StainCanvas, rng: Rng): LayoutRegion[] {
  const { widthPx, heightPx } = canvas;
  const cx = widthPx / 2 + (rng.float() - 0.5) * 0.04 * widthPx;
  const cy = heightPx / 2 + (rng.float() - 0.5) * 0.04 * heightPx;
  const p1 = rng.float() * 6.3;
  const p2 = rng.float() * 6.3;
  const half = Math.min(widthPx, heightPx) / 2;
  const tissueRadius = (t: number): number => {
    const squircle = 1 / (Math.abs(Math.cos(t)) ** 4 + Math.abs(Math.sin(t)) ** 4) ** 0.25;
    const wobble = 1 + 0.05 * Math.sin(3 * t + p1) + 0.03 * Math.sin(5 * t + p2);
    // Never past the slide's edge: the outline stays inside the square in every direction.
    const edge = (0.95 * half) / Math.max(Math.abs(Math.cos(t)), Math.abs(Math.sin(t)));
    return Math.min(0.84 * half * squircle * wobble, edge);
  };
  const vertexCount = 180;
  const outline = new Float64Array(vertexCount * 2);
  for (let i = 0; i < vertexCount; i++) {
    const t = (i / vertexCount) * 2 * Math.PI;
    outline[2 * i] = cx + tissueRadius(t) * Math.cos(t);
    outline[2 * i + 1] = cy + tissueRadius(t) * Math.sin(t);
  }
  const grid = { width: widthPx, height: heightPx, cellPx: 1 };
  fillPolygon(grid, canvas.tissue, outline, 1);

  const sectors = 2 + rng.int(2);
  const gapRad = 0.14;
  const weights = Array.from({ length: sectors }, () => 0.7 + rng.float() * 0.6);
  const total = weights.reduce((a, b) => a + b, 0);
  const first: ClassName = rng.float() < 0.5 ? 'dcis' : 'indc';
  const hubPx = 0.16 * half;
  let angle = rng.float() * 2 * Math.PI;
  const regions: LayoutRegion[] = [];
  weights.forEach((w, k) => {
    const sweep = (w / total) * 2 * Math.PI - gapRad;
    const steps = Math.max(8, Math.ceil(sweep / 0.04));
    const points: number[] = [];
    for (let s = 0; s <= steps; s++) {
      const t = angle + (sweep * s) / steps;
      const r = tissueRadius(t) * 0.93;
      points.push(round1(cx + r * Math.cos(t)), round1(cy + r * Math.sin(t)));
    }
    for (let s = steps; s >= 0; s -= 2) {
      const t = angle + (sweep * s) / steps;
      points.push(round1(cx + hubPx * Math.cos(t)), round1(cy + hubPx * Math.sin(t)));
    }
    const vertices = Float64Array.from(points);
    fillPolygon(grid, canvas.region, vertices, k + 1);
    const label: ClassName = k % 2 === 0 ? first : first === 'dcis' ? 'indc' : 'dcis';
    regions.push({ id: String(k + 1), label, vertices });
    angle += sweep + gapRad;
  });
  // Only tissue is annotated tissue.
  for (let i = 0; i < canvas.region.length; i++) if (canvas.tissue[i] === 0) canvas.region[i] = 0;
  return regions;
}
