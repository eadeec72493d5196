import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@redis/client';
import { InputError } from '@corpus-tune/core';
import { Journal, ops } from '../src/journal.ts';
import { randomSampler } from '../src/samplers/random.ts';
import { FileLogStorage } from '../src/storage/file-log-storage.ts';
import { StorageUnavailable } from '../src/storage/log-storage.ts';
import type { JournalLogStorage, JournalRecord } from '../src/storage/log-storage.ts';
import { RedisLogStorage } from '../src/storage/redis-log-storage.ts';
import { budgetTrials, runStudy, STALE_REASON } from '../src/study.ts';
import { TrialFailure } from '../src/errors.ts';
import { branin } from '../src/test-functions.ts';
import { MIXED_SPACE, logLines, mixedObjective, tempDir } from './helpers.ts';
import { writeBlobs } from './fixtures/blobs.ts';
import { PYTHON, redisMissing, startRedis } from './fixtures/redis-server.ts';
import type { RedisServer } from './fixtures/redis-server.ts';

const PEER = fileURLToPath(new URL('./fixtures/optuna_redis.py', import.meta.url));
const WORKER = fileURLToPath(new URL('./fixtures/redis-worker.ts', import.meta.url));
const TUNE = fileURLToPath(new URL('../bin/tune.js', import.meta.url));
const skip = redisMissing({ python: true });
let server: RedisServer;
let prefixes = 0;
const freshPrefix = (): string => `test${prefixes++}`;

