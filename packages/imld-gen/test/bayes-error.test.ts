import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '@corpus-tune/core';
import { bayesError, classModel, shapesDensityGrid, gridDensityAt } from '../src/index.ts';
import { normalCdf } from './helpers.ts';

test('Bayes error of two equal-covariance Gaussians matches Φ(−Δ/2)', () => {
  for (const [distance, variance] of [
    [1, 0.025],
    [0.3, 0.025],
    [0.5, 0.1],
  ] as const) {
    const cov = [
      [variance, 0],
      [0, variance],
    ] as const;
    const split = {
      classes: [
        { count: 1000, components: [{ type: 'gaussian' as const, mean: [0, 0] as const, cov }] },
        {
          count: 1000,
          components: [{ type: 'gaussian' as const, mean: [distance * 0.6, distance * 0.8] as const, cov }],
        },
      ],
    };
    const est = bayesError(split, 1_000_000, createRng(5));
    const exact = normalCdf(-distance / Math.sqrt(variance) / 2);
    assert.ok(
      est.lower95 <= exact + 1e-4 && exact - 1e-4 <= est.upper95,
      `Δ=${distance / Math.sqrt(variance)}: exact ${exact}, MC ${est.rate} [${est.lower95}, ${est.upper95}]`,
    );
    assert.ok(est.upper95 - est.lower95 < 0.002);
  }
});

test('Bayes error with unequal priors and a 1-D boundary: prior-weighted closed form', () => {
  // Two N(·, σ²) on x with priors p, 1−p: error = p·Φ((t−μ0)/σ → tail) + …, t the log-odds threshold.
  const s = 0.2,
    mu1 = 0.5,
    p0 = 0.75;
  const cov = [
    [s * s, 0],
    [0, s * s],
  ] as const;
  const split = {
    classes: [
      { count: 3000, components: [{ type: 'gaussian' as const, mean: [0, 0] as const, cov }] },
      { count: 1000, components: [{ type: 'gaussian' as const, mean: [mu1, 0] as const, cov }] },
    ],
  };
  const t = mu1 / 2 + ((s * s) / mu1) * Math.log(p0 / (1 - p0));
  const exact = p0 * normalCdf(-t / s) + (1 - p0) * normalCdf((t - mu1) / s);
  const est = bayesError(split, 1_000_000, createRng(9));
  assert.ok(Math.abs(est.rate - exact) < 3 * (est.upper95 - est.lower95), `exact ${exact}, MC ${est.rate}`);
});

test('tabulated shape density matches the rectangle closed form (product of Φ differences)', () => {
  const sigma = 0.08;
  const [x0, x1, y0, y1] = [-0.45, 0.45, -0.3, 0.6];
  const grid = shapesDensityGrid(
    [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
      ],
    ],
    sigma,
  );
  const area = (x1 - x0) * (y1 - y0);
  assert.ok(Math.abs(grid.area - area) / area < 1e-3, `area ${grid.area} vs ${area}`);
  let worst = 0;
  const peak = 1 / area;
  for (const [px, py] of [
    [0, 0],
    [0.45, 0.1],
    [0.5, 0.6],
    [-0.6, -0.4],
    [0.2, -0.35],
    [0.7, 0.7],
  ]) {
    const exact =
      ((normalCdf((x1 - px) / sigma) - normalCdf((x0 - px) / sigma)) *
        (normalCdf((y1 - py) / sigma) - normalCdf((y0 - py) / sigma))) /
      area;
    worst = Math.max(worst, Math.abs(gridDensityAt(grid, px, py) - exact) / peak);
  }
  assert.ok(worst < 2e-3, `max density error ${worst} of the peak`);
});

test("a noisy triangle's class density integrates to 1", () => {
  const model = classModel([
    {
      type: 'shapes',
      polygons: [
        [
          [0, 0],
          [1, 0],
          [0, 1],
        ],
      ],
      noiseStd: 0.05,
    },
  ]);
  const h = 0.01;
  let integral = 0;
  for (let x = -0.4; x < 1.4; x += h)
    for (let y = -0.4; y < 1.4; y += h) integral += model.density(x + h / 2, y + h / 2) * h * h;
  assert.ok(Math.abs(integral - 1) < 5e-3, `∫density = ${integral}`);
});
