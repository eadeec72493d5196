import { randomUUID } from 'node:crypto';
import { InputError } from '@corpus-tune/core';
import type { Distribution, Params, ParamValue } from './space.ts';
import { FileLogStorage } from './storage/file-log-storage.ts';
import type { JournalLogStorage, JournalRecord, JsonValue } from './storage/log-storage.ts';
import { stateName, TrialState } from './trial.ts';
import type { FrozenTrial, TrialStateName } from './trial.ts';

/**
 * Optuna's JournalStorage operation codes (optuna/storages/_journal/storage.py, 3.1.0). The journal
 * is one JSON object per line, `{"op_code": n, "worker_id": "…", …}`; state is rebuilt by replay.
 */
export const JournalOp = {
  CREATE_STUDY: 0,
  DELETE_STUDY: 1,
  SET_STUDY_USER_ATTR: 2,
  SET_STUDY_SYSTEM_ATTR: 3,
  CREATE_TRIAL: 4,
  SET_TRIAL_PARAM: 5,
  SET_TRIAL_STATE_VALUES: 6,
  SET_TRIAL_INTERMEDIATE_VALUE: 7,
  SET_TRIAL_USER_ATTR: 8,
  SET_TRIAL_SYSTEM_ATTR: 9,
} as const;

export type { JournalRecord, JsonValue };
/** An operation before the writer stamps its worker id. */
export type JournalEntry = { op_code: number } & { [k: string]: JsonValue };

/** Optuna's StudyDirection.MINIMIZE. */
const MINIMIZE = 1;

// ---- distributions in Optuna's JSON form ----------------------------------------------------

export function distributionToJson(d: Distribution): string {
  if (d.kind === 'categorical')
    return JSON.stringify({ name: 'CategoricalDistribution', attributes: { choices: d.choices } });
  if (d.kind === 'int')
    return JSON.stringify({
      name: 'IntDistribution',
      attributes: { log: d.log, step: d.step, low: d.low, high: d.high },
    });
  return JSON.stringify({
    name: 'FloatDistribution',
    attributes: { step: d.step, low: d.low, high: d.high, log: d.log },
  });
}

export function distributionFromJson(text: string, file: string): Distribution {
  const raw = JSON.parse(text) as {
    name?: string;
    attributes?: Record<string, JsonValue>;
    type?: string;
  } & Record<string, JsonValue>;
  const a = raw.attributes ?? raw;
  const name =
    raw.name ??
    (raw.type === 'categorical'
      ? 'CategoricalDistribution'
      : raw.type === 'int'
        ? 'IntDistribution'
        : 'FloatDistribution');
  switch (name) {
    case 'CategoricalDistribution':
      return { kind: 'categorical', choices: a.choices as ParamValue[] };
    case 'IntDistribution':
    case 'IntUniformDistribution':
    case 'IntLogUniformDistribution':
      return {
        kind: 'int',
        low: Number(a.low),
        high: Number(a.high),
        log: a.log === true || name === 'IntLogUniformDistribution',
        step: Number(a.step ?? 1),
      };
    case 'FloatDistribution':
    case 'UniformDistribution':
    case 'LogUniformDistribution':
    case 'DiscreteUniformDistribution':
      return {
        kind: 'float',
        low: Number(a.low),
        high: Number(a.high),
        log: a.log === true || name === 'LogUniformDistribution',
        step:
          a.step === undefined || a.step === null
            ? name === 'DiscreteUniformDistribution'
              ? Number(a.q)
              : null
            : Number(a.step),
      };
    default:
      throw new InputError(`unknown distribution "${name}"`, { file });
  }
}

export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.kind === 'categorical') {
    const i = d.choices.indexOf(value);
    if (i < 0)
      throw new RangeError(`${JSON.stringify(value)} is not a choice of ${JSON.stringify(d.choices)}`);
    return i;
  }
  return Number(value);
}

export function toExternal(d: Distribution, internal: number): ParamValue {
  if (d.kind === 'categorical') return d.choices[internal];
  if (d.kind === 'int') return Math.trunc(internal);
  return internal;
}

// ---- replayed state --------------------------------------------------------------------------