function peer(mode: string, prefix: string, study: string, ...rest: number[]): string {
  const r = spawnSync(PYTHON, [PEER, mode, server.url, prefix, study, ...rest.map(String)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

interface PeerTrial {
  number: number;
  state: string;
  params: Record<string, number>;
  value: number | null;
  userAttrs: Record<string, unknown>;
  systemAttrs: Record<string, unknown>;
  intermediate: Record<string, number>;
}

/** Every child this file started, killed at the end so a failed test cannot leave workers behind. */
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function startWorker(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

function exitOf(child: ReturnType<typeof startWorker>): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((r) => child.on('exit', (code) => r({ code, stderr })));
}

async function waitFor(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const record = (n: number): JournalRecord => ({
  op_code: 0,
  worker_id: 'w',
  study_name: `s${n}`,
  directions: [1],
});

/** One contract, every storage (Optuna's storage tests do the same). */
const contract = (name: string, open: () => Promise<JournalLogStorage>) =>
  test(`${name}: reads from N, appends atomically, and a conditional append fails once another writer came first`, async () => {
    const a = await open();
    assert.deepEqual(await a.readLogs(0), []);
    assert.equal(await a.appendLogs([record(0), record(1)]), true);
    assert.deepEqual(await a.readLogs(0), [record(0), record(1)]);
    assert.equal(await a.appendLogs([record(2)], 2), true);
    // A writer that decided on 2 records is refused: the log has 3 now; nothing is written.
    assert.equal(await a.appendLogs([record(9)], 2), false);
    assert.deepEqual(await a.readLogs(3), []);
    assert.deepEqual(await a.readLogs(1), [record(1), record(2)]);
    await a.close();
  });

/** Eight journals race to create 40 trials through transact: each claim must land on the trial it decided on. */
const racing = (name: string, open: () => Promise<JournalLogStorage>) =>
  test(`${name}: concurrent transactions never double-claim (8 writers, 40 trials)`, async () => {
    const first = new Journal(await open());
    await first.append([ops.createStudy('race')]);
    const journals = [
      first,
      ...(await Promise.all(Array.from({ length: 7 }, async () => new Journal(await open())))),
    ];
    const claimed = await Promise.all(
      journals.map(async (j, w) => {
        const mine: number[] = [];
        for (;;) {
          const id = await j.transact((state) =>
            state.trialsOf(0).length >= 40
              ? { ops: [], result: -1 }
              : {
                  ops: [ops.createTrial(0), ops.setUserAttr(state.nextTrialId, 'by', w)],
                  result: state.nextTrialId,
                },
          );
          if (id < 0) return mine;
          mine.push(id);
        }
      }),
    );
    const trials = (await first.sync()).trialsOf(0);
    assert.equal(trials.length, 40);
    assert.equal(claimed.flat().length, 40);
    for (const [w, ids] of claimed.entries()) for (const id of ids) assert.equal(trials[id].userAttrs.by, w);
    await Promise.all(journals.map((j) => j.close()));
  });

contract('file', async () => new FileLogStorage(join(tempDir('contract'), 'journal.log')));
const racePath = join(tempDir('race'), 'journal.log');
racing('file', async () => new FileLogStorage(racePath));

describe('Redis storage (Debian redis-server on a free loopback port)', { skip }, () => {
  before(async () => {
    server = await startRedis();
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await server?.stop();
  });

  contract('redis', async () => RedisLogStorage.connect(server.url, { prefix: freshPrefix() }));
  const racePrefix = freshPrefix();
  racing('redis', async () => RedisLogStorage.connect(server.url, { prefix: racePrefix }));

  test("keys and values are Optuna's JournalRedisStorage layout: <prefix>:log_number, <prefix>:log:<n>", async () => {
    const prefix = freshPrefix();
    const storage = await RedisLogStorage.connect(server.url, { prefix });
    await storage.appendLogs([record(0), record(1)]);
    await storage.close();
    const raw = createClient({ url: server.url });
    await raw.connect();
    try {
      assert.equal(await raw.get(`${prefix}:log_number`), '1');
      assert.deepEqual(JSON.parse(String(await raw.get(`${prefix}:log:0`))), record(0));
      assert.deepEqual(JSON.parse(String(await raw.get(`${prefix}:log:1`))), record(1));
    } finally {
      raw.destroy();
    }
  });

  test('a malformed record in Redis is an error naming its key, at once (not retried as an outage)', async () => {
    const prefix = freshPrefix();
    const raw = createClient({ url: server.url });
    await raw.connect();
    await raw.set(`${prefix}:log_number`, '1');
    await raw.set(`${prefix}:log:0`, JSON.stringify(record(0)));
    await raw.set(`${prefix}:log:1`, '{"op_code": 4, "wor');
    raw.destroy();
    const storage = await RedisLogStorage.connect(server.url, { prefix, retrySec: 30 });
    const started = Date.now();
    await assert.rejects(
      () => storage.readLogs(0),
      (e: unknown) => e instanceof InputError && e.message.includes(`${prefix}:log:1 is not valid JSON`),
    );
    assert.ok(Date.now() - started < 5000);
    await storage.close();
  });

  test('Optuna (JournalStorage(JournalRedisStorage(url))) reads our trials, params, values, states and user attrs', async () => {
    const prefix = freshPrefix();
    const result = await runStudy(
      {
        run: async (t) => {
          if (t.number % 4 === 3) throw new TrialFailure('shape', `impossible shape in trial ${t.number}`);
          await t.report(1, 0.9);
          return { value: mixedObjective(t.params), attrs: { devError: mixedObjective(t.params) } };
        },
      },
      {
        studyDir: tempDir('redis-ours'),
        storage: { kind: 'redis', url: server.url, prefix },
        studyName: 'ours',
        space: MIXED_SPACE,
        sampler: randomSampler(3),
        seed: 3,
        nTrials: 8,
      },
    );
    const fromOptuna = JSON.parse(peer('dump', prefix, 'ours')) as PeerTrial[];
    assert.equal(fromOptuna.length, 8);
    for (const [i, t] of result.trials.entries()) {
      const o = fromOptuna[i];
      assert.equal(o.number, t.number);
      assert.equal(o.state, t.state);
      assert.deepEqual(o.params, t.params);
      assert.equal(o.value, t.value);
      assert.deepEqual(o.userAttrs, t.userAttrs);
      if (t.state === 'COMPLETE') assert.deepEqual(o.intermediate, { 1: 0.9 });
    }
    assert.deepEqual(
      fromOptuna.map((o) => o.state),
      ['COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL'],
    );
    assert.equal(fromOptuna[3].userAttrs.reason, 'shape: impossible shape in trial 3');
  });

  test('we read a study Optuna wrote to Redis: the same trials, params, values, states, user attrs', async () => {
    const prefix = freshPrefix();
    const written = JSON.parse(peer('write', prefix, 'theirs', 6, 4)) as PeerTrial[];
    const journal = new Journal(await RedisLogStorage.connect(server.url, { prefix }));
    const state = await journal.sync();
    await journal.close();
    const study = state.studyByName('theirs');
    assert.ok(study);
    const trials = state.trialsOf(study.id);
    assert.equal(trials.length, written.length);
    for (const [i, t] of trials.entries()) {
      const w = written[i];
      assert.equal(t.number, w.number);
      assert.equal(t.state, w.state);
      assert.deepEqual(t.params, w.params);
      assert.equal(t.value, w.value);
      assert.deepEqual(t.userAttrs, w.userAttrs);
      assert.deepEqual(
        Object.fromEntries([...t.intermediate].map(([k, v]) => [String(k), v])),
        w.intermediate,
      );
    }
    assert.deepEqual(
      trials.map((t) => t.state),
      ['COMPLETE', 'FAIL', 'PRUNED', 'COMPLETE', 'COMPLETE', 'COMPLETE'],
    );
  });

  test(
    'a Python Optuna worker asks and tells on the same study while two of ours run: numbers unique, nothing lost',
    { timeout: 90_000 },
    async () => {
      const prefix = freshPrefix();
      const log = join(tempDir('mixed'), 'objective.log');
      const python = spawn(PYTHON, [PEER, 'worker', server.url, prefix, 'mixed', '20', '5'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(python);
      let pythonOut = '';
      python.stdout.on('data', (c: Buffer) => (pythonOut += c.toString()));
      const pythonExit = exitOf(python as unknown as ReturnType<typeof startWorker>);
      const ours = [
        startWorker([server.url, prefix, 'mixed', '30', '5', log]),
        startWorker([server.url, prefix, 'mixed', '30', '5', log]),
      ];
      const outs = ours.map((c) => {
        let out = '';
        c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
        return exitOf(c).then((e) => ({ ...e, out }));
      });
      const results = await Promise.all(outs);
      const py = await pythonExit;
      assert.equal(py.code, 0, py.stderr);
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const told = (JSON.parse(pythonOut) as { told: [number, number][] }).told;
      const ranByUs = results.reduce((s, r) => s + (JSON.parse(r.out) as { ranHere: number }).ranHere, 0);

      const fromOptuna = JSON.parse(peer('dump', prefix, 'mixed')) as PeerTrial[];
      const journal = new Journal(await RedisLogStorage.connect(server.url, { prefix }));
      const state = await journal.sync();
      await journal.close();
      const trials = state.trialsOf(state.studyByName('mixed')?.id ?? -1);
      // Everyone's trials are there, once each, all finished, and Optuna sees the same study.
      assert.equal(trials.length, told.length + ranByUs);
      assert.ok(trials.length >= 30);
      assert.deepEqual(
        trials.map((t) => t.number),
        Array.from({ length: trials.length }, (_, i) => i),
      );
      assert.ok(trials.every((t) => t.state === 'COMPLETE'));
      for (const [number, value] of told) assert.equal(trials[number].value, value);
      const starts = logLines(log)
        .filter((l) => l[1] === 'start')
        .map((l) => Number(l[2]));
      assert.equal(new Set(starts).size, starts.length, 'a trial ran twice');
      assert.equal(starts.length, ranByUs);
      for (const n of starts)
        assert.equal(trials[n].value, branin.evaluate(trials[n].params as Record<string, number>));
      assert.deepEqual(
        fromOptuna.map((o) => [o.number, o.state, o.value]),
        trials.map((t) => [t.number, t.state, t.value]),
      );
    },
  );

  test(
    'the CLI: tune run --storage redis://… with 2 workers trains real MLPs on Redis; status and best --storage read it; Optuna sees it',
    { timeout: 120_000 },
    async () => {
      const prefix = freshPrefix();
      const data = tempDir('cli-blobs');
      writeBlobs(data, 300);
      const study = join(tempDir('cli-redis'), 'study');
      const where = ['--storage', server.url, '--redis-prefix', prefix, '--study-name', 'cli'];
      const tune = (args: string[]) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [TUNE, ...args], {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, CORPUS_TUNE_DATA: tempDir('cli-data') },
          });
          children.push(child);
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
          child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
          child.on('exit', (code) => resolve({ code, stdout, stderr }));
        });
      const run = await tune([
        'run',
        '--data',
        data,
        '--space',
        'mlp',
        '--sampler',
        'random',
        '--study-dir',
        study,
        '--protocol',
        'keras-tuner',
        '--max-epochs',
        '1',
        '--max-train-rows',
        '200',
        '--backend',
        'cpu',
        '--trials',
        '3',
        '--workers',
        '2',
        ...where,
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /tune run: .*keras-tuner: 3 trials, chose trial \d/);
      assert.equal(
        existsSync(join(study, 'journal.log')),
        false,
        'the journal is in Redis, not the study folder',
      );
      const status = await tune(['status', ...where]);
      assert.equal(status.code, 0, status.stderr);
      assert.equal(status.stdout.trim().split('\n').length, 1 + 3);
      const best = await tune(['best', ...where]);
      assert.equal(best.code, 0, best.stderr);
      const fromJournal = JSON.parse(best.stdout) as { rule: string; trial: number };
      const written = JSON.parse(readFileSync(join(study, 'best.json'), 'utf8')) as {
        selection: { trial: number };
      };
      assert.equal(fromJournal.rule, 'best-dev');
      assert.equal(fromJournal.trial, written.selection.trial);
      const fromOptuna = JSON.parse(peer('dump', prefix, 'cli')) as PeerTrial[];
      assert.deepEqual(
        fromOptuna.map((o) => o.state),
        ['COMPLETE', 'COMPLETE', 'COMPLETE'],
      );
    },
  );

  test(
    'kill -9 of 2 of 4 workers mid-trial: the survivors finish; the killed trials are FAIL stale and retried; COMPLETE = requested',
    { timeout: 90_000 },
    async () => {
      const prefix = freshPrefix();
      const log = join(tempDir('kill'), 'objective.log');
      const workers = Array.from({ length: 4 }, () =>
        startWorker([server.url, prefix, 'kill', '40', '60', log]),
      );
      const exits = workers.map((w) => exitOf(w));
      const pids = workers.map((w) => String(w.pid));
      // Kill two workers while each is inside a trial (started, not done), after some trials finished.
      await waitFor(() => logLines(log).filter((l) => l[1] === 'done').length >= 8);
      const inTrial = (pid: string): number | null => {
        const mine = logLines(log).filter((l) => l[0] === pid);
        const last = mine[mine.length - 1];
        return last && last[1] === 'start' ? Number(last[2]) : null;
      };
      const killed: number[] = [];
      for (const i of [0, 1]) {
        await waitFor(() => inTrial(pids[i]) !== null);
        workers[i].kill('SIGKILL');
        await exits[i];
        const n = inTrial(pids[i]);
        if (n !== null) killed.push(n);
      }
      assert.equal(killed.length, 2);
      const survivors = await Promise.all(exits.slice(2));
      for (const s of survivors) assert.equal(s.code, 0, s.stderr);

      const journal = new Journal(await RedisLogStorage.connect(server.url, { prefix }));
      const trials = (await journal.sync()).trialsOf(0);
      await journal.close();
      for (const n of killed) {
        const t = trials[n];
        assert.equal(t.state, 'FAIL');
        assert.equal(t.userAttrs.reason, STALE_REASON);
        const retry = trials[Number(t.userAttrs.retried_as)];
        assert.equal(retry.userAttrs.retry_of, n);
        assert.deepEqual(retry.params, t.params);
        assert.equal(retry.state, 'COMPLETE');
      }
      assert.ok(trials.every((t) => t.state !== 'RUNNING' && t.state !== 'WAITING'));
      assert.equal(budgetTrials(trials).filter((t) => t.state === 'COMPLETE').length, 40);
      assert.equal(trials.filter((t) => t.state === 'COMPLETE').length, 40);
    },
  );
});

describe('Redis unavailable mid-study (AOF on, restart on the same port)', { skip }, () => {
  test(
    'the worker retries for a bounded time, then stops with a clear error; nothing is half-written; rerunning continues the study',
    { timeout: 90_000 },
    async () => {
      const aof = await startRedis({ appendOnly: true });
      const prefix = 'down';
      const log = join(tempDir('down'), 'objective.log');
      try {
        const worker = startWorker([aof.url, prefix, 'down', '30', '40', log, '2']);
        const exit = exitOf(worker);
        await waitFor(() => logLines(log).filter((l) => l[1] === 'done').length >= 5);
        const stoppedAt = Date.now();
        await aof.stop('SIGKILL');
        const { code, stderr } = await exit;
        const waitedSec = (Date.now() - stoppedAt) / 1000;
        assert.notEqual(code, 0);
        assert.match(stderr, /unreachable for 2 s .*rerun the same command/);
        assert.ok(waitedSec < 20, `worker took ${waitedSec} s to give up`);

        const back = await startRedis({ appendOnly: true, port: aof.port, dir: aof.dir });
        try {
          // Every record in Redis is whole JSON, and replays without error.
          const journal = new Journal(await RedisLogStorage.connect(back.url, { prefix }));
          const before = (await journal.sync()).trialsOf(0);
          await journal.close();
          const done = logLines(log).filter((l) => l[1] === 'done').length;
          assert.ok(before.filter((t) => t.state === 'COMPLETE').length >= Math.min(done, 5));
          const rerun = startWorker([back.url, prefix, 'down', '30', '0', log, '2']);
          const again = await exitOf(rerun);
          assert.equal(again.code, 0, again.stderr);
          const j2 = new Journal(await RedisLogStorage.connect(back.url, { prefix }));
          const trials = (await j2.sync()).trialsOf(0);
          await j2.close();
          assert.equal(budgetTrials(trials).filter((t) => t.state === 'COMPLETE').length, 30);
          assert.ok(trials.every((t) => t.state !== 'RUNNING' && t.state !== 'WAITING'));
          for (const t of trials.filter((x) => x.state === 'FAIL'))
            assert.equal(t.userAttrs.reason, STALE_REASON);
        } finally {
          await back.stop();
        }
      } finally {
        await aof.stop();
      }
    },
  );

  test('a storage that never answers fails within its retry window with StorageUnavailable', async () => {
    const { freePort } = await import('./fixtures/redis-server.ts');
    const port = await freePort();
    const started = Date.now();
    await assert.rejects(
      () => RedisLogStorage.connect(`redis://127.0.0.1:${port}/0`, { retrySec: 1 }),
      (e: unknown) => e instanceof StorageUnavailable && /unreachable for 1 s/.test(e.message),
    );
    assert.ok(Date.now() - started < 10_000);
  });
});
