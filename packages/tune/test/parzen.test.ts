import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildParzen } from '../src/samplers/parzen.ts';

// Reference values from `/usr/bin/python3 tools/golden/tune_parzen.py`: Optuna 3.1's _ParzenEstimator
// (observations 0.2, 0.5, 0.9, 0.55 on FloatDistribution(0, 1), default TPE settings) and scipy's
// truncnorm for the textbook mixture over the same components.
const OBSERVATIONS = [0.2, 0.5, 0.9, 0.55];
const AT = [0.1, 0.3, 0.7, 0.99];
const OPTUNA_31 = [-0.96449982, -0.73405437, -0.69397741, -0.96380604];
// Σ_k ⅕ truncnorm.pdf(x, (0−μk)/σk, (1−μk)/σk, μk, σk)
// with μ = (0.2, 0.5, 0.9, 0.55, 0.5), σ = (0.3, 0.3, 0.35, 0.35, 1).
const SCIPY_EXACT = [-0.22633094504, 0.07136864856];

test('Parzen estimator matches Optuna 3.1 (scale-free density) and scipy (exact density)', () => {
  const settings = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false };
  const d = { kind: 'float', low: 0, high: 1, log: false, step: null } as const;
  const optunaLike = buildParzen(d, OBSERVATIONS, { ...settings, scaleFreeDensity: true });
  AT.forEach((x, i) =>
    assert.ok(
      Math.abs(optunaLike.logPdf(x) - OPTUNA_31[i]) < 1e-6,
      `x=${x}: ${optunaLike.logPdf(x)} vs ${OPTUNA_31[i]}`,
    ),
  );
  const exact = buildParzen(d, OBSERVATIONS, { ...settings, scaleFreeDensity: false });
  SCIPY_EXACT.forEach((v, i) =>
    assert.ok(Math.abs(exact.logPdf(AT[i]) - v) < 1e-6, `x=${AT[i]}: ${exact.logPdf(AT[i])} vs ${v}`),
  );
});
