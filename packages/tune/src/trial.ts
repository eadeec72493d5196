import type { Distribution, Params } from './space.ts';

/** Optuna's TrialState codes (the journal stores these integers). */
export const TrialState = { RUNNING: 0, COMPLETE: 1, PRUNED: 2, FAIL: 3, WAITING: 4 } as const;
export type TrialStateName = keyof typeof TrialState;
export type TrialStateCode = (typeof TrialState)[TrialStateName];

export function stateName(code: number): TrialStateName {
  const entry = Object.entries(TrialState).find(([, c]) => c === code);
  if (!entry) throw new RangeError(`unknown trial state code ${code}`);
  return entry[0] as TrialStateName;
}

export function isFinished(state: TrialStateName): boolean {
  return state === 'COMPLETE' || state === 'PRUNED' || state === 'FAIL';
}

/** A trial as samplers and pruners see it: a read-only snapshot rebuilt from the journal. */
export interface FrozenTrial {
  /** Trial id (index over the whole journal, as Optuna). */
  readonly id: number;
  /** Trial number within its study. */
  readonly number: number;
  readonly state: TrialStateName;
  readonly params: Params;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** The objective value (lower is better) for COMPLETE trials. */
  readonly value: number | null;
  /** Epoch → value reported during training (used by pruners). */
  readonly intermediate: ReadonlyMap<number, number>;
  readonly userAttrs: Readonly<Record<string, unknown>>;
  readonly systemAttrs: Readonly<Record<string, unknown>>;
  readonly datetimeStart: string | null;
  readonly datetimeComplete: string | null;
}

/** The role of a trial in our protocol (stored as user attr "role"). */
export type TrialRole = 'search' | 'retrain';

export function roleOf(t: FrozenTrial): TrialRole {
  return t.userAttrs.role === 'retrain' ? 'retrain' : 'search';
}

/** Why a trial failed, as recorded in its "reason" user attr. */
export function reasonOf(t: FrozenTrial): string | null {
  return typeof t.userAttrs.reason === 'string' ? t.userAttrs.reason : null;
}
