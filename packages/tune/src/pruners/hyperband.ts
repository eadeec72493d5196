import type { FrozenTrial } from '../trial.ts';
import { ashaPruner } from './asha.ts';
import type { PruneDecision, Pruner } from './pruner.ts';

export interface HyperbandOptions {
  minResource?: number;
  /** The epoch budget of a full trial. */
  maxResource: number;
  reductionFactor?: number;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Hyperband (Li et al. 2018) as Optuna's HyperbandPruner: several successive-halving brackets
 * with different early-stopping rates; each trial is assigned to a bracket by a hash of its
 * number, weighted by bracket budget, and only competes with trials of its bracket.
 */
export function hyperbandPruner(options: HyperbandOptions): Pruner {
  const minResource = options.minResource ?? 1;
  const eta = options.reductionFactor ?? 3;
  const nBrackets = Math.floor(Math.log(options.maxResource / minResource) / Math.log(eta) + 1e-9) + 1;
  const budgets = Array.from({ length: nBrackets }, (_, i) => {
    const s = nBrackets - 1 - i;
    return Math.ceil((nBrackets * eta ** s) / (s + 1));
  });
  const total = budgets.reduce((a, b) => a + b, 0);
  const bracketOf = (number: number): number => {
    let n = fnv1a(`trial_${number}`) % total;
    for (let i = 0; i < nBrackets; i++) {
      if (n < budgets[i]) return i;
      n -= budgets[i];
    }
    return nBrackets - 1;
  };
  const brackets = Array.from({ length: nBrackets }, (_, i) =>
    ashaPruner(
      { minResource, reductionFactor: eta, minEarlyStoppingRate: i, rungKeyPrefix: `bracket${i}_` },
      (trials) => trials.filter((t) => bracketOf(t.number) === i),
    ),
  );
  return {
    name: 'hyperband',
    prune(trial: FrozenTrial, trials: readonly FrozenTrial[]): PruneDecision {
      return brackets[bracketOf(trial.number)].prune(trial, trials);
    },
  };
}
