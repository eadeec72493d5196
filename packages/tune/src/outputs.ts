import type { Selection } from './protocol.ts';
import type { Params } from './space.ts';
import { roleOf } from './trial.ts';
import type { FrozenTrial, TrialRole, TrialStateName } from './trial.ts';

/** One row of `tune/<corpus>/<protocol>/trials.json` (docs/conventions.md). */
export interface TrialRow {
  number: number;
  role: TrialRole;
  state: TrialStateName;
  params: Params;
  devError: number | null;
  innerValError: number | null;
  reason: string | null;
  seconds: number | null;
  seed: number | null;
  parent: number | null;
  parameterCount: number | null;
  epochs: number | null;
}

const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function trialRows(trials: readonly FrozenTrial[]): TrialRow[] {
  return trials
    .filter((t) => t.state !== 'WAITING')
    .map((t) => ({
      number: t.number,
      role: roleOf(t),
      state: t.state,
      params: t.params,
      devError: t.state === 'COMPLETE' ? (numOrNull(t.userAttrs.devError) ?? t.value) : null,
      innerValError: numOrNull(t.userAttrs.innerValError),
      reason: typeof t.userAttrs.reason === 'string' ? t.userAttrs.reason : null,
      seconds: numOrNull(t.userAttrs.seconds),
      seed: numOrNull(t.userAttrs.seed),
      parent: numOrNull(t.userAttrs.parent),
      parameterCount: numOrNull(t.userAttrs.parameterCount),
      epochs: numOrNull(t.userAttrs.epochs),
    }));
}

export interface BestJson {
  corpus: string;
  protocol: string;
  space: string;
  sampler: string;
  pruner: string;
  seed: number;
  /** Worker processes that shared the study (more than 1: the trial sequence depends on timing). */
  workers: number;
  budget: { trials: number; maxEpochs: number | null; maxTrainRows: number | null };
  counts: Record<'complete' | 'pruned' | 'fail' | 'retrain', number>;
  selection: Selection;
}

export function countStates(trials: readonly FrozenTrial[]): BestJson['counts'] {
  const search = trials.filter((t) => roleOf(t) === 'search');
  return {
    complete: search.filter((t) => t.state === 'COMPLETE').length,
    pruned: search.filter((t) => t.state === 'PRUNED').length,
    fail: search.filter((t) => t.state === 'FAIL').length,
    retrain: trials.filter((t) => roleOf(t) === 'retrain').length,
  };
}

/** `tune status`: one line per trial. */
export function statusTable(trials: readonly FrozenTrial[]): string {
  const rows = trialRows(trials);
  const lines = ['  #  role     state     dev err  inner err  params / reason'];
  for (const r of rows) {
    const pct = (x: number | null): string =>
      x === null ? '      -' : `${(100 * x).toFixed(2).padStart(6)}%`;
    const params = Object.entries(r.params)
      .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(3)) : v}`)
      .join(' ');
    lines.push(
      [
        String(r.number).padStart(3),
        r.role.padEnd(7),
        r.state.padEnd(8),
        pct(r.devError),
        `${pct(r.innerValError)}  `,
        `${params}${r.reason ? `  [${r.reason}]` : ''}`,
      ].join('  '),
    );
  }
  const waiting = trials.filter((t) => t.state === 'WAITING').length;
  if (waiting > 0) lines.push(`(${waiting} waiting)`);
  return lines.join('\n');
}
