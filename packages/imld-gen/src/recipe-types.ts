/** A 2-D point or vector. */
export type Vec2 = readonly [number, number];
/** A 2×2 covariance matrix, row-major. */
export type Cov2 = readonly [readonly [number, number], readonly [number, number]];
/** A closed polygon given by its vertices (the last edge joins the last vertex to the first). */
export type Polygon = readonly Vec2[];

/** Gaussian blob. */
export interface GaussianComponent {
  type: 'gaussian';
  mean: Vec2;
  cov: Cov2;
  weight?: number;
}

/** Ring around `center`: uniform angle, radius uniform in [radiusMin, radiusMax]. */
export interface RingComponent {
  type: 'ring';
  center: Vec2;
  radiusMin: number;
  radiusMax: number;
  weight?: number;
}

/**
 * One half of a yin-yang disc (uniform inside it). `overlap` ∈ [0, 1] shifts each half towards
 * the other by overlap·radius/2, so 0 gives disjoint halves (Bayes error 0) and 1 heavy overlap.
 */
export interface YinYangComponent {
  type: 'yin-yang';
  half: 'yin' | 'yang';
  center: Vec2;
  radius: number;
  overlap: number;
  weight?: number;
}

/**
 * Points uniform inside polygons drawn in a sketch (even–odd rule, so an inner polygon is a hole),
 * then moved by isotropic Gaussian white noise of `noiseStd` — how the poster's #10 was made.
 */
export interface ShapesComponent {
  type: 'shapes';
  polygons: readonly Polygon[];
  noiseStd: number;
  weight?: number;
}

export type Component = GaussianComponent | RingComponent | YinYangComponent | ShapesComponent;

/** One class of a split: a mixture of components and how many points to draw. */
export interface ClassSpec {
  count: number;
  components: readonly Component[];
}

/** A split's layout: one entry per class, in class-code order. */
export interface SplitSpec {
  classes: readonly ClassSpec[];
}

export { SPLITS as SPLIT_NAMES } from '@corpus-tune/core';
export type { SplitName } from '@corpus-tune/core';
import type { SplitName } from '@corpus-tune/core';

/** A corpus recipe: class names, a default seed and one layout per split. */
export interface Recipe {
  name: string;
  description: string;
  classNames: readonly string[];
  seed: number;
  splits: Readonly<Record<SplitName, SplitSpec>>;
}
