import type { Rng } from '@corpus-tune/core';
import { classModel } from './components.ts';
import type { SplitSpec } from './recipe-types.ts';

export interface BayesErrorEstimate {
  /** Monte Carlo estimate of 1 − E[max_c P(c | x)] under the split's generating densities. */
  rate: number;
  lower95: number;
  upper95: number;
  draws: number;
  method: string;
}

/**
 * Bayes error of a split from its known class densities: draw x from the mixture (priors = the
 * recipe's class proportions), average 1 − max posterior. The estimator is unbiased; its 95 %
 * interval is the normal one from the per-draw standard deviation.
 */
export function bayesError(split: SplitSpec, draws: number, rng: Rng): BayesErrorEstimate {
  const models = split.classes.map((c) => classModel(c.components));
  const total = split.classes.reduce((a, c) => a + c.count, 0);
  const priors = split.classes.map((c) => c.count / total);
  let acc = 0;
  const cumulative = priors.map((p) => (acc += p));
  const point = new Float64Array(2);
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < draws; i++) {
    const u = rng.float();
    let c = 0;
    while (c < cumulative.length - 1 && u >= cumulative[c]) c++;
    models[c].sample(rng, point);
    let evidence = 0;
    let best = 0;
    for (let k = 0; k < models.length; k++) {
      const w = priors[k] * models[k].density(point[0], point[1]);
      evidence += w;
      if (w > best) best = w;
    }
    // A draw where every tabulated density vanishes (far tail of a shape) carries no information
    // about the posterior; count it as the prior's own error, the conservative choice.
    const loss = evidence > 0 ? 1 - best / evidence : 1 - Math.max(...priors);
    sum += loss;
    sumSq += loss * loss;
  }
  const rate = sum / draws;
  const sd = Math.sqrt(Math.max(0, sumSq / draws - rate * rate));
  const half = (1.96 * sd) / Math.sqrt(draws);
  return {
    rate,
    lower95: Math.max(0, rate - half),
    upper95: Math.min(1, rate + half),
    draws,
    method: 'monte-carlo: 1 - E[max posterior] under the generating densities',
  };
}
