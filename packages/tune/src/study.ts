import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRng, InputError, silentLogger } from '@corpus-tune/core';
import type { Logger } from '@corpus-tune/core';
import { failureReason, TooManyFailures, TrialFailure, TrialPruned } from './errors.ts';
import { failedRegionTest } from './failure-regions.ts';
import { Journal, journalTimestamp, ops } from './journal.ts';
import type { JournalEntry, JournalState, JsonValue } from './journal.ts';
import { openLogStorage, StorageUnavailable } from './storage/log-storage.ts';
import type { StorageSpec } from './storage/log-storage.ts';
import type { Objective, TrialRun } from './objective.ts';
import { noPruner } from './pruners/pruner.ts';
import type { Pruner } from './pruners/pruner.ts';
import type { Sampler } from './samplers/sampler.ts';
import { distributionOf } from './space.ts';
import type { Params, SearchSpace } from './space.ts';
import { isFinished, roleOf } from './trial.ts';
import type { FrozenTrial } from './trial.ts';

export const JOURNAL_FILE = 'journal.log';

/** A configuration the protocol wants run after the search (e.g. a top-k trial with a new seed). */
export interface EnqueuedTrial {
  params: Params;
  userAttrs: Record<string, JsonValue>;
}

/** The reason recorded on a trial whose worker stopped sending heartbeats. */
export const STALE_REASON = 'stale: worker lost';
/** System attr holding a running trial's last heartbeat (Optuna's journal of 3.1 has none of its own). */
export const HEARTBEAT_ATTR = 'tune:heartbeat';

export interface StudyOptions {
  /** Holds checkpoints/ (and journal.log with the default storage). */
  studyDir: string;
  /** Where the journal lives (default: file studyDir/journal.log). */
  storage?: StorageSpec;
  /** While Redis is unreachable, retry this long before stopping (default 60). */
  storageRetrySec?: number;
  studyName?: string;
  space: SearchSpace;
  sampler: Sampler;
  pruner?: Pruner;
  /** Study seed: per-trial seeds and sampler streams derive from it. */
  seed: number;
  /** Search budget: number of search trials (the manual trial 0 included). */
  nTrials: number;
  /** Enqueue the space's manual configuration as trial 0 (default: when the space has one). */
  enqueueManual?: boolean;
  /** Stop the study after this many failed search trials in a row. */
  maxConsecutiveFailures?: number;
  /** Settings fixed at creation; rerunning the study with other settings is refused. */
  settings?: Record<string, JsonValue>;
  /** Called once, when every search trial has finished: trials to run next (protocol retrains). */
  afterSearch?: (searchTrials: readonly FrozenTrial[]) => EnqueuedTrial[];
  /** A running trial records a heartbeat this often (default 5 s). */
  heartbeatIntervalSec?: number;
  /**
   * Grace period: a running trial whose heartbeat is older than this (or whose worker process on
   * this host is gone) is failed as stale and retried once with the same parameters (default 120 s).
   */
  staleAfterSec?: number;
  /** How many times a stale trial is retried (Optuna's RetryFailedTrialCallback max_retry; default 1). */
  maxRetry?: number;
  /** Proposals rejected for being near a failure are redrawn up to this many times. */
  maxResamples?: number;
  logger?: Logger;
  /** Called after each trial this worker finishes (progress). */
  onTrialFinished?: (trial: FrozenTrial) => void;
  workerId?: string;
  /** Poll interval while other workers finish their trials. */
  pollMs?: number;
}

export interface StudyResult {
  trials: FrozenTrial[];
  /** Trials this worker ran (or resumed). */
  ranHere: number;
  /** Journal transactions of this worker that another worker's append voided (each decided again). */
  conflicts: number;
}

interface Owner {
  id: string;
  host: string;
  pid: number;
}

type Claim =
  | { kind: 'run'; trialId: number }
  | { kind: 'again' }
  | { kind: 'wait' }
  | { kind: 'done' }
  | { kind: 'abort'; error: Error };

