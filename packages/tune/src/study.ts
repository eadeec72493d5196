import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRng, InputError, silentLogger } from '@corpus-tune/core';
import type { Logger } from '@corpus-tune/core';
import { failureReason, TooManyFailures, TrialFailure, TrialPruned } from './errors.ts';
import { failedRegionTest } from './failure-regions.ts';
import { Journal, ops } from './journal.ts';
import type { JournalEntry, JournalState, JsonValue } from './journal.ts';
import type { Objective, TrialRun } from './objective.ts';
import { noPruner } from './pruners/pruner.ts';
import type { Pruner } from './pruners/pruner.ts';
import type { Sampler } from './samplers/sampler.ts';
import { distributionOf } from './space.ts';
import type { Params, SearchSpace } from './space.ts';
import { roleOf } from './trial.ts';
import type { FrozenTrial } from './trial.ts';

export const JOURNAL_FILE = 'journal.log';

/** A configuration the protocol wants run after the search (e.g. a top-k trial with a new seed). */
export interface EnqueuedTrial {
  params: Params;
  userAttrs: Record<string, JsonValue>;
}

export interface StudyOptions {
  /** Holds journal.log, checkpoints/ and heartbeats/. */
  studyDir: string;
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
  /** A running trial whose worker on another machine has been silent this long is taken over. */
  staleAfterSec?: number;
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
}

interface Owner {
  id: string;
  host: string;
  pid: number;
}

type Claim =
  | { kind: 'run'; trialId: number; resumed: boolean }
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

/** The search trials (not protocol retrains), in number order. */
export function searchTrials(trials: readonly FrozenTrial[]): FrozenTrial[] {
  return trials.filter((t) => roleOf(t) === 'search');
}

function trailingFailures(trials: readonly FrozenTrial[]): { count: number; last: string } {
  const finished = trials.filter((t) => t.state === 'COMPLETE' || t.state === 'PRUNED' || t.state === 'FAIL');
  let count = 0;
  for (let i = finished.length - 1; i >= 0 && finished[i].state === 'FAIL'; i--) count++;
  const last = count > 0 ? String(finished[finished.length - 1].userAttrs.reason ?? 'unknown') : '';
  return { count, last };
}

/**
 * Runs one worker of a study: ask (claim a waiting trial, take over an orphaned one, or sample a
 * new one) → run the objective → tell, until the budget is spent and every trial has finished.
 * All state lives in the journal, so several workers (processes or machines) can share one study
 * and a killed worker's study continues where it stopped.
 */
