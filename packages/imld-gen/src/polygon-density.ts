import type { Polygon } from './recipe-types.ts';

/** Even–odd point-in-polygons test: a point inside an odd number of polygons is inside. */
export function insidePolygons(polygons: readonly Polygon[], px: number, py: number): boolean {
  let inside = false;
  for (const polygon of polygons) {
    for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
      const [xi, yi] = polygon[i];
      const [xj, yj] = polygon[j];
      if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

export interface Bounds {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export function polygonBounds(polygons: readonly Polygon[]): Bounds {
  const b = { xMin: Infinity, xMax: -Infinity, yMin: Infinity, yMax: -Infinity };
  for (const polygon of polygons) {
    for (const [x, y] of polygon) {
      b.xMin = Math.min(b.xMin, x);
      b.xMax = Math.max(b.xMax, x);
      b.yMin = Math.min(b.yMin, y);
      b.yMax = Math.max(b.yMax, y);
    }
  }
  return b;
}

/** A density tabulated on a regular grid, read back by bilinear interpolation (0 outside). */
export interface GridDensity {
  bounds: Bounds;
  cellSize: number;
  nx: number;
  ny: number;
  values: Float64Array;
  /** Area of the polygons (even–odd), from the supersampled raster. */
  area: number;
}

const GRID_CELLS = 256;
const SUPERSAMPLE = 8;
const KERNEL_SIGMAS = 5;

/**
 * Density of "uniform inside the polygons, plus N(0, noiseStd²·I)": the polygons' coverage raster
 * (8×8 supersampled per cell, 256 cells across) divided by their area, convolved with a sampled Gaussian kernel along
 * x then y. No library offers a Gaussian-blurred polygon density, and there is no closed form for
 * general polygons, so it is tabulated here; tests check it against the rectangle's closed form.
 */
export function shapesDensityGrid(polygons: readonly Polygon[], noiseStd: number): GridDensity {
  const pb = polygonBounds(polygons);
  const margin = KERNEL_SIGMAS * noiseStd;
  const extent = Math.max(pb.xMax - pb.xMin, pb.yMax - pb.yMin) + 2 * margin;
  const cellSize = extent / GRID_CELLS;
  const bounds = {
    xMin: pb.xMin - margin,
    xMax: pb.xMax + margin,
    yMin: pb.yMin - margin,
    yMax: pb.yMax + margin,
  };
  const nx = Math.max(1, Math.ceil((bounds.xMax - bounds.xMin) / cellSize));
  const ny = Math.max(1, Math.ceil((bounds.yMax - bounds.yMin) / cellSize));
  const coverage = polygonCoverage(polygons, bounds, cellSize, nx, ny);
  let covered = 0;
  for (let i = 0; i < coverage.length; i++) covered += coverage[i];
  const area = covered * cellSize * cellSize;
  if (area <= 0) throw new RangeError('polygons enclose no area');
  const values = noiseStd > 0 ? blurSeparable(coverage, nx, ny, noiseStd / cellSize) : coverage;
  for (let i = 0; i < values.length; i++) values[i] /= area;
  return { bounds, cellSize, nx, ny, values, area };
}

/**
 * Fraction of each cell inside the polygons (even–odd), from SUPERSAMPLE² sample points per cell.
 * Scanline fill: per sample row, the sorted edge crossings delimit the inside spans, so the cost
 * is rows × edges + samples instead of samples × edges.
 */
function polygonCoverage(
  polygons: readonly Polygon[],
  bounds: Bounds,
  cellSize: number,
  nx: number,
  ny: number,
): Float64Array {
  const coverage = new Float64Array(nx * ny);
  const sub = cellSize / SUPERSAMPLE;
  const weight = 1 / (SUPERSAMPLE * SUPERSAMPLE);
  const columns = nx * SUPERSAMPLE;
  const crossings: number[] = [];
  for (let row = 0; row < ny * SUPERSAMPLE; row++) {
    const py = bounds.yMin + (row + 0.5) * sub;
    crossings.length = 0;
    for (const polygon of polygons) {
      for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
        const [xi, yi] = polygon[i];
        const [xj, yj] = polygon[j];
        if (yi > py !== yj > py) crossings.push(((xj - xi) * (py - yi)) / (yj - yi) + xi);
      }
    }
    if (crossings.length === 0) continue;
    crossings.sort((a, b) => a - b);
    const cellRow = Math.floor(row / SUPERSAMPLE) * nx;
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Sample column c sits at xMin + (c + 0.5)·sub; take those strictly inside [left, right).
      const first = Math.max(0, Math.ceil((crossings[k] - bounds.xMin) / sub - 0.5));
      const last = Math.min(columns - 1, Math.ceil((crossings[k + 1] - bounds.xMin) / sub - 0.5) - 1);
      for (let c = first; c <= last; c++) coverage[cellRow + Math.floor(c / SUPERSAMPLE)] += weight;
    }
  }
  return coverage;
}

function blurSeparable(input: Float64Array, nx: number, ny: number, sigmaCells: number): Float64Array {
  const radius = Math.ceil(KERNEL_SIGMAS * sigmaCells);
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++)
    sum += kernel[k + radius] = Math.exp((-0.5 * k * k) / (sigmaCells * sigmaCells));
  for (let k = 0; k < kernel.length; k++) kernel[k] /= sum;
  const tmp = new Float64Array(nx * ny);
  for (let iy = 0; iy < ny; iy++) {
    const row = iy * nx;
    for (let ix = 0; ix < nx; ix++) {
      const v = input[row + ix];
      if (v === 0) continue;
      const lo = Math.max(0, ix - radius);
      const hi = Math.min(nx - 1, ix + radius);
      for (let jx = lo; jx <= hi; jx++) tmp[row + jx] += v * kernel[jx - ix + radius];
    }
  }
  const out = new Float64Array(nx * ny);
  for (let iy = 0; iy < ny; iy++) {
    const lo = Math.max(0, iy - radius);
    const hi = Math.min(ny - 1, iy + radius);
    for (let ix = 0; ix < nx; ix++) {
      const v = tmp[iy * nx + ix];
      if (v === 0) continue;
      for (let jy = lo; jy <= hi; jy++) out[jy * nx + ix] += v * kernel[jy - iy + radius];
    }
  }
  return out;
}

/** Bilinear read of a grid density at (px, py), treating values as sampled at cell centres. */
export function gridDensityAt(grid: GridDensity, px: number, py: number): number {
  // Hot path of the Bayes-error Monte Carlo: no closures here (tsx wraps each in a naming helper).
  const { nx, ny, values } = grid;
  const fx = (px - grid.bounds.xMin) / grid.cellSize - 0.5;
  const fy = (py - grid.bounds.yMin) / grid.cellSize - 0.5;
  const ix = Math.floor(fx);
  const iy = Math.floor(fy);
  if (ix < -1 || iy < -1 || ix >= nx || iy >= ny) return 0;
  const tx = fx - ix;
  const ty = fy - iy;
  const x0ok = ix >= 0;
  const x1ok = ix + 1 < nx;
  const v00 = x0ok && iy >= 0 ? values[iy * nx + ix] : 0;
  const v10 = x1ok && iy >= 0 ? values[iy * nx + ix + 1] : 0;
  const v01 = x0ok && iy + 1 < ny ? values[(iy + 1) * nx + ix] : 0;
  const v11 = x1ok && iy + 1 < ny ? values[(iy + 1) * nx + ix + 1] : 0;
  return (1 - ty) * ((1 - tx) * v00 + tx * v10) + ty * ((1 - tx) * v01 + tx * v11);
}