/** The trial's own seed, from the study seed and its number. */
export function trialSeed(studySeed: number, number: number): number {
  return createRng(studySeed).fork(`trial-seed:${number}`).uint32();
}

function ownerOf(t: FrozenTrial): Owner | null {
  const o = t.systemAttrs['tune:worker'];
  if (typeof o !== 'object' || o === null) return null;
  const { id, host, pid } = o as Record<string, unknown>;
  return typeof id === 'string' && typeof host === 'string' && typeof pid === 'number'
    ? { id, host, pid }
    : null;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Milliseconds since the epoch of a journal timestamp (UTC, as journalTimestamp writes it). */
function timestampMs(text: unknown): number {
  return typeof text === 'string' ? Date.parse(`${text}Z`) : NaN;
}

/** The search trials (not protocol retrains), in number order. */
export function searchTrials(trials: readonly FrozenTrial[]): FrozenTrial[] {
  return trials.filter((t) => roleOf(t) === 'search');
}

/** A stale trial that was retried: its retry takes its place in the budget and the sampler's view. */
export function isSuperseded(t: FrozenTrial): boolean {
  return t.state === 'FAIL' && typeof t.userAttrs.retried_as === 'number';
}

/** The search trials that count toward the budget (stale trials that were retried do not). */
export function budgetTrials(trials: readonly FrozenTrial[]): FrozenTrial[] {
  return searchTrials(trials).filter((t) => !isSuperseded(t));
}

function trailingFailures(trials: readonly FrozenTrial[]): { count: number; last: string } {
  const finished = trials.filter((t) => isFinished(t.state));
  let count = 0;
  for (let i = finished.length - 1; i >= 0 && finished[i].state === 'FAIL'; i--) count++;
  const last = count > 0 ? String(finished[finished.length - 1].userAttrs.reason ?? 'unknown') : '';
  return { count, last };
}

/**
 * The ops that fail a stale trial and (Optuna's RetryFailedTrialCallback) enqueue it again with the
 * same parameters, user attrs and intermediate values; `failed_trial` / `retry_history` as Optuna
 * records them, `retry_of` the number it replaces.
 */
function failStaleOps(
  studyId: number,
  t: FrozenTrial,
  next: { id: number; number: number },
  maxRetry: number,
): JournalEntry[] {
  const history = [...((t.systemAttrs.retry_history as number[] | undefined) ?? []), t.number];
  const retry = history.length <= maxRetry;
  const entries: JournalEntry[] = [ops.setUserAttr(t.id, 'reason', STALE_REASON)];
  if (retry) entries.push(ops.setUserAttr(t.id, 'retried_as', next.number));
  entries.push(ops.finish(t.id, 'FAIL', null));
  if (!retry) return entries;
  const systemAttrs = Object.fromEntries(
    Object.entries(t.systemAttrs).filter(([k]) => k !== 'tune:worker' && k !== HEARTBEAT_ATTR),
  ) as Record<string, JsonValue>;
  entries.push(
    ops.enqueueTrial(
      studyId,
      t.params,
      { ...(t.userAttrs as Record<string, JsonValue>), retry_of: t.number },
      {
        systemAttrs: {
          ...systemAttrs,
          failed_trial: (t.systemAttrs.failed_trial as number | undefined) ?? t.number,
          retry_history: history,
        },
        intermediate: t.intermediate,
      },
    ),
  );
  return entries;
}

/**
 * Runs one worker of a study: ask (claim a waiting trial, or sample a new one) → run the objective →
 * tell, until the budget is spent and every trial has finished. All state lives in the journal (a
 * file or Redis), so several workers (processes or machines, ours or Optuna's) can share one study
 * and a killed worker's study continues where it stopped. A running trial records a heartbeat; one
 * whose worker is gone is failed as stale by whichever worker notices and retried once.
 */
export async function runStudy(objective: Objective, options: StudyOptions): Promise<StudyResult> {
  const logger = options.logger ?? silentLogger;
  const studyName = options.studyName ?? 'tune';
  const maxFails = options.maxConsecutiveFailures ?? 10;
  const staleMs = (options.staleAfterSec ?? 120) * 1000;
  const heartbeatMs = (options.heartbeatIntervalSec ?? 5) * 1000;
  const maxRetry = options.maxRetry ?? 1;
  const maxResamples = options.maxResamples ?? 20;
  const pruner = options.pruner ?? noPruner;
  const pollMs = options.pollMs ?? 200;
  const spec: StorageSpec = options.storage ?? { kind: 'file', path: join(options.studyDir, JOURNAL_FILE) };
  const storage = await openLogStorage(
    spec,
    options.storageRetrySec !== undefined ? { retrySec: options.storageRetrySec } : {},
  );
  const journal = new Journal(storage, options.workerId ? { workerId: options.workerId } : {});
  try {
    return await workOnStudy(objective, journal, {
      ...options,
      studyName,
      maxFails,
      staleMs,
      heartbeatMs,
      maxRetry,
      maxResamples,
      pruner,
      pollMs,
      logger,
    });
  } finally {
    await journal.close();
  }
}

interface Resolved extends StudyOptions {
  studyName: string;
  maxFails: number;
  staleMs: number;
  heartbeatMs: number;
  maxRetry: number;
  maxResamples: number;
  pruner: Pruner;
  pollMs: number;
  logger: Logger;
}

async function workOnStudy(objective: Objective, journal: Journal, o: Resolved): Promise<StudyResult> {
  const me: Owner = { id: journal.workerId, host: hostname(), pid: process.pid };
  const where = journal.path;

  const isStale = (t: FrozenTrial, nowMs: number): boolean => {
    const owner = ownerOf(t);
    // A running trial without our owner record belongs to an Optuna worker: not ours to judge.
    if (owner === null || owner.id === me.id) return false;
    if (owner.host === me.host && !processAlive(owner.pid)) return true;
    const seen = [timestampMs(t.systemAttrs[HEARTBEAT_ATTR]), timestampMs(t.datetimeStart)].filter((ms) =>
      Number.isFinite(ms),
    );
    return seen.length > 0 && nowMs - Math.max(...seen) > o.staleMs;
  };

  // Create the study (or check that we continue the same one).
  const studyId = await journal.transact((state) => {
    const existing = state.studyByName(o.studyName);
    const settings = o.settings ?? {};
    if (existing) {
      const recorded = JSON.stringify(existing.userAttrs['tune:settings'] ?? {});
      if (recorded !== JSON.stringify(settings)) {
        throw new InputError(
          `study "${o.studyName}" was created with settings ${recorded}, ` +
            `not ${JSON.stringify(settings)}; use another study directory or study name`,
          { file: where },
        );
      }
      return { ops: [], result: existing.id };
    }
    const id = state.studies.size === 0 ? 0 : Math.max(...state.studies.keys()) + 1;
    const entries: JournalEntry[] = [
      ops.createStudy(o.studyName),
      ops.setStudyUserAttr(id, 'tune:settings', settings),
    ];
    if ((o.enqueueManual ?? true) && o.space.manual) {
      entries.push(
        ops.enqueueTrial(id, o.space.manual, {
          role: 'search',
          manual: true,
          seed: trialSeed(o.seed, 0),
        }),
      );
    }
    return { ops: entries, result: id };
  });

  const claim = (state: JournalState): { ops: JournalEntry[]; result: Claim } => {
    const trials = state.trialsOf(studyId);
    const mine = (trialId: number): JournalEntry => ops.setSystemAttr(trialId, 'tune:worker', { ...me });
    const nowMs = Date.now();
    const stale = trials.find((t) => t.state === 'RUNNING' && isStale(t, nowMs));
    if (stale) {
      o.logger.warn(`trial ${stale.number}: ${STALE_REASON}; failing it and retrying its parameters`);
      return {
        ops: failStaleOps(studyId, stale, { id: state.nextTrialId, number: trials.length }, o.maxRetry),
        result: { kind: 'again' },
      };
    }
    const waiting = trials.find((t) => t.state === 'WAITING');
    if (waiting) {
      const fixed = (waiting.systemAttrs.fixed_params ?? {}) as Params;
      const entries = [
        ops.setRunning(waiting.id),
        ...setParamOps(o.space, waiting.id, fixed),
        mine(waiting.id),
      ];
      if (typeof waiting.userAttrs.seed !== 'number')
        entries.push(ops.setUserAttr(waiting.id, 'seed', trialSeed(o.seed, waiting.number)));
      return { ops: entries, result: { kind: 'run', trialId: waiting.id } };
    }
    const counted = budgetTrials(trials);
    if (counted.length < o.nTrials) {
      const fails = trailingFailures(counted);
      if (fails.count >= o.maxFails)
        return { ops: [], result: { kind: 'abort', error: new TooManyFailures(fails.count, fails.last) } };
      // The sampler's stream and the trial seed follow the budget slot, so a study whose stale
      // trials were retried proposes what it would have proposed without the loss.
      const slot = counted.length;
      const rejects = failedRegionTest(o.space, counted);
      let params: Params = {};
      for (let attempt = 0; attempt <= o.maxResamples; attempt++) {
        params = o.sampler.sample({ space: o.space, trials: counted, number: slot, attempt });
        const why = rejects(params);
        if (why === null) break;
        o.logger.info(`trial ${trials.length}: proposal ${attempt} rejected (${why})`);
      }
      const trialId = state.nextTrialId;
      return {
        ops: [
          ops.createTrial(studyId),
          ...setParamOps(o.space, trialId, params),
          ops.setUserAttr(trialId, 'role', 'search'),
          ops.setUserAttr(trialId, 'seed', trialSeed(o.seed, slot)),
          mine(trialId),
        ],
        result: { kind: 'run', trialId },
      };
    }
    const study = state.studies.get(studyId);
    const searchDone = counted.every((t) => isFinished(t.state));
    if (searchDone && o.afterSearch && study && study.systemAttrs['tune:after-search'] !== true) {
      const extra = o.afterSearch(counted);
      return {
        ops: [
          ...extra.map((e) => ops.enqueueTrial(studyId, e.params, e.userAttrs)),
          ops.setStudySystemAttr(studyId, 'tune:after-search', true),
        ],
        result: { kind: 'again' },
      };
    }
    if (trials.some((t) => t.state === 'RUNNING' || t.state === 'WAITING'))
      return { ops: [], result: { kind: 'wait' } };
    return { ops: [], result: { kind: 'done' } };
  };

  let ranHere = 0;
  for (;;) {
    const c = await journal.transact(claim);
    if (c.kind === 'done') break;
    if (c.kind === 'abort') throw c.error;
    if (c.kind === 'again') continue;
    if (c.kind === 'wait') {
      await sleep(o.pollMs);
      continue;
    }
    const finished = await runTrial(objective, journal, journal.state.frozen(c.trialId), studyId, o);
    ranHere++;
    o.onTrialFinished?.(finished);
  }
  return { trials: (await journal.sync()).trialsOf(studyId), ranHere, conflicts: journal.conflicts };
}

function setParamOps(space: SearchSpace, trialId: number, params: Params): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const p of space.parameters) {
    if (p.name in params) out.push(ops.setParam(trialId, p.name, distributionOf(p), params[p.name]));
  }
  return out;
}

