import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '@corpus-tune/core';
import { classModel, generateSplit, inYin, PRESETS, PRESET_NAMES } from '../src/index.ts';
import type { Component } from '../src/index.ts';
import { moments } from './helpers.ts';

const N = 200_000;

function draw(components: Component[], n = N, seed = 1): { xs: Float64Array; ys: Float64Array } {
  const model = classModel(components);
  const rng = createRng(seed);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const p = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    model.sample(rng, p);
    xs[i] = p[0];
    ys[i] = p[1];
  }
  return { xs, ys };
}

/** |sample − truth| within 5 standard errors: the mean's SE is √(var/n), a variance's ≈ var·√(2/n). */
function assertMoments(
  xs: Float64Array,
  ys: Float64Array,
  truth: { meanX: number; meanY: number; varX: number; varY: number; covXY: number },
): void {
  const m = moments(xs, ys);
  const n = m.n;
  const close = (name: string, got: number, want: number, se: number) =>
    assert.ok(Math.abs(got - want) <= 5 * se + 1e-12, `${name}: got ${got}, want ${want} ± ${5 * se}`);
  close('meanX', m.meanX, truth.meanX, Math.sqrt(truth.varX / n));
  close('meanY', m.meanY, truth.meanY, Math.sqrt(truth.varY / n));
  // Fourth-moment-free bound: generous for the uniform/ring laws, exact order for Gaussians.
  close('varX', m.varX, truth.varX, truth.varX * Math.sqrt(4 / n));
  close('varY', m.varY, truth.varY, truth.varY * Math.sqrt(4 / n));
  close('covXY', m.covXY, truth.covXY, Math.sqrt((truth.varX * truth.varY) / n) * 2);
}

test('gaussian component reproduces its mean and full covariance', () => {
  const { xs, ys } = draw([
    {
      type: 'gaussian',
      mean: [0.3, -0.2],
      cov: [
        [0.04, 0.012],
        [0.012, 0.01],
      ],
    },
  ]);
  assertMoments(xs, ys, { meanX: 0.3, meanY: -0.2, varX: 0.04, varY: 0.01, covXY: 0.012 });
});

test('ring: radius uniform in [r0, r1], centred, E[x²] = E[r²]/2', () => {
  const r0 = 0.65,
    r1 = 0.85;
  const { xs, ys } = draw([{ type: 'ring', center: [0.1, 0.2], radiusMin: r0, radiusMax: r1 }]);
  const er2 = (r1 ** 3 - r0 ** 3) / (3 * (r1 - r0));
  assertMoments(xs, ys, { meanX: 0.1, meanY: 0.2, varX: er2 / 2, varY: er2 / 2, covXY: 0 });
  for (let i = 0; i < xs.length; i++) {
    const r = Math.hypot(xs[i] - 0.1, ys[i] - 0.2);
    assert.ok(r >= r0 - 1e-12 && r <= r1 + 1e-12);
  }
  // Radius uniform: the inner half of the annulus width holds half the points.
  let inner = 0;
  for (let i = 0; i < xs.length; i++) if (Math.hypot(xs[i] - 0.1, ys[i] - 0.2) < (r0 + r1) / 2) inner++;
  assert.ok(Math.abs(inner / xs.length - 0.5) < 5 * Math.sqrt(0.25 / xs.length));
});

test('shapes: uniform in a rectangle plus white noise has mean = centre, var = w²/12 + σ²', () => {
  const sigma = 0.05;
  const { xs, ys } = draw([
    {
      type: 'shapes',
      polygons: [
        [
          [-0.5, -0.2],
          [0.3, -0.2],
          [0.3, 0.4],
          [-0.5, 0.4],
        ],
      ],
      noiseStd: sigma,
    },
  ]);
  assertMoments(xs, ys, {
    meanX: -0.1,
    meanY: 0.1,
    varX: 0.8 ** 2 / 12 + sigma ** 2,
    varY: 0.6 ** 2 / 12 + sigma ** 2,
    covXY: 0,
  });
});