interface TrialRecord {
  id: number;
  studyId: number;
  number: number;
  state: TrialStateName;
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  values: number[] | null;
  intermediate: Map<number, number>;
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
  datetimeStart: string | null;
  datetimeComplete: string | null;
}

export interface StudyRecord {
  id: number;
  name: string;
  directions: number[];
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
  trialIds: number[];
}

/** The state rebuilt by replaying the op log (one handler per op, as Optuna's replay). */
export class JournalState {
  readonly studies = new Map<number, StudyRecord>();
  private readonly trials: TrialRecord[] = [];
  private nextStudyId = 0;

  studyByName(name: string): StudyRecord | undefined {
    return [...this.studies.values()].find((s) => s.name === name);
  }

  /** The trials of a study as frozen snapshots, in number order. */
  trialsOf(studyId: number): FrozenTrial[] {
    const study = this.studies.get(studyId);
    if (!study) return [];
    return study.trialIds.map((id) => this.frozen(id));
  }

  frozen(id: number): FrozenTrial {
    const t = this.trials[id];
    return {
      id: t.id,
      number: t.number,
      state: t.state,
      params: { ...t.params },
      distributions: { ...t.distributions },
      value: t.values && t.values.length > 0 ? t.values[0] : null,
      intermediate: new Map(t.intermediate),
      userAttrs: { ...t.userAttrs },
      systemAttrs: { ...t.systemAttrs },
      datetimeStart: t.datetimeStart,
      datetimeComplete: t.datetimeComplete,
    };
  }

  /** Trial id the next CREATE_TRIAL will get. */
  get nextTrialId(): number {
    return this.trials.length;
  }

  apply(r: JournalRecord, where: string): void {
    const trial = (): TrialRecord | null => {
      const t = this.trials[Number(r.trial_id)];
      if (!t) throw new InputError(`${where}: op ${r.op_code} names unknown trial ${String(r.trial_id)}`);
      // Optuna ignores updates to finished trials (they come from a slower worker).
      return t.state === 'COMPLETE' || t.state === 'PRUNED' || t.state === 'FAIL' ? null : t;
    };
    switch (r.op_code) {
      case JournalOp.CREATE_STUDY: {
        const name = String(r.study_name);
        if (this.studyByName(name)) return;
        const id = this.nextStudyId++;
        this.studies.set(id, {
          id,
          name,
          directions: (r.directions as number[]) ?? [MINIMIZE],
          userAttrs: {},
          systemAttrs: {},
          trialIds: [],
        });
        return;
      }
      case JournalOp.DELETE_STUDY:
        this.studies.delete(Number(r.study_id));
        return;
      case JournalOp.SET_STUDY_USER_ATTR:
      case JournalOp.SET_STUDY_SYSTEM_ATTR: {
        const study = this.studies.get(Number(r.study_id));
        if (!study) return;
        Object.assign(
          r.op_code === JournalOp.SET_STUDY_USER_ATTR ? study.userAttrs : study.systemAttrs,
          (r.user_attr ?? r.system_attr) as object,
        );
        return;
      }
      case JournalOp.CREATE_TRIAL: {
        const study = this.studies.get(Number(r.study_id));
        if (!study) return;
        const distributions: Record<string, Distribution> = {};
        for (const [k, v] of Object.entries((r.distributions ?? {}) as Record<string, string>))
          distributions[k] = distributionFromJson(v, where);
        const params: Record<string, ParamValue> = {};
        for (const [k, v] of Object.entries((r.params ?? {}) as Record<string, number>))
          params[k] = toExternal(distributions[k], v);
        const id = this.trials.length;
        const values = Array.isArray(r.values)
          ? (r.values as number[])
          : typeof r.value === 'number'
            ? [r.value]
            : null;
        this.trials.push({
          id,
          studyId: study.id,
          number: study.trialIds.length,
          state: stateName(typeof r.state === 'number' ? r.state : TrialState.RUNNING),
          params,
          distributions,
          values,
          intermediate: new Map(
            Object.entries((r.intermediate_values ?? {}) as Record<string, number>).map(([k, v]) => [
              Number(k),
              v,
            ]),
          ),
          userAttrs: { ...((r.user_attrs ?? {}) as object) },
          systemAttrs: { ...((r.system_attrs ?? {}) as object) },
          datetimeStart: typeof r.datetime_start === 'string' ? r.datetime_start : null,
          datetimeComplete: typeof r.datetime_complete === 'string' ? r.datetime_complete : null,
        });
        study.trialIds.push(id);
        return;
      }
      case JournalOp.SET_TRIAL_PARAM: {
        const t = trial();
        if (!t) return;
        const d = distributionFromJson(String(r.distribution), where);
        t.distributions[String(r.param_name)] = d;
        t.params[String(r.param_name)] = toExternal(d, Number(r.param_value_internal));
        return;
      }
      case JournalOp.SET_TRIAL_STATE_VALUES: {
        const t = trial();
        if (!t) return;
        const state = stateName(Number(r.state));
        if (state === 'RUNNING' && t.state === 'RUNNING') return;
        if (state === 'RUNNING' && typeof r.datetime_start === 'string') t.datetimeStart = r.datetime_start;
        if (
          (state === 'COMPLETE' || state === 'PRUNED' || state === 'FAIL') &&
          typeof r.datetime_complete === 'string'
        )
          t.datetimeComplete = r.datetime_complete;
        t.state = state;
        if (Array.isArray(r.values)) t.values = r.values as number[];
        return;
      }
      case JournalOp.SET_TRIAL_INTERMEDIATE_VALUE: {
        const t = trial();
        if (t) t.intermediate.set(Number(r.step), Number(r.intermediate_value));
        return;
      }
      case JournalOp.SET_TRIAL_USER_ATTR:
      case JournalOp.SET_TRIAL_SYSTEM_ATTR: {
        const t = trial();
        if (t)
          Object.assign(
            r.op_code === JournalOp.SET_TRIAL_USER_ATTR ? t.userAttrs : t.systemAttrs,
            (r.user_attr ?? r.system_attr) as object,
          );
        return;
      }
      default:
        throw new InputError(`${where}: unknown op_code ${r.op_code}`);
    }
  }
}

