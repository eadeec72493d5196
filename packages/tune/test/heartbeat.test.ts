import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Journal, journalTimestamp, ops } from '../src/journal.ts';
import { randomSampler } from '../src/samplers/random.ts';
import { HEARTBEAT_ATTR, runStudy, STALE_REASON } from '../src/study.ts';
import { branin } from '../src/test-functions.ts';
import { tempDir } from './helpers.ts';

test(
  'heartbeats across machines: a trial silent past the grace period is failed as stale and retried once; one that keeps beating is left alone',
  { timeout: 30_000 },
  async () => {
    const dir = tempDir('heartbeat');
    const remote = new Journal(join(dir, 'journal.log'), { workerId: 'remote' });
    const longAgo = journalTimestamp(new Date(Date.now() - 10_000));
    const running = (trialId: number, owner: string, x1: number): ReturnType<typeof ops.createTrial>[] => [
      { ...ops.createTrial(0), datetime_start: longAgo },
      ops.setParam(trialId, 'x1', { kind: 'float', low: -5, high: 10, step: null, log: false }, x1),
      ops.setParam(trialId, 'x2', { kind: 'float', low: 0, high: 15, step: null, log: false }, 2),
      ops.setUserAttr(trialId, 'role', 'search'),
      ops.setSystemAttr(trialId, 'tune:worker', { id: owner, host: 'another-machine', pid: 1 }),
      ops.setSystemAttr(trialId, HEARTBEAT_ATTR, longAgo),
    ];
    await remote.append([ops.createStudy('tune'), ...running(0, 'lost', 1), ...running(1, 'alive', 3)]);
    // Trial 1's worker keeps beating for 2.5 s (past the 1-s grace), then finishes it.
    const beat = setInterval(() => {
      void remote.append([ops.setSystemAttr(1, HEARTBEAT_ATTR, journalTimestamp())]);
    }, 100);
    await remote.append([ops.setSystemAttr(1, HEARTBEAT_ATTR, journalTimestamp())]);
    const finish = new Promise<void>((resolve) =>
      setTimeout(() => {
        clearInterval(beat);
        void remote.append([ops.finish(1, 'COMPLETE', 5)]).then(resolve);
      }, 2500),
    );
    const result = await runStudy(
      { run: async (t) => ({ value: branin.evaluate(t.params as Record<string, number>) }) },
      {
        studyDir: dir,
        space: branin.space,
        sampler: randomSampler(1),
        seed: 1,
        nTrials: 3,
        staleAfterSec: 1,
        pollMs: 20,
      },
    );
    await finish;
    const [lost, alive, retry, fresh] = result.trials;
    assert.equal(lost.state, 'FAIL');
    assert.equal(lost.userAttrs.reason, STALE_REASON);
    assert.equal(alive.state, 'COMPLETE');
    assert.equal(alive.value, 5);
    assert.equal(retry.userAttrs.retry_of, 0);
    assert.deepEqual(retry.params, lost.params);
    assert.equal(retry.state, 'COMPLETE');
    assert.equal(fresh.state, 'COMPLETE');
    assert.equal(result.trials.length, 4);
  },
);

test(
  'a retry that is lost again is not retried a second time (max_retry 1)',
  { timeout: 30_000 },
  async () => {
    const dir = tempDir('heartbeat-twice');
    const remote = new Journal(join(dir, 'journal.log'), { workerId: 'remote' });
    const longAgo = journalTimestamp(new Date(Date.now() - 10_000));
    await remote.append([
      ops.createStudy('tune'),
      { ...ops.createTrial(0), datetime_start: longAgo },
      ops.setParam(0, 'x1', { kind: 'float', low: -5, high: 10, step: null, log: false }, 1),
      ops.setParam(0, 'x2', { kind: 'float', low: 0, high: 15, step: null, log: false }, 2),
      ops.setUserAttr(0, 'role', 'search'),
      ops.setUserAttr(0, 'retry_of', 7),
      ops.setSystemAttr(0, 'retry_history', [7]),
      ops.setSystemAttr(0, 'tune:worker', { id: 'lost', host: 'another-machine', pid: 1 }),
    ]);
    const result = await runStudy(
      { run: async (t) => ({ value: branin.evaluate(t.params as Record<string, number>) }) },
      {
        studyDir: dir,
        space: branin.space,
        sampler: randomSampler(1),
        seed: 1,
        nTrials: 2,
        staleAfterSec: 1,
        pollMs: 20,
      },
    );
    assert.equal(result.trials[0].state, 'FAIL');
    assert.equal(result.trials[0].userAttrs.reason, STALE_REASON);
    assert.equal(result.trials[0].userAttrs.retried_as, undefined);
    // No retry: the lost trial counts toward the budget, one new trial fills it.
    assert.equal(result.trials.length, 2);
    assert.equal(result.trials[1].userAttrs.retry_of, undefined);
  },
);
