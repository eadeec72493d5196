// Benchmark: ours (tfjs on WASM + our kernels, through fitModel; our KNN / forest) vs Debian's
// python3-torch (CPU) and python3-sklearn on the same data, in one run. Prints samples/s (or seconds),
// per core and per machine, the ratios, and the markdown table of packages/train/README.md.
//   node --import tsx tools/bench/train/bench.ts [--threads 2] [--cnn-samples 64] [--eeg-samples 512]
// Data: ../shared/data/imld/set_10 (the real ds10 files, label,x,y CSV).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng, sharedDataDir } from '@corpus-tune/core';
import { featureSplitFromArrays } from '@corpus-tune/features';
import {
  selectBackend,
  buildModel,
  namedConfig,
  fitModel,
  fitKnn,
  predictKnn,
  fitForest,
} from '../../../packages/train/src/index.ts';
import type { FeatureSplit } from '../../../packages/train/src/index.ts';
import { readImldCsv as readImldPoints } from '@corpus-tune/imld-gen';

/** An IMLD CSV through imld-gen's reader, as interleaved (x, y) rows for KNN / the forest. */
function readImldCsv(path: string): { points: Float64Array; labels: Int8Array } {
  const p = readImldPoints(path);
  const points = new Float64Array(2 * p.label.length);
  for (let i = 0; i < p.label.length; i++) {
    points[2 * i] = p.x[i];
    points[2 * i + 1] = p.y[i];
  }
  return { points, labels: p.label };
}

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '2' },
    'cnn-samples': { type: 'string', default: '64' },
    'eeg-samples': { type: 'string', default: '512' },
    backend: { type: 'string', default: 'wasm' },
    worker: { type: 'boolean', default: false },
  },
});
const threads = Number(values.threads);
const cnnSamples = Number(values['cnn-samples']);
const eegSamples = Number(values['eeg-samples']);
const dir = sharedDataDir('imld', 'set_10');
const csv = (s: string) => join(dir, `${s}.csv`);
if (!existsSync(csv('train'))) {
  console.log(`bench/train: skipped, shared data absent (${csv('train')})`);
  process.exit(0);
}

// EEG-like sequences for the LSTM and CNN+LSTM: 20 frames of 22 channels × 8 features per frame.
const EEG_SHAPE = [20, 22, 8];
const EEG_STEPS = EEG_SHAPE[0];
const EEG_FEATURES = EEG_SHAPE[1] * EEG_SHAPE[2];

type Model = 'mlp' | 'mlpLayers' | 'cnn' | 'lstm' | 'cnnLstm';
type Speeds = Record<Model, number>;
/** Samples per wall second and per CPU second of the process (robust to other jobs on the machine). */
interface Rates {
  wall: Speeds;
  cpu: Speeds;
}
const MODELS: { key: Model; what: string }[] = [
  { key: 'mlp', what: 'MLP-M1, 1 epoch on ds10 (100k, batch 128, Adam)' },
  { key: 'mlpLayers', what: "the same on tfjs's layers (engine 'tfjs')" },
  { key: 'cnn', what: 'manual CNN 128×128×3, batch 8, SGD' },
  { key: 'lstm', what: `LSTM 64-64, [${EEG_STEPS}, ${EEG_FEATURES}] sequences, batch 32, Adam` },
  { key: 'cnnLstm', what: `CNN+LSTM, [${EEG_STEPS}, ${EEG_FEATURES}] sequences, batch 32, Adam` },
];

function memorySplit(x: Float32Array, labels: Int8Array, shape: number[]): FeatureSplit {
  return featureSplitFromArrays({
    path: 'bench',
    sha256: `bench-${labels.length}-${shape.join('x')}`,
    x,
    labels,
    shape,
    classNames: ['0', '1'],
  });
}

function randomSplit(n: number, shape: number[]): FeatureSplit {
  const rng = createRng(5);
  const size = shape.reduce((a, b) => a * b, 1);
  return memorySplit(
    Float32Array.from({ length: n * size }, () => rng.normal()),
    Int8Array.from({ length: n }, (_, i) => i % 2),
    shape,
  );
}