test('shapes: an inner polygon is a hole (even–odd) and points stay inside without noise', () => {
  const outer = [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ] as const;
  const hole = [
    [-0.5, -0.5],
    [0.5, -0.5],
    [0.5, 0.5],
    [-0.5, 0.5],
  ] as const;
  const { xs, ys } = draw([{ type: 'shapes', polygons: [outer, hole], noiseStd: 0 }], 50_000);
  for (let i = 0; i < xs.length; i++) {
    assert.ok(Math.abs(xs[i]) <= 1 && Math.abs(ys[i]) <= 1);
    assert.ok(!(Math.abs(xs[i]) < 0.5 && Math.abs(ys[i]) < 0.5), `point in hole: ${xs[i]}, ${ys[i]}`);
  }
  // Frame is symmetric about the origin; its variance is (E over frame of x²) = (4·1/3 − 1·(1/12))/3.
  const varX = (4 * (1 / 3) - 1 * (1 / 12)) / 3;
  assertMoments(xs, ys, { meanX: 0, meanY: 0, varX, varY: varX, covXY: 0 });
});

test('yin-yang: halves are disjoint at overlap 0, each holds half the disc, and overlap shifts them', () => {
  for (const half of ['yin', 'yang'] as const) {
    const { xs, ys } = draw([{ type: 'yin-yang', half, center: [0, 0], radius: 1, overlap: 0 }], 50_000);
    for (let i = 0; i < xs.length; i++) {
      assert.ok(xs[i] ** 2 + ys[i] ** 2 <= 1 + 1e-12);
      assert.equal(inYin(xs[i], ys[i], 1), half === 'yin');
    }
  }
  // Area check: a uniform draw over the disc lands in yin half the time.
  const rng = createRng(4);
  let inDisc = 0,
    yin = 0;
  for (let i = 0; i < 200_000; i++) {
    const x = 2 * rng.float() - 1,
      y = 2 * rng.float() - 1;
    if (x * x + y * y > 1) continue;
    inDisc++;
    if (inYin(x, y, 1)) yin++;
  }
  assert.ok(Math.abs(yin / inDisc - 0.5) < 5 * Math.sqrt(0.25 / inDisc));
  const shifted = draw([{ type: 'yin-yang', half: 'yin', center: [0, 0], radius: 1, overlap: 0.5 }], 50_000);
  const plain = draw([{ type: 'yin-yang', half: 'yin', center: [0, 0], radius: 1, overlap: 0 }], 50_000);
  const dx = moments(shifted.xs, shifted.ys).meanX - moments(plain.xs, plain.ys).meanX;
  assert.ok(Math.abs(dx - 0.25) < 0.02, `yin moved by ${dx}, want 0.25`);
});

test('every preset builds, samples and matches its analytic class means', () => {
  for (const name of PRESET_NAMES) {
    const classes = PRESETS[name](20_000);
    classes.forEach((spec, k) => {
      const { xs, ys } = draw([...spec.components], 20_000, k + 1);
      const m = moments(xs, ys);
      const c = spec.components[0];
      if (c.type === 'gaussian') {
        assert.ok(Math.abs(m.meanX - c.mean[0]) < 5 * Math.sqrt(c.cov[0][0] / m.n), `${name}[${k}] meanX`);
        assert.ok(
          Math.abs(m.varY - c.cov[1][1]) < 5 * c.cov[1][1] * Math.sqrt(2 / m.n),
          `${name}[${k}] varY`,
        );
      }
    });
  }
  assert.deepEqual(
    PRESETS['four-gaussians'](1).map((c) => c.components[0].type === 'gaussian' && c.components[0].mean),
    [
      [-0.5, 0.5],
      [0.5, 0.5],
      [-0.5, -0.5],
      [0.5, -0.5],
    ],
  );
});

test('generateSplit gives exact scaled class counts and interleaves classes', () => {
  const split = { classes: PRESETS['two-gaussians'](1000) };
  const points = generateSplit(split, 0.5, createRng(3));
  assert.equal(points.label.length, 1000);
  assert.equal(points.label.filter((l) => l === 0).length, 500);
  const firstHalfOnes = points.label.slice(0, 500).filter((l) => l === 1).length;
  assert.ok(firstHalfOnes > 200 && firstHalfOnes < 300, 'rows are shuffled');
});