/** Appends a heartbeat every `intervalMs` until stopped; a failed append stops the trial's worker later. */
function startHeartbeat(journal: Journal, trialId: number, intervalMs: number) {
  let failure: unknown = null;
  let pending: Promise<void> = Promise.resolve();
  const beat = (): void => {
    pending = pending
      .then(() => journal.append([ops.setSystemAttr(trialId, HEARTBEAT_ATTR, journalTimestamp())]))
      .catch((error: unknown) => {
        failure ??= error;
      });
  };
  const timer = setInterval(beat, intervalMs);
  return {
    beat,
    /** Stops beating; rethrows the first failed heartbeat (the storage is gone). */
    async stop(): Promise<void> {
      clearInterval(timer);
      await pending;
      if (failure) throw failure;
    },
  };
}

async function runTrial(
  objective: Objective,
  journal: Journal,
  trial: FrozenTrial,
  studyId: number,
  options: Resolved,
): Promise<FrozenTrial> {
  const started = performance.now();
  const id = trial.id;
  const role = roleOf(trial);
  // A retry resumes from the checkpoints of the trial it replaces (when they are on this machine).
  const checkpointNumber = Number(trial.systemAttrs.failed_trial ?? trial.number);
  const checkpointDir = join(options.studyDir, 'checkpoints', `trial-${checkpointNumber}`);
  mkdirSync(checkpointDir, { recursive: true });
  const heartbeat = startHeartbeat(journal, id, options.heartbeatMs);
  let lastValue: number | null = null;
  const run: TrialRun = {
    number: trial.number,
    params: trial.params,
    seed: Number(trial.userAttrs.seed ?? trialSeed(options.seed, trial.number)),
    role,
    checkpointDir,
    async report(epoch, value) {
      if (!Number.isFinite(value))
        throw new TrialFailure('nan', `validation value ${value} at epoch ${epoch}`);
      lastValue = value;
      const prune = await journal.transact((state) => {
        const entries: JournalEntry[] = [
          ops.intermediate(id, epoch, value),
          ops.setSystemAttr(id, HEARTBEAT_ATTR, journalTimestamp()),
        ];
        if (role !== 'search') return { ops: entries, result: false };
        const now = state.frozen(id);
        const withValue: FrozenTrial = { ...now, intermediate: new Map(now.intermediate).set(epoch, value) };
        const decision = options.pruner.prune(withValue, state.trialsOf(studyId));
        for (const [k, v] of Object.entries(decision.systemAttrs)) entries.push(ops.setSystemAttr(id, k, v));
        return { ops: entries, result: decision.prune };
      });
      if (prune) throw new TrialPruned(epoch);
    },
  };
  let entries: JournalEntry[];
  let rethrow: unknown = null;
  try {
    const result = await objective.run(run);
    if (!Number.isFinite(result.value)) throw new TrialFailure('nan', `objective value ${result.value}`);
    entries = Object.entries(result.attrs ?? {}).map(([k, v]) => ops.setUserAttr(id, k, v));
    entries.push(
      ops.setUserAttr(id, 'seconds', round3((performance.now() - started) / 1000)),
      ops.finish(id, 'COMPLETE', result.value),
    );
  } catch (error) {
    const seconds = ops.setUserAttr(id, 'seconds', round3((performance.now() - started) / 1000));
    if (error instanceof TrialPruned) {
      entries = [ops.setUserAttr(id, 'reason', error.message), seconds, ops.finish(id, 'PRUNED', lastValue)];
    } else if (error instanceof StorageUnavailable) {
      // The storage is gone, not the configuration: stop; a rerun retries this trial.
      await heartbeat.stop().catch(() => {});
      throw error;
    } else {
      const reason = failureReason(error);
      options.logger.warn(`trial ${trial.number} failed: ${reason}`);
      entries = [ops.setUserAttr(id, 'reason', reason), seconds, ops.finish(id, 'FAIL', null)];
      // Bad input is not a property of the configuration: stop instead of failing every trial.
      if (error instanceof InputError) rethrow = error;
    }
  }
  await heartbeat.stop();
  await journal.append(entries);
  if (rethrow) throw rethrow;
  return journal.state.frozen(id);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