/** Optuna's timestamp form: naive local-free ISO with microseconds. */
export function journalTimestamp(date: Date = new Date()): string {
  return `${date.toISOString().slice(0, 23)}000`;
}

/**
 * A study journal in Optuna's JournalStorage format over a log storage (a file or Redis). Reads
 * are incremental; `transact` makes check-then-write decisions atomic across processes and
 * machines by appending only if no other worker appended since the state it decided on.
 */
export class Journal {
  readonly storage: JournalLogStorage;
  readonly workerId: string;
  readonly state = new JournalState();
  /** Transactions that had to decide again because another worker appended first (diagnostics). */
  conflicts = 0;
  private logNumber = 0;

  /** A path opens the journal file (Optuna's JournalFileStorage) with its symlink lock. */
  constructor(storage: string | JournalLogStorage, options: { workerId?: string } = {}) {
    this.storage = typeof storage === 'string' ? new FileLogStorage(storage) : storage;
    this.workerId = options.workerId ?? `${randomUUID()}-${process.pid}`;
  }

  /** The file path or Redis location, for messages. */
  get path(): string {
    return this.storage.location;
  }

  /** Reads and replays whatever other workers appended since the last call. */
  async sync(): Promise<JournalState> {
    const records = await this.storage.readLogs(this.logNumber);
    for (const record of records) {
      this.state.apply(record, this.storage.whereIs(this.logNumber));
      this.logNumber++;
    }
    return this.state;
  }

  /**
   * Runs `fn` on an up-to-date state and appends the ops it returns (then replays them), so
   * check-then-write decisions (claim a trial, create trial n) are atomic: if another worker
   * appended in between, the state is read again and `fn` runs again.
   */
  async transact<T>(fn: (state: JournalState) => { ops: JournalEntry[]; result: T }): Promise<T> {
    for (;;) {
      await this.sync();
      const { ops, result } = fn(this.state);
      if (ops.length === 0) return result;
      if (await this.storage.appendLogs(this.stamp(ops), this.logNumber)) {
        await this.sync();
        return result;
      }
      this.conflicts++;
    }
  }

