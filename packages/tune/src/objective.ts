import type { Params } from './space.ts';
import type { TrialRole } from './trial.ts';

/** What an objective gets for one trial. */
export interface TrialRun {
  readonly number: number;
  readonly params: Params;
  /** The trial's own seed (recorded in the journal). */
  readonly seed: number;
  readonly role: TrialRole;
  /** A directory that survives a kill: keep epoch checkpoints here to resume a restarted trial. */
  readonly checkpointDir: string;
  /**
   * Report the validation value after an epoch (1-based). Throws TrialPruned when the pruner stops
   * the trial, TrialFailure('nan') for a NaN value. The value is recorded in the journal.
   */
  report(epoch: number, value: number): Promise<void>;
}

/** A finished trial: the value to minimise (dev error) plus numbers worth recording. */
export interface TrialResult {
  value: number;
  /** Recorded as user attrs: devError, innerValError, parameterCount, epochs, … */
  attrs?: Record<string, number | string | null>;
}

/** The thing being tuned. Throw (any error) to fail the trial; the search goes on. */
export interface Objective {
  run(trial: TrialRun): Promise<TrialResult>;
}
