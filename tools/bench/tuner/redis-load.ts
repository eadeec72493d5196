// Load benchmark: W local workers on one Redis study of a cheap objective (Branin, random sampler),
// ours (packages/tune's Redis storage) and Optuna 3.1's (JournalRedisStorage, Debian python3-optuna)
// side by side on the same redis-server (loopback, one run, separate prefixes). Prints trials/s and
// the p50/p99 time of one ask + tell per worker (each worker's first trial, which connects and
// loads the study, left out), with the ratio ours / Optuna, and checks that
// every trial number 0…N−1 is present once and none is left RUNNING.
//   node --import tsx tools/bench/tuner/redis-load.ts [--workers 8] [--trials 1000]
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Journal } from '../../../packages/tune/src/journal.ts';
import { RedisLogStorage } from '../../../packages/tune/src/storage/redis-log-storage.ts';
import { PYTHON, redisMissing, startRedis } from '../../../packages/tune/test/fixtures/redis-server.ts';

const { values } = parseArgs({
  options: { workers: { type: 'string', default: '8' }, trials: { type: 'string', default: '1000' } },
});
const workers = Number(values.workers);
const nTrials = Number(values.trials);
const missing = redisMissing({ python: true });
if (missing) {
  process.stdout.write(`tuner redis-load: skipped (${missing})\n`);
  process.exit(0);
}
const WORKER = fileURLToPath(
  new URL('../../../packages/tune/test/fixtures/redis-worker.ts', import.meta.url),
);
const PEER = fileURLToPath(new URL('../../../packages/tune/test/fixtures/optuna_redis.py', import.meta.url));

function run(command: string, args: string[]): Promise<string> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err}`)),
    ),
  );
}

interface WorkerOut {
  askTellMs: number[];
  startMs: number;
  endMs: number;
}

/** Trials per second over the workers' loops (first start to last end; process start-up excluded). */
function summary(outs: string[]): { trialsPerSec: number; ms: number[] } {
  const parsed = outs.map((o) => JSON.parse(o) as WorkerOut);
  const sec = (Math.max(...parsed.map((p) => p.endMs)) - Math.min(...parsed.map((p) => p.startMs))) / 1000;
  return { trialsPerSec: nTrials / sec, ms: parsed.flatMap((p) => p.askTellMs.slice(1)) };
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

async function check(url: string, prefix: string, name: string): Promise<string> {
  const journal = new Journal(await RedisLogStorage.connect(url, { prefix }));
  const state = await journal.sync();
  await journal.close();
  const trials = state.trialsOf(state.studyByName(name)?.id ?? -1);
  const numbers = new Set(trials.map((t) => t.number));
  const complete = trials.filter((t) => t.state === 'COMPLETE').length;
  const running = trials.filter((t) => t.state === 'RUNNING').length;
  const ok = trials.length === nTrials && numbers.size === nTrials && complete === nTrials && running === 0;
  return `${trials.length} trials, numbers 0–${nTrials - 1} ${numbers.size === nTrials ? 'each once' : 'NOT unique'}, ${complete} COMPLETE, ${running} RUNNING${ok ? '' : '  ← CHECK FAILED'}`;
}

const server = await startRedis();
try {
  const log = join(mkdtempSync(join(tmpdir(), 'tuner-load-')), 'objective.log');
  const oursOut = await Promise.all(
    Array.from({ length: workers }, () =>
      run(process.execPath, [
        '--import',
        'tsx',
        WORKER,
        server.url,
        'ours',
        'load',
        String(nTrials),
        '0',
        log,
      ]),
    ),
  );
  const oursRun = summary(oursOut);
  const conflicts = oursOut.reduce((n, o) => n + (JSON.parse(o) as { conflicts: number }).conflicts, 0);
  const oursCheck = await check(server.url, 'ours', 'load');

  await run(PYTHON, [PEER, 'create', server.url, 'optuna', 'load']);
  const per = Array.from(
    { length: workers },
    (_, i) => Math.floor(nTrials / workers) + (i < nTrials % workers ? 1 : 0),
  );
  const optunaOut = await Promise.all(
    per.map((n, i) => run(PYTHON, [PEER, 'worker', server.url, 'optuna', 'load', String(n), String(i + 1)])),
  );
  const optunaRun = summary(optunaOut);
  const optunaCheck = await check(server.url, 'optuna', 'load');

  const row = (name: string, r: { trialsPerSec: number; ms: number[] }, checked: string): string =>
    `| ${name} | ${r.trialsPerSec.toFixed(1)} | ${quantile(r.ms, 0.5).toFixed(2)} | ${quantile(r.ms, 0.99).toFixed(2)} | ${checked} |`;
  process.stdout.write(
    [
      `tuner redis-load: ${workers} workers, ${nTrials} trials of Branin (random sampler), redis-server on 127.0.0.1 (trials/s over the workers' loops)`,
      '| storage | trials/s | ask+tell p50 ms | ask+tell p99 ms | check |',
      '| --- | --- | --- | --- | --- |',
      row('ours (packages/tune, Redis)', oursRun, oursCheck),
      row('Optuna 3.1 JournalRedisStorage', optunaRun, optunaCheck),
      `ours: ${conflicts} transactions voided by a racing worker and decided again (${(conflicts / nTrials).toFixed(2)} per trial)`,
      `ratio ours / Optuna: trials/s ${(oursRun.trialsPerSec / optunaRun.trialsPerSec).toFixed(2)}×, p99 ask+tell ${(quantile(oursRun.ms, 0.99) / quantile(optunaRun.ms, 0.99)).toFixed(2)}×`,
      '',
    ].join('\n'),
  );
} finally {
  await server.stop();
}
