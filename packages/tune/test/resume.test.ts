import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Journal } from '../src/journal.ts';
import { paramsKey } from '../src/params-key.ts';
import { budgetTrials, JOURNAL_FILE, STALE_REASON } from '../src/study.ts';
import { EPOCHS, runEpochStudy } from './fixtures/epoch-study.ts';
import { logLines, tempDir } from './helpers.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/epoch-study.ts', import.meta.url));

function startChild(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Polls until `predicate` holds (true) or `timeoutMs` passes (false). */
async function waitFor(predicate: () => boolean, timeoutMs = Infinity): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

test('kill -9 mid-trial, rerun: finished trials are not rerun, the killed one fails as stale and its retry resumes from its checkpoint, same sequence as without the kill', async () => {
  const reference = await runEpochStudy(tempDir('ref'), join(tempDir('ref-log'), 'log'), 6);

  const dir = tempDir('killed');
  const log = join(dir, 'objective.log');
  const child = startChild([dir, log, '6', '3:2']);
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (code, signal) => r(signal === 'SIGKILL' ? null : code)),
  );
  await waitFor(() => logLines(log).some((l) => l[1] === 'blocked'));
  child.kill('SIGKILL');
  assert.equal(await exited, null);
  const childPid = String(child.pid);

  const resumed = await runEpochStudy(dir, log, 6);
  const lines = logLines(log);
  const parent = lines.filter((l) => l[0] !== childPid);
  // The child finished trials 0–2 and was killed in trial 3 after epoch 2.
  assert.deepEqual(
    lines.filter((l) => l[0] === childPid && l[1] === 'done').map((l) => l[2]),
    ['0', '1', '2'],
  );
  // The rerun never restarted 0–2; trial 4 (the retry of 3) resumed from 3's epoch-2 checkpoint.
  assert.deepEqual(
    parent.filter((l) => l[1] === 'start').map((l) => `${l[2]}@${l[3]}`),
    ['4@2', '5@0', '6@0'],
  );
  const [killed, retry] = [resumed.trials[3], resumed.trials[4]];
  assert.equal(killed.state, 'FAIL');
  assert.equal(killed.userAttrs.reason, STALE_REASON);
  assert.equal(killed.userAttrs.retried_as, 4);
  assert.equal(retry.userAttrs.retry_of, 3);
  assert.equal(retry.systemAttrs.failed_trial, 3);
  assert.deepEqual(retry.systemAttrs.retry_history, [3]);
  assert.deepEqual(retry.params, killed.params);
  const counted = budgetTrials(resumed.trials);
  assert.equal(counted.length, 6);
  assert.ok(counted.every((t) => t.state === 'COMPLETE'));
  // Determinism: same seed + one worker ⇒ same trials as the uninterrupted run, kill or not.
  assert.deepEqual(
    counted.map((t) => paramsKey(t.params)),
    reference.trials.map((t) => paramsKey(t.params)),
  );
  assert.deepEqual(
    counted.map((t) => t.value),
    reference.trials.map((t) => t.value),
  );
  assert.deepEqual(
    counted.map((t) => t.userAttrs.seed),
    reference.trials.map((t) => t.userAttrs.seed),
  );
  // The retry inherits the killed trial's intermediate values, so its curve is whole.
  assert.deepEqual(
    [...retry.intermediate.keys()],
    Array.from({ length: EPOCHS }, (_, i) => i + 1),
  );
});

test('two worker processes share one locked journal: both run trials, none runs twice', async () => {
  const dir = tempDir('workers');
  const log = join(dir, 'objective.log');
  const gate = join(dir, 'gate');
  const children = [startChild([dir, log, '14', '-', gate]), startChild([dir, log, '14', '-', gate])];
  const codes = Promise.all(
    children.map((c) => new Promise<number | null>((r) => c.on('exit', (code) => r(code)))),
  );
  const starts = (): string[][] => logLines(log).filter((l) => l[1] === 'start');
  // Each worker waits inside its first trial until the gate opens, so neither can take all trials;
  // a study that let only one worker run at a time never gets here.
  const inTrial = await waitFor(() => new Set(starts().map((l) => l[0])).size === 2, 60_000);
  writeFileSync(gate, '');
  assert.ok(inTrial, `only one worker started a trial within 60 s: ${JSON.stringify(starts())}`);
  assert.deepEqual(await codes, [0, 0]);
  assert.deepEqual(
    starts()
      .map((l) => Number(l[2]))
      .sort((a, b) => a - b),
    Array.from({ length: 14 }, (_, i) => i),
  );
  const done = logLines(log).filter((l) => l[1] === 'done');
  assert.equal(done.length, 14);
  const pids = children.map((c) => String(c.pid));
  const perWorker = pids.map((pid) => done.filter((l) => l[0] === pid).length);
  assert.ok(
    perWorker.every((n) => n >= 1),
    `trials finished per worker: ${perWorker.join(', ')}`,
  );
  // The journal records the same split: every trial names the worker that ran it.
  const trials = (await new Journal(join(dir, JOURNAL_FILE)).sync()).trialsOf(0);
  const owners = trials.map((t) => (t.systemAttrs['tune:worker'] as { pid: number }).pid);
  assert.deepEqual(
    pids.map((pid) => owners.filter((o) => String(o) === pid).length),
    perWorker,
  );
});