  /** Appends ops that depend on no decision (a finished trial's values, a heartbeat). */
  async append(ops: JournalEntry[]): Promise<void> {
    await this.storage.appendLogs(this.stamp(ops));
    await this.sync();
  }

  async close(): Promise<void> {
    await this.storage.close();
  }

  private stamp(entries: JournalEntry[]): JournalRecord[] {
    return entries.map((op) => {
      const { op_code, ...rest } = op;
      return { op_code, worker_id: this.workerId, ...rest };
    });
  }
}

// ---- op builders (field names exactly as Optuna writes them) --------------------------------

export const ops = {
  createStudy: (name: string): JournalEntry => ({
    op_code: JournalOp.CREATE_STUDY,
    study_name: name,
    directions: [MINIMIZE],
  }),
  setStudyUserAttr: (studyId: number, key: string, value: JsonValue): JournalEntry => ({
    op_code: JournalOp.SET_STUDY_USER_ATTR,
    study_id: studyId,
    user_attr: { [key]: value },
  }),
  setStudySystemAttr: (studyId: number, key: string, value: JsonValue): JournalEntry => ({
    op_code: JournalOp.SET_STUDY_SYSTEM_ATTR,
    study_id: studyId,
    system_attr: { [key]: value },
  }),
  createTrial: (studyId: number): JournalEntry => ({
    op_code: JournalOp.CREATE_TRIAL,
    study_id: studyId,
    datetime_start: journalTimestamp(),
  }),
  /** Optuna's enqueue_trial: a WAITING trial whose system attr "fixed_params" holds the configuration. */
  enqueueTrial: (
    studyId: number,
    fixedParams: Params,
    userAttrs: Record<string, JsonValue>,
    more: { systemAttrs?: Record<string, JsonValue>; intermediate?: ReadonlyMap<number, number> } = {},
  ): JournalEntry => ({
    op_code: JournalOp.CREATE_TRIAL,
    study_id: studyId,
    datetime_start: null,
    state: TrialState.WAITING,
    value: null,
    values: null,
    distributions: {},
    params: {},
    user_attrs: userAttrs,
    system_attrs: { ...more.systemAttrs, fixed_params: { ...fixedParams } },
    intermediate_values: Object.fromEntries(
      [...(more.intermediate ?? new Map<number, number>())].map(([k, v]) => [String(k), v]),
    ),
  }),
  setParam: (trialId: number, name: string, d: Distribution, value: ParamValue): JournalEntry => ({
    op_code: JournalOp.SET_TRIAL_PARAM,
    trial_id: trialId,
    param_name: name,
    param_value_internal: toInternal(d, value),
    distribution: distributionToJson(d),
  }),
  setRunning: (trialId: number): JournalEntry => ({
    op_code: JournalOp.SET_TRIAL_STATE_VALUES,
    trial_id: trialId,
    state: TrialState.RUNNING,
    values: null,
    datetime_start: journalTimestamp(),
  }),
  finish: (trialId: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', value: number | null): JournalEntry => ({
    op_code: JournalOp.SET_TRIAL_STATE_VALUES,
    trial_id: trialId,
    state: TrialState[state],
    values: value === null ? null : [value],
    datetime_complete: journalTimestamp(),
  }),
  intermediate: (trialId: number, step: number, value: number): JournalEntry => ({
    op_code: JournalOp.SET_TRIAL_INTERMEDIATE_VALUE,
    trial_id: trialId,
    step,
    intermediate_value: value,
  }),
  setUserAttr: (trialId: number, key: string, value: JsonValue): JournalEntry => ({
    op_code: JournalOp.SET_TRIAL_USER_ATTR,
    trial_id: trialId,
    user_attr: { [key]: value },
  }),
  setSystemAttr: (trialId: number, key: string, value: JsonValue): JournalEntry => ({
    op_code: JournalOp.SET_TRIAL_SYSTEM_ATTR,
    trial_id: trialId,
    system_attr: { [key]: value },
  }),
};
