import type { FrozenTrial } from '../trial.ts';

/** A pruner's verdict, plus system attrs to record (rung values that later trials compete with). */
export interface PruneDecision {
  prune: boolean;
  systemAttrs: Record<string, number>;
}

/** Decides after each reported epoch whether a running trial should stop (Optuna's BasePruner). */
export interface Pruner {
  readonly name: string;
  prune(trial: FrozenTrial, trials: readonly FrozenTrial[]): PruneDecision;
}

export const noPruner: Pruner = { name: 'none', prune: () => ({ prune: false, systemAttrs: {} }) };
