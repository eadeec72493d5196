// Decision-surface panels for the 2-D corpora: class regions from the model's grid predictions (paler
// where the model is less sure), the split's points over them, and the Bayes boundary where known,
// drawn into a raw RGBA buffer and encoded as PNG by sharp.
import sharp from 'sharp';
import type { Points } from '@corpus-tune/imld-gen';
import type { Surface, SurfaceGrid } from '@corpus-tune/train';
import type { ClassAt } from './bayes-boundary.ts';

/** Class colours (Vega's tableau10, so the charts and the surfaces agree). */
export const CLASS_COLORS: readonly (readonly [number, number, number])[] = [
  [76, 120, 168],
  [245, 133, 24],
  [84, 162, 75],
  [228, 87, 86],
  [114, 183, 178],
  [178, 121, 162],
];

export const hexColor = (k: number): string =>
  `#${CLASS_COLORS[k % CLASS_COLORS.length].map((c) => c.toString(16).padStart(2, '0')).join('')}`;

export interface SurfacePanelOptions {
  sizePx?: number;
  classCount: number;
}

/**
 * The cell holding (x, y): the grid's nx × ny cells tile [xMin, xMax] × [yMin, yMax]
 * (train's SurfaceGrid).
 */
function cellAt(grid: SurfaceGrid, x: number, y: number): number {
  const i = Math.floor(((x - grid.xMin) / (grid.xMax - grid.xMin)) * grid.nx);
  const j = Math.floor(((y - grid.yMin) / (grid.yMax - grid.yMin)) * grid.ny);
  return i < 0 || i >= grid.nx || j < 0 || j >= grid.ny ? -1 : j * grid.nx + i;
}

/** The class each pixel falls in (-1 outside the grid), pixel rows top to bottom. */
function classPerPixel(
  surface: Surface,
  view: SurfaceGrid,
  sizePx: number,
): { cls: Int8Array; prob: Float32Array } {
  const cls = new Int8Array(sizePx * sizePx).fill(-1);
  const prob = new Float32Array(sizePx * sizePx);
  for (let py = 0; py < sizePx; py++) {
    const y = view.yMax - ((py + 0.5) / sizePx) * (view.yMax - view.yMin);
    for (let px = 0; px < sizePx; px++) {
      const x = view.xMin + ((px + 0.5) / sizePx) * (view.xMax - view.xMin);
      const cell = cellAt(surface.grid, x, y);
      if (cell < 0) continue;
      cls[py * sizePx + px] = surface.predicted[cell];
      prob[py * sizePx + px] = surface.probMax[cell];
    }
  }
  return { cls, prob };
}

/**
 * The Bayes class of every pixel of a `sizePx`² view (rows top to bottom); one per split,
 * shared by panels.
 */
export function bayesPixels(classAt: ClassAt, view: SurfaceGrid, sizePx: number): Int8Array {
  const out = new Int8Array(sizePx * sizePx);
  for (let py = 0; py < sizePx; py++) {
    const y = view.yMax - ((py + 0.5) / sizePx) * (view.yMax - view.yMin);
    for (let px = 0; px < sizePx; px++)
      out[py * sizePx + px] = classAt(view.xMin + ((px + 0.5) / sizePx) * (view.xMax - view.xMin), y);
  }
  return out;
}

/**
 * One panel: regions of `surface`, `points` over them, and the dashed Bayes boundary from `bayes`
 * (per-pixel Bayes classes from bayesPixels over the same view and size).
 */
export async function surfacePanelPng(
  surface: Surface,
  points: Points | undefined,
  bayes: Int8Array | null,
  options: SurfacePanelOptions,
): Promise<Buffer> {
  const size = options.sizePx ?? 300;
  const view = surface.grid;
  const rgba = new Uint8ClampedArray(size * size * 4);
  const { cls, prob } = classPerPixel(surface, view, size);
  const chance = 1 / Math.max(2, options.classCount);
  for (let p = 0; p < size * size; p++) {
    const k = cls[p];
    let rgb: readonly number[] = [235, 235, 235];
    if (k >= 0) {
      const sure = Math.min(1, Math.max(0, (prob[p] - chance) / (1 - chance)));
      const tint = 0.18 + 0.3 * sure;
      rgb = CLASS_COLORS[k % CLASS_COLORS.length].map((c) => 255 - (255 - c) * tint);
    }
    rgba.set([rgb[0], rgb[1], rgb[2], 255], p * 4);
  }
  // The model's own boundary: a thin grey line where the predicted class changes.
  for (let py = 0; py < size - 1; py++) {
    for (let px = 0; px < size - 1; px++) {
      const p = py * size + px;
      if (cls[p] >= 0 && (cls[p] !== cls[p + 1] || cls[p] !== cls[p + size]))
        rgba.set([120, 120, 120, 255], p * 4);
    }
  }
  if (points) {
    const n = points.label.length;
    const alpha = Math.min(0.9, Math.max(0.06, 15000 / Math.max(1, n)));
    const dot = n > 20000 ? 1 : 2;
    for (let k = 0; k < n; k++) {
      const px = Math.floor(((points.x[k] - view.xMin) / (view.xMax - view.xMin)) * size);
      const py = Math.floor(((view.yMax - points.y[k]) / (view.yMax - view.yMin)) * size);
      const color = CLASS_COLORS[points.label[k] % CLASS_COLORS.length].map((c) => c * 0.7);
      for (let dy = 0; dy < dot; dy++) {
        for (let dx = 0; dx < dot; dx++) {
          const x = px + dx;
          const y = py + dy;
          if (x < 0 || x >= size || y < 0 || y >= size) continue;
          const o = (y * size + x) * 4;
          for (let ch = 0; ch < 3; ch++) rgba[o + ch] = rgba[o + ch] * (1 - alpha) + color[ch] * alpha;
        }
      }
    }
  }
  if (bayes) {
    const b = bayes;
    for (let py = 0; py < size - 1; py++) {
      for (let px = 0; px < size - 1; px++) {
        const p = py * size + px;
        if (b[p] < 0 || (b[p] === b[p + 1] && b[p] === b[p + size])) continue;
        if ((px + py) % 8 < 5) {
          rgba.set([0, 0, 0, 255], p * 4);
          rgba.set([0, 0, 0, 255], (p + 1) * 4);
        }
      }
    }
  }
  return sharp(Buffer.from(rgba.buffer), { raw: { width: size, height: size, channels: 4 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
}