export async function runStudy(objective: Objective, options: StudyOptions): Promise<StudyResult> {
  const logger = options.logger ?? silentLogger;
  const studyName = options.studyName ?? 'tune';
  const maxFails = options.maxConsecutiveFailures ?? 10;
  const staleMs = (options.staleAfterSec ?? 120) * 1000;
  const maxResamples = options.maxResamples ?? 20;
  const pruner = options.pruner ?? noPruner;
  const pollMs = options.pollMs ?? 200;
  const journalPath = join(options.studyDir, JOURNAL_FILE);
  const journal = new Journal(journalPath, options.workerId ? { workerId: options.workerId } : {});
  const me: Owner = { id: journal.workerId, host: hostname(), pid: process.pid };
  const heartbeatDir = join(options.studyDir, 'heartbeats');
  mkdirSync(heartbeatDir, { recursive: true });
  const heartbeatFile = join(heartbeatDir, me.id);
  const heartbeat = (): void => writeFileSync(heartbeatFile, `${me.host} ${me.pid}\n`);
  heartbeat();
  const timer = setInterval(heartbeat, Math.max(1000, staleMs / 4));
  timer.unref();

  const ownerDead = (o: Owner | null): boolean => {
    if (o === null) return true;
    if (o.id === me.id) return false;
    if (o.host === me.host) return !processAlive(o.pid);
    try {
      return Date.now() - statSync(join(heartbeatDir, o.id)).mtimeMs > staleMs;
    } catch {
      return true;
    }
  };

  // Create the study (or check that we continue the same one).
  const studyId = journal.transact((state) => {
    const existing = state.studyByName(studyName);
    const settings = options.settings ?? {};
    if (existing) {
      const recorded = JSON.stringify(existing.userAttrs['tune:settings'] ?? {});
      if (recorded !== JSON.stringify(settings)) {
        throw new InputError(
          `study "${studyName}" was created with settings ${recorded}, ` +
            `not ${JSON.stringify(settings)}; use another study directory`,
          { file: journalPath },
        );
      }
      return { ops: [], result: existing.id };
    }
    const id = state.studies.size === 0 ? 0 : Math.max(...state.studies.keys()) + 1;
    const entries: JournalEntry[] = [
      ops.createStudy(studyName),
      ops.setStudyUserAttr(id, 'tune:settings', settings),
    ];
    if ((options.enqueueManual ?? true) && options.space.manual) {
      entries.push(
        ops.enqueueTrial(id, options.space.manual, {
          role: 'search',
          manual: true,
          seed: trialSeed(options.seed, 0),
        }),
      );
    }
    return { ops: entries, result: id };
  });

  const claim = (state: JournalState): { ops: JournalEntry[]; result: Claim } => {
    const trials = state.trialsOf(studyId);
    const mine = (trialId: number): JournalEntry => ops.setSystemAttr(trialId, 'tune:worker', { ...me });
    const orphan = trials.find((t) => t.state === 'RUNNING' && ownerDead(ownerOf(t)));
    if (orphan) return { ops: [mine(orphan.id)], result: { kind: 'run', trialId: orphan.id, resumed: true } };
    const waiting = trials.find((t) => t.state === 'WAITING');
    if (waiting) {
      const fixed = (waiting.systemAttrs.fixed_params ?? {}) as Params;
      const entries = [
        ops.setRunning(waiting.id),
        ...setParamOps(options.space, waiting.id, fixed),
        mine(waiting.id),
      ];
      if (typeof waiting.userAttrs.seed !== 'number')
        entries.push(ops.setUserAttr(waiting.id, 'seed', trialSeed(options.seed, waiting.number)));
      return { ops: entries, result: { kind: 'run', trialId: waiting.id, resumed: false } };
    }
    const search = searchTrials(trials);
    if (search.length < options.nTrials) {
      const fails = trailingFailures(search);
      if (fails.count >= maxFails)
        return { ops: [], result: { kind: 'abort', error: new TooManyFailures(fails.count, fails.last) } };
      const number = trials.length;
      const rejects = failedRegionTest(options.space, search);
      let params: Params = {};
      for (let attempt = 0; attempt <= maxResamples; attempt++) {
        params = options.sampler.sample({ space: options.space, trials: search, number, attempt });
        const why = rejects(params);
        if (why === null) break;
        logger.info(`trial ${number}: proposal ${attempt} rejected (${why})`);
      }
      const trialId = state.nextTrialId;
      return {
        ops: [
          ops.createTrial(studyId),
          ...setParamOps(options.space, trialId, params),
          ops.setUserAttr(trialId, 'role', 'search'),
          ops.setUserAttr(trialId, 'seed', trialSeed(options.seed, number)),
          mine(trialId),
        ],
        result: { kind: 'run', trialId, resumed: false },
      };
    }
    const study = state.studies.get(studyId);
    const searchDone = search.every(
      (t) => t.state === 'COMPLETE' || t.state === 'PRUNED' || t.state === 'FAIL',
    );
    if (searchDone && options.afterSearch && study && study.systemAttrs['tune:after-search'] !== true) {
      const extra = options.afterSearch(search);
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
  try {
    for (;;) {
      const c = journal.transact(claim);
      if (c.kind === 'done') break;
      if (c.kind === 'abort') throw c.error;
      if (c.kind === 'again') continue;
      if (c.kind === 'wait') {
        await sleep(pollMs);
        continue;
      }
      const t = journal.state.frozen(c.trialId);
      if (c.resumed) logger.info(`trial ${t.number}: resuming (its worker is gone)`);
      const finished = await runTrial(objective, journal, t, { ...options, pruner, heartbeat });
      ranHere++;
      options.onTrialFinished?.(finished);
    }
  } finally {
    clearInterval(timer);
  }
  return { trials: journal.sync().trialsOf(studyId), ranHere };
}

function setParamOps(space: SearchSpace, trialId: number, params: Params): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const p of space.parameters) {
    if (p.name in params) out.push(ops.setParam(trialId, p.name, distributionOf(p), params[p.name]));
  }
  return out;
}

async function runTrial(
  objective: Objective,
  journal: Journal,
  trial: FrozenTrial,
  options: StudyOptions & { pruner: Pruner; heartbeat: () => void },
): Promise<FrozenTrial> {
  const started = performance.now();
  const id = trial.id;
  const role = roleOf(trial);
  const checkpointDir = join(options.studyDir, 'checkpoints', `trial-${trial.number}`);
  mkdirSync(checkpointDir, { recursive: true });
  let lastValue: number | null = null;
  const run: TrialRun = {
    number: trial.number,
    params: trial.params,
    seed: Number(trial.userAttrs.seed ?? trialSeed(options.seed, trial.number)),
    role,
    checkpointDir,
    report(epoch, value) {
      options.heartbeat();
      if (!Number.isFinite(value))
        throw new TrialFailure('nan', `validation value ${value} at epoch ${epoch}`);
      lastValue = value;
      const prune = journal.transact((state) => {
        const entries: JournalEntry[] = [ops.intermediate(id, epoch, value)];
        if (role !== 'search') return { ops: entries, result: false };
        const now = state.frozen(id);
        const withValue: FrozenTrial = { ...now, intermediate: new Map(now.intermediate).set(epoch, value) };
        const decision = options.pruner.prune(
          withValue,
          state.trialsOf(state.studyByName(options.studyName ?? 'tune')?.id ?? 0),
        );
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
    } else {
      const reason = failureReason(error);
      options.logger?.warn(`trial ${trial.number} failed: ${reason}`);
      entries = [ops.setUserAttr(id, 'reason', reason), seconds, ops.finish(id, 'FAIL', null)];
      // Bad input is not a property of the configuration: stop instead of failing every trial.
      if (error instanceof InputError) rethrow = error;
    }
  }
  journal.append(entries);
  if (rethrow) throw rethrow;
  return journal.state.frozen(id);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
