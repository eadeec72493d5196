import type { FrozenTrial } from '../trial.ts';
import type { PruneDecision, Pruner } from './pruner.ts';

export interface AshaOptions {
  /** Epochs of the first rung. */
  minResource?: number;
  /** Keep the best 1/reductionFactor at each rung. */
  reductionFactor?: number;
  /** Rung 0 sits at minResource · η^rate. */
  minEarlyStoppingRate?: number;
  /** Key prefix for the rung values stored as system attrs (Hyperband keeps one set per bracket). */
  rungKeyPrefix?: string;
  /** A rung decides nothing until this many trials (this one included) have a value there (default η). */
  minTrialsAtRung?: number;
}

export function rungKey(prefix: string, rung: number): string {
  return `${prefix}completed_rung_${rung}`;
}

/**
 * Asynchronous successive halving (Li et al. 2018), as Optuna's SuccessiveHalvingPruner: at
 * epoch minResource·η^(rate+k) a trial records its value for rung k and continues only if it is
 * in the best 1/η of all values recorded at that rung so far. Unlike Optuna (which prunes the
 * second trial at a rung unless it beats the first), a rung with fewer than `minTrialsAtRung`
 * values lets trials through, so small studies do not prune nearly everything.
 */
export function ashaPruner(
  options: AshaOptions = {},
  competitors?: (trials: readonly FrozenTrial[]) => readonly FrozenTrial[],
): Pruner {
  const minResource = options.minResource ?? 1;
  const eta = options.reductionFactor ?? 3;
  const rate = options.minEarlyStoppingRate ?? 0;
  const prefix = options.rungKeyPrefix ?? '';
  const minTrialsAtRung = options.minTrialsAtRung ?? eta;
  return {
    name: 'asha',
    prune(trial, trials): PruneDecision {
      const steps = [...trial.intermediate.keys()];
      if (steps.length === 0) return { prune: false, systemAttrs: {} };
      const step = Math.max(...steps);
      const value = trial.intermediate.get(step) ?? NaN;
      let rung = 0;
      while (rungKey(prefix, rung) in trial.systemAttrs) rung++;
      const systemAttrs: Record<string, number> = {};
      const pool = competitors ? competitors(trials) : trials;
      for (;;) {
        const promotionStep = minResource * eta ** (rate + rung);
        if (step < promotionStep) return { prune: false, systemAttrs };
        if (Number.isNaN(value)) return { prune: true, systemAttrs };
        const key = rungKey(prefix, rung);
        systemAttrs[key] = value;
        const competing = pool
          .filter((t) => t.id !== trial.id && typeof t.systemAttrs[key] === 'number')
          .map((t) => t.systemAttrs[key] as number);
        competing.push(value);
        if (competing.length < minTrialsAtRung) {
          rung++;
          continue;
        }
        competing.sort((a, b) => a - b);
        const index = Math.max(0, Math.floor(competing.length / eta) - 1);
        if (!(value <= competing[index])) return { prune: true, systemAttrs };
        rung++;
      }
    },
  };
}
