import type { Rng } from '@corpus-tune/core';
import type {
  Component,
  GaussianComponent,
  RingComponent,
  ShapesComponent,
  YinYangComponent,
} from './recipe-types.ts';
import { gridDensityAt, insidePolygons, polygonBounds, shapesDensityGrid } from './polygon-density.ts';
import type { GridDensity } from './polygon-density.ts';

/** A generator that can both draw points and evaluate its exact density (for the Bayes error). */
export interface ComponentModel {
  /** Writes one draw into out[0], out[1]. */
  sample(rng: Rng, out: Float64Array): void;
  /** Writes `xs.length` draws into xs, ys (the bulk path used to generate splits). */
  sampleMany(rng: Rng, xs: Float64Array, ys: Float64Array): void;
  density(px: number, py: number): number;
}

function withPointwiseBulk(model: Omit<ComponentModel, 'sampleMany'>): ComponentModel {
  const point = new Float64Array(2);
  return {
    ...model,
    sampleMany(rng, xs, ys) {
      for (let i = 0; i < xs.length; i++) {
        model.sample(rng, point);
        xs[i] = point[0];
        ys[i] = point[1];
      }
    },
  };
}

const TWO_PI = 2 * Math.PI;

function gaussianModel(c: GaussianComponent): ComponentModel {
  const [[a, b], [b2, d]] = c.cov;
  if (b !== b2) throw new RangeError('covariance must be symmetric');
  const det = a * d - b * b;
  if (!(a > 0) || !(det > 0)) throw new RangeError('covariance must be positive definite');
  // Cholesky factor L (lower) so that L·z ~ N(0, cov).
  const l11 = Math.sqrt(a);
  const l21 = b / l11;
  const l22 = Math.sqrt(d - l21 * l21);
  const [mx, my] = c.mean;
  const norm = 1 / (TWO_PI * Math.sqrt(det));
  return {
    sample(rng, out) {
      const z1 = rng.normal();
      const z2 = rng.normal();
      out[0] = mx + l11 * z1;
      out[1] = my + l21 * z1 + l22 * z2;
    },
    sampleMany(rng, xs, ys) {
      const z = new Float64Array(2 * xs.length);
      rng.fillNormal(z);
      for (let i = 0; i < xs.length; i++) {
        const z1 = z[2 * i];
        const z2 = z[2 * i + 1];
        xs[i] = mx + l11 * z1;
        ys[i] = my + l21 * z1 + l22 * z2;
      }
    },
    density(px, py) {
      const dx = px - mx;
      const dy = py - my;
      return norm * Math.exp((-0.5 * (d * dx * dx - 2 * b * dx * dy + a * dy * dy)) / det);
    },
  };
}

function ringModel(c: RingComponent): ComponentModel {
  const { radiusMin: r0, radiusMax: r1 } = c;
  if (!(r0 >= 0 && r1 > r0)) throw new RangeError('ring needs 0 ≤ radiusMin < radiusMax');
  const [cx, cy] = c.center;
  return withPointwiseBulk({
    sample(rng, out) {
      const theta = TWO_PI * rng.float();
      const r = r0 + (r1 - r0) * rng.float();
      out[0] = cx + r * Math.cos(theta);
      out[1] = cy + r * Math.sin(theta);
    },
    density(px, py) {
      // Uniform in (angle, radius) ⇒ density 1 / (2π r (r1 − r0)) in the plane.
      const r = Math.hypot(px - cx, py - cy);
      return r >= r0 && r <= r1 && r > 0 ? 1 / (TWO_PI * r * (r1 - r0)) : 0;
    },
  });
}

/** Membership of the (unshifted) yin half of a disc of radius R at the origin; yang is the rest. */
export function inYin(x: number, y: number, R: number): boolean {
  const small = (R / 2) * (R / 2);
  const dot = (R / 8) * (R / 8);
  const inUpper = x * x + (y - R / 2) * (y - R / 2) <= small;
  const inLower = x * x + (y + R / 2) * (y + R / 2) <= small;
  const base = inUpper || (x < 0 && !inLower);
  const upperDot = x * x + (y - R / 2) * (y - R / 2) <= dot;
  const lowerDot = x * x + (y + R / 2) * (y + R / 2) <= dot;
  return (base && !upperDot) || lowerDot;
}