const cpuSec = (since?: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

/** Steady-state training rates of a named system through fitModel: its second epoch. */
async function steadyRate(system: string, shape: number[], samples: number): Promise<[number, number]> {
  const config = namedConfig(system, shape, 2);
  let cpuFrom: NodeJS.CpuUsage | undefined;
  const fit = await fitModel(buildModel(config, { seed: 1 }), config, randomSplit(samples + 1, shape), {
    seed: 1,
    innerValFraction: 1 / (samples + 1),
    epochs: 2,
    patienceEpochs: 99,
    onEpochEnd: (log) => {
      if (log.epoch === 1) cpuFrom = process.cpuUsage();
    },
  });
  return [fit.learningCurve[1].samplesPerSec, fit.trainRows / cpuSec(cpuFrom)];
}

/** Ours on one core (WASM is single-threaded in Node). */
async function ours(): Promise<Rates> {
  await selectBackend(values.backend as 'wasm');
  const train = readImldCsv(csv('train'));
  const mlpConfig = namedConfig('mlp-m1', [2], 2);
  const mlpSplit = memorySplit(Float32Array.from(train.points), train.labels, [2]);
  /** One MLP-M1 epoch through fitModel (the dense engine under 'auto'); rates over the whole call. */
  const mlpRates = async (engine: 'auto' | 'tfjs'): Promise<[number, number]> => {
    const cpuFrom = process.cpuUsage();
    const fit = await fitModel(
      buildModel(mlpConfig, { seed: 1 }),
      { ...mlpConfig, training: { ...mlpConfig.training, epochs: 1 } },
      mlpSplit,
      { seed: 1, innerValFraction: 1e-5, engine },
    );
    if (fit.engine.name !== (engine === 'auto' ? 'dense' : 'tfjs'))
      throw new Error(`bench: MLP-M1 ran on ${JSON.stringify(fit.engine)}`);
    return [fit.samplesPerSec, fit.trainRows / cpuSec(cpuFrom)];
  };
  const mlp = await mlpRates('auto');
  const mlpLayers = await mlpRates('tfjs');
  const cnn = await steadyRate('cnn-m', [128, 128, 3], cnnSamples);
  const lstm = await steadyRate('lstm', EEG_SHAPE, eegSamples);
  const cnnLstm = await steadyRate('cnn-lstm', EEG_SHAPE, eegSamples);
  return {
    wall: { mlp: mlp[0], mlpLayers: mlpLayers[0], cnn: cnn[0], lstm: lstm[0], cnnLstm: cnnLstm[0] },
    cpu: { mlp: mlp[1], mlpLayers: mlpLayers[1], cnn: cnn[1], lstm: lstm[1], cnnLstm: cnnLstm[1] },
  };
}

if (values.worker) {
  console.log(JSON.stringify(await ours()));
  process.exit(0);
}

/** One worker process per core, all at once: the machine's throughput as `train all --jobs` gets it. */
async function oursPerMachine(workers: number): Promise<Speeds> {
  const script = fileURLToPath(import.meta.url);
  const runs = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<Rates>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [...process.execArgv, script, '--worker', ...process.argv.slice(2)],
            { stdio: ['ignore', 'pipe', 'inherit'] },
          );
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.on('close', (code) => {
            const last = out.trim().split('\n').pop() ?? '';
            if (code === 0) resolve(JSON.parse(last) as Rates);
            else reject(new Error(`bench worker exited with ${code}: ${out}`));
          });
        }),
    ),
  );
  return Object.fromEntries(
    MODELS.map(({ key }) => [key, runs.reduce((sum, r) => sum + r.wall[key], 0)]),
  ) as Speeds;
}

/** torch's rates per row: both MLP rows are measured against torch's one MLP-M1. */
function torchPeer(torchThreads: number): Rates {
  const run = spawnSync(
    '/usr/bin/python3',
    [
      join(here, 'torch_peer.py'),
      csv('train'),
      String(cnnSamples),
      String(eegSamples),
      String(torchThreads),
      String(EEG_STEPS),
      String(EEG_FEATURES),
    ],
    // torch.set_num_threads(1) alone leaves OpenMP's pool spinning: with 1 set, the CNN and LSTM runs
    // burned two cores' CPU time for one core's work, halving torch's per-core rate. The environment
    // sizes the pool before torch starts.
    {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: String(torchThreads), MKL_NUM_THREADS: String(torchThreads) },
    },
  );
  if (run.status !== 0) throw new Error(`torch peer failed: ${run.stderr}`);
  const peer = JSON.parse(run.stdout) as { wall: Omit<Speeds, 'mlpLayers'>; cpu: Omit<Speeds, 'mlpLayers'> };
  return {
    wall: { ...peer.wall, mlpLayers: peer.wall.mlp },
    cpu: { ...peer.cpu, mlpLayers: peer.cpu.mlp },
  };
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadBefore = load();
const oneCore = await ours();
const machine = await oursPerMachine(threads);
const torchOne = torchPeer(1);
const torchAll = torchPeer(threads);

