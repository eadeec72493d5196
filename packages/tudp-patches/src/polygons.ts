// Polygon membership, written by hand: the only need is even-odd fill on a regular grid, which is a
// dozen lines of scanline code — a geometry library (turf, clipper) would add far more than it saves.

/** Even-odd point-in-polygon test for a flat [x0, y0, x1, y1, …] ring (the independent reference). */
export function pointInPolygon(x: number, y: number, vertices: ArrayLike<number>): boolean {
  let inside = false;
  const n = vertices.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = vertices[2 * i];
    const yi = vertices[2 * i + 1];
    const xj = vertices[2 * j];
    const yj = vertices[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A raster over level-0 space: cell (c, r) covers [c·cellPx, (c+1)·cellPx) × [r·cellPx, (r+1)·cellPx). */
export interface GridSpec {
  width: number;
  height: number;
  cellPx: number;
}

/**
 * Sets `value` in every cell whose centre lies inside the polygon (even-odd rule), by scanlines:
 * O(rows × edges) instead of O(cells × edges), so outlines with thousands of vertices stay cheap.
 */
export function fillPolygon(grid: GridSpec, out: Uint8Array, vertices: ArrayLike<number>, value = 1): void {
  const n = vertices.length / 2;
  if (n < 3) return;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minY = Math.min(minY, vertices[2 * i + 1]);
    maxY = Math.max(maxY, vertices[2 * i + 1]);
  }
  const rowStart = Math.max(0, Math.floor(minY / grid.cellPx - 0.5));
  const rowEnd = Math.min(grid.height - 1, Math.ceil(maxY / grid.cellPx - 0.5));
  const crossings: number[] = [];
  for (let row = rowStart; row <= rowEnd; row++) {
    const y = (row + 0.5) * grid.cellPx;
    crossings.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const yi = vertices[2 * i + 1];
      const yj = vertices[2 * j + 1];
      // Same half-open rule as pointInPolygon, so both agree exactly on vertices and edges.
      if (yi > y !== yj > y) {
        const xi = vertices[2 * i];
        const xj = vertices[2 * j];
        crossings.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
      }
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Cells whose centre x satisfies crossings[k] <= x < crossings[k+1]... pointInPolygon counts a
      // crossing when x < crossing, i.e. inside for crossings[k] <= x < crossings[k+1].
      const c0 = Math.max(0, Math.ceil(crossings[k] / grid.cellPx - 0.5));
      const c1 = Math.min(grid.width - 1, Math.ceil(crossings[k + 1] / grid.cellPx - 0.5) - 1);
      for (let c = c0; c <= c1; c++) out[row * grid.width + c] = value;
    }
  }
}

/** Union of a label's regions minus its negative (hole) regions, as a 0/1 grid. */
export function rasterizeRegions(
  grid: GridSpec,
  regions: readonly { vertices: ArrayLike<number>; negative: boolean }[],
): Uint8Array {
  const out = new Uint8Array(grid.width * grid.height);
  for (const r of regions) if (!r.negative) fillPolygon(grid, out, r.vertices, 1);
  for (const r of regions) if (r.negative) fillPolygon(grid, out, r.vertices, 0);
  return out;
}
