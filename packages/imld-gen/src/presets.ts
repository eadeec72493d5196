import type { ClassSpec, Cov2, Vec2 } from './recipe-types.ts';

// IMLD's classic generators, as class specs. Parameters follow IMLD's defaults.

const iso = (v: number): Cov2 => [
  [v, 0],
  [0, v],
];
const diag = (a: number, b: number): Cov2 => [
  [a, 0],
  [0, b],
];
const gaussianClass = (count: number, mean: Vec2, cov: Cov2): ClassSpec => ({
  count,
  components: [{ type: 'gaussian', mean, cov }],
});

const TWO_MEANS: readonly Vec2[] = [
  [-0.5, 0.5],
  [0.5, -0.5],
];
const CORNERS: readonly Vec2[] = [
  [-0.5, 0.5],
  [0.5, 0.5],
  [-0.5, -0.5],
  [0.5, -0.5],
];
const ELLIPSE_COV = diag(0.0333, 0.0043);

export const PRESETS = {
  'two-gaussians': (n: number) => TWO_MEANS.map((m) => gaussianClass(n, m, iso(0.025))),
  'four-gaussians': (n: number) => CORNERS.map((m) => gaussianClass(n, m, iso(0.025))),
  'overlapping-gaussians': (n: number) => [
    gaussianClass(n, [0, 0], iso(0.025)),
    gaussianClass(n, [0, 0], iso(0.025)),
  ],
  'two-ellipses': (n: number) => TWO_MEANS.map((m) => gaussianClass(n, m, ELLIPSE_COV)),
  'four-ellipses': (n: number) => CORNERS.map((m) => gaussianClass(n, m, ELLIPSE_COV)),
  'rotated-ellipses': (n: number) => [
    gaussianClass(n, TWO_MEANS[0], ELLIPSE_COV),
    gaussianClass(n, TWO_MEANS[1], diag(ELLIPSE_COV[1][1], ELLIPSE_COV[0][0])),
  ],
  toroidal: (n: number): ClassSpec[] => [
    gaussianClass(n, [0, 0], iso(0.0083)),
    { count: n, components: [{ type: 'ring', center: [0, 0], radiusMin: 0.65, radiusMax: 0.85 }] },
  ],
  'yin-yang': (n: number, overlap = 0): ClassSpec[] =>
    (['yin', 'yang'] as const).map((half) => ({
      count: n,
      components: [{ type: 'yin-yang', half, center: [0, 0], radius: 1, overlap }],
    })),
} as const satisfies Record<string, (pointsPerClass: number, overlap?: number) => ClassSpec[]>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