function yinYangModel(c: YinYangComponent): ComponentModel {
  const R = c.radius;
  if (!(R > 0)) throw new RangeError('yin-yang radius must be > 0');
  if (!(c.overlap >= 0 && c.overlap <= 1)) throw new RangeError('yin-yang overlap must be in [0, 1]');
  // Each half moves towards the other (yin sits mostly left, yang mostly right).
  const shift = ((c.half === 'yin' ? 1 : -1) * c.overlap * R) / 2;
  const [cx, cy] = c.center;
  const member = (px: number, py: number): boolean => {
    const x = px - cx - shift;
    const y = py - cy;
    if (x * x + y * y > R * R) return false;
    return inYin(x, y, R) === (c.half === 'yin');
  };
  // Both halves have area πR²/2 (the dots trade equal areas), so the density is 2 / (πR²).
  const inside = 2 / (Math.PI * R * R);
  return withPointwiseBulk({
    sample(rng, out) {
      for (;;) {
        const x = cx + shift + (2 * rng.float() - 1) * R;
        const y = cy + (2 * rng.float() - 1) * R;
        if (member(x, y)) {
          out[0] = x;
          out[1] = y;
          return;
        }
      }
    },
    density: (px, py) => (member(px, py) ? inside : 0),
  });
}

function shapesModel(c: ShapesComponent): ComponentModel {
  if (!(c.noiseStd >= 0)) throw new RangeError('noiseStd must be ≥ 0');
  const b = polygonBounds(c.polygons);
  let grid: GridDensity | undefined;
  return withPointwiseBulk({
    sample(rng, out) {
      for (;;) {
        const x = b.xMin + (b.xMax - b.xMin) * rng.float();
        const y = b.yMin + (b.yMax - b.yMin) * rng.float();
        if (insidePolygons(c.polygons, x, y)) {
          out[0] = c.noiseStd > 0 ? x + c.noiseStd * rng.normal() : x;
          out[1] = c.noiseStd > 0 ? y + c.noiseStd * rng.normal() : y;
          return;
        }
      }
    },
    density(px, py) {
      grid ??= shapesDensityGrid(c.polygons, c.noiseStd);
      return gridDensityAt(grid, px, py);
    },
  });
}

export function componentModel(c: Component): ComponentModel {
  switch (c.type) {
    case 'gaussian':
      return gaussianModel(c);
    case 'ring':
      return ringModel(c);
    case 'yin-yang':
      return yinYangModel(c);
    case 'shapes':
      return shapesModel(c);
  }
}

/** A class as a weighted mixture of components. */
export interface ClassModel {
  sample(rng: Rng, out: Float64Array): void;
  /** Bulk draws, grouped by component (callers shuffle rows afterwards). */
  sampleMany(rng: Rng, xs: Float64Array, ys: Float64Array): void;
  density(px: number, py: number): number;
}

export function classModel(components: readonly Component[]): ClassModel {
  const models = components.map(componentModel);
  const weights = components.map((c) => c.weight ?? 1);
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const cumulative = weights.map((w) => (acc += w / total));
  const normalized = weights.map((w) => w / total);
  return {
    sample(rng, out) {
      if (models.length === 1) return models[0].sample(rng, out);
      const u = rng.float();
      let k = 0;
      while (k < cumulative.length - 1 && u >= cumulative[k]) k++;
      models[k].sample(rng, out);
    },
    sampleMany(rng, xs, ys) {
      if (models.length === 1) return models[0].sampleMany(rng, xs, ys);
      const counts = new Array<number>(models.length).fill(0);
      for (let i = 0; i < xs.length; i++) {
        const u = rng.float();
        let k = 0;
        while (k < cumulative.length - 1 && u >= cumulative[k]) k++;
        counts[k]++;
      }
      let offset = 0;
      models.forEach((model, k) => {
        model.sampleMany(
          rng,
          xs.subarray(offset, offset + counts[k]),
          ys.subarray(offset, offset + counts[k]),
        );
        offset += counts[k];
      });
    },
    density(px, py) {
      let sum = 0;
      for (let k = 0; k < models.length; k++) sum += normalized[k] * models[k].density(px, py);
      return sum;
    },
  };
}