const train = readImldCsv(csv('train'));
const dev = readImldCsv(csv('dev'));
const evalSplit = readImldCsv(csv('eval'));
// KNN k=51 (the k chosen on dev for set_10): dev + eval against train; forest of 25 trees, depth 20.
let t0 = performance.now();
const knn = fitKnn(train.points, train.labels, 2);
const queries = new Float64Array(dev.points.length + evalSplit.points.length);
queries.set(dev.points);
queries.set(evalSplit.points, dev.points.length);
predictKnn(knn, queries, [51]);
const oursKnnSec = (performance.now() - t0) / 1000;
t0 = performance.now();
fitForest(train.points, train.labels, 2, 2, { trees: 25, maxDepth: 20, seed: 1 });
const oursRfSec = (performance.now() - t0) / 1000;
const sk = spawnSync('/usr/bin/python3', [join(here, 'sklearn_peer.py'), dir, '51', '25'], {
  encoding: 'utf8',
});
if (sk.status !== 0) throw new Error(`sklearn peer failed: ${sk.stderr}`);
const skPeer = JSON.parse(sk.stdout) as { knnSec: number; rfSec: number };

const int = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));
const ratio = (v: number) => `${v.toFixed(2)}×`;
console.log(
  `backend ${values.backend} (single-threaded in Node; ${threads} worker processes per machine); torch 1 and ${threads} threads; loadavg before ${loadBefore}, after ${load()}`,
);
console.log(
  'networks: samples/s (wall); per core: samples per CPU second of the process (ours single-threaded, torch with 1 thread), which other jobs on the machine do not skew',
);
const head = [
  '',
  'ours, 1 core (samples/s)',
  `torch, ${threads} threads (samples/s)`,
  'ours/torch',
  'per core: ours (samples/CPU-s)',
  'torch 1 thread',
  'ours/torch per core',
  `per machine: ours ×${threads}`,
  'ours/torch per machine',
];
const rows = MODELS.map(({ key, what }) => [
  what,
  int(oneCore.wall[key]),
  int(torchAll.wall[key]),
  ratio(oneCore.wall[key] / torchAll.wall[key]),
  int(oneCore.cpu[key]),
  int(torchOne.cpu[key]),
  ratio(oneCore.cpu[key] / torchOne.cpu[key]),
  int(machine[key]),
  ratio(machine[key] / torchAll.wall[key]),
]);
const blank = ['', '', '', '', ''];
rows.push(
  [
    'KNN k = 51, 20k queries vs 100k',
    `${oursKnnSec.toFixed(1)} s`,
    `${skPeer.knnSec.toFixed(1)} s (sklearn, 1 job)`,
    ratio(skPeer.knnSec / oursKnnSec),
    ...blank,
  ],
  [
    'RF 25 trees, depth ≤ 20, 100k rows',
    `${oursRfSec.toFixed(1)} s`,
    `${skPeer.rfSec.toFixed(1)} s (sklearn, 1 job)`,
    ratio(skPeer.rfSec / oursRfSec),
    ...blank,
  ],
);
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const md = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log([md(head), md(widths.map((w) => '-'.repeat(w))), ...rows.map(md)].join('\n'));
// Issue #14's goals, per core against torch on one thread.
const perCore = (key: Model) => oneCore.cpu[key] / torchOne.cpu[key];
for (const [what, key, goal] of [
  ['MLP-M1', 'mlp', 1.0],
  ['manual CNN', 'cnn', 0.33],
] as const)
  console.log(
    `goal: ${what} per core ${ratio(perCore(key))} of torch (goal ≥ ${goal.toFixed(2)}×: ${perCore(key) >= goal ? 'met' : 'not met'})`,
  );
