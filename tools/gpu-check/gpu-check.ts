// Which tfjs backends come up on this machine, how fast each trains MLP-M1, the manual CNN (CNN-M)
// and the CNN+LSTM, and whether the same seed gives the same error rates on every backend.
//   node tools/gpu-check/gpu-check.js [--backends tensorflow-gpu,webgpu,tensorflow,wasm] [--seeds 3]
//   sh tools/gpu-check/bundle.sh DIR && node DIR/gpu-check.mjs      (a machine with only Node 20)
// Each backend runs in its own child process (a process holds one tfjs backend well). WASM also runs
// seeds 2..--seeds: the spread of its error rates across seeds is the run-to-run spread the other
// backends' seed-1 error rates are judged against. Small seeded synthetic data, so the whole check
// stays under 5 minutes on 2 CPU cores; the numbers are a smoke test, not the models' accuracy.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '@corpus-tune/core';
import { featureSplitFromArrays } from '@corpus-tune/features/training';
import {
  BACKEND_CHAIN,
  buildModel,
  evaluateModel,
  fitModel,
  namedConfig,
  selectBackend,
} from '../../packages/train/src/index.ts';
import type { BackendName, FeatureSplit } from '../../packages/train/src/index.ts';

const MODELS = ['mlp-m1', 'cnn-m', 'cnn-lstm'] as const;
type ModelName = (typeof MODELS)[number];

const { values } = parseArgs({
  options: {
    // The pure-JS cpu backend trains CNN-M at well under 1 sample/s: not in the default list.
    backends: { type: 'string', default: BACKEND_CHAIN.filter((b) => b !== 'cpu').join(',') },
    seeds: { type: 'string', default: '3' },
    scale: { type: 'string', default: '1' },
    // Internal: the child process's one backend and seed.
    child: { type: 'string' },
    seed: { type: 'string', default: '1' },
  },
});
const scale = Number(values.scale);
const seedCount = Number(values.seeds);
const backends = values.backends.split(',') as BackendName[];
for (const b of backends)
  if (!BACKEND_CHAIN.includes(b))
    throw new Error(`unknown backend "${b}" (known: ${BACKEND_CHAIN.join(', ')})`);
if (!(scale > 0) || !(Number.isInteger(seedCount) && seedCount >= 1))
  throw new Error('--scale must be > 0 and --seeds an integer ≥ 1');

// Rows per model (train, eval) and epochs, at --scale 1.
const SIZES: Record<ModelName, { shape: number[]; train: number; eval: number; epochs: number }> = {
  'mlp-m1': { shape: [2], train: 20_000, eval: 5_000, epochs: 2 },
  'cnn-m': { shape: [128, 128, 3], train: 32, eval: 32, epochs: 1 },
  'cnn-lstm': { shape: [100, 20, 7], train: 256, eval: 128, epochs: 1 },
};

/** Seeded data with a learnable signal; the data seed is fixed, only the training seed varies. */
function synthetic(model: ModelName, part: 'train' | 'eval'): FeatureSplit {
  const { shape, train, eval: evalRows } = SIZES[model];
  const n = Math.max(8, Math.round((part === 'train' ? train : evalRows) * scale));
  const size = shape.reduce((a, b) => a * b, 1);
  const rng = createRng(1).fork(`${model}-${part}`);
  const x = new Float32Array(n * size);
  const labels = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * size, (i + 1) * size);
    for (let j = 0; j < size; j++) row[j] = rng.normal();
    if (model === 'mlp-m1') {
      labels[i] = row[0] * row[1] > 0 ? 1 : 0; // quadrants (XOR)
    } else {
      labels[i] = i % 2;
      if (labels[i] === 1) {
        // Class 1: a brighter centre patch (images) or a 5-step oscillation in feature 0 (EEG frames).
        if (model === 'cnn-m') {
          for (let r = 48; r < 80; r++) for (let c = 48; c < 80; c++) row[(r * 128 + c) * 3] += 1.5;
        } else {
          for (let t = 0; t < 100; t++)
            for (let ch = 0; ch < 20; ch++) row[(t * 20 + ch) * 7] += 1.5 * Math.sin((2 * Math.PI * t) / 5);
        }
      }
    }
  }
  return featureSplitFromArrays({
    path: `synthetic-${model}-${part}`,
    sha256: 'synthetic',
    x,
    labels,
    shape,
    classNames: ['0', '1'],
    metadata: { stage: 'gpu-check', codeVersion: '', params: { model, part, scale }, inputs: {} },
  });
}

interface ModelResult {
  model: ModelName;
  /** What ran the steps: train's dense engine (MLPs on WASM/CPU) or tfjs's layers. */
  engine: string;
  samplesPerSec: number;
  evalError: number;
}
type ChildResult =
  | { backend: BackendName; seed: number; reason: string; models: ModelResult[] }
  | { backend: BackendName; unavailable: string };

async function runChild(name: BackendName, seed: number): Promise<ChildResult> {
  // A bundled copy has the WASM binaries beside it instead of in node_modules.
  const here = dirname(fileURLToPath(import.meta.url));
  if (existsSync(join(here, 'tfjs-backend-wasm-simd.wasm'))) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${here}/`);
  }
  let choice;
  try {
    choice = await selectBackend(name);
  } catch (error) {
    return { backend: name, unavailable: (error as Error).message };
  }
  const models: ModelResult[] = [];
  for (const model of MODELS) {
    const train = synthetic(model, 'train');
    const test = synthetic(model, 'eval');
    const config = namedConfig(model, train.shape, 2);
    const net = buildModel(config, { seed });
    const fit = await fitModel(net, config, train, { seed, epochs: SIZES[model].epochs, patienceEpochs: 99 });
    const { error } = evaluateModel(net, test, 64);
    models.push({ model, engine: fit.engine.name, samplesPerSec: fit.samplesPerSec, evalError: error.rate });
    net.dispose();
  }
  return { backend: choice.name, seed, reason: choice.reason, models };
}

function spawnChild(name: BackendName, seed: number): ChildResult {
  // Re-run this same entry (the tsx launcher, or a bundled copy) for one backend and seed.
  const launcher = process.argv[1];
  const r = spawnSync(
    process.execPath,
    [launcher, '--child', name, '--seed', String(seed), '--scale', String(scale)],
    { encoding: 'utf8', timeout: 240_000 },
  );
  const out = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status === 0 && out.startsWith('{')) return JSON.parse(out) as ChildResult;
  return {
    backend: name,
    unavailable: `child exited ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`,
  };
}

if (values.child) {
  console.log(JSON.stringify(await runChild(values.child as BackendName, Number(values.seed))));
} else {
  const t0 = performance.now();
  const results = backends.map((b) => spawnChild(b, 1));
  const found = results.filter((r): r is Extract<ChildResult, { models: unknown }> => 'models' in r);
  console.log('backends:');
  for (const r of results)
    console.log(`  ${r.backend}: ${'models' in r ? `found (${r.reason})` : `not found (${r.unavailable})`}`);

  // Run-to-run spread on WASM: the range of each model's eval error over training seeds 1..N.
  const spread = new Map<ModelName, number>();
  const wasm1 = found.find((r) => r.backend === 'wasm');
  if (wasm1) {
    const runs = [wasm1];
    for (let s = 2; s <= seedCount; s++) {
      const r = spawnChild('wasm', s);
      if ('models' in r) runs.push(r);
    }
    for (const model of MODELS) {
      const errs = runs.map((r) => r.models.find((m) => m.model === model)?.evalError ?? NaN);
      spread.set(model, Math.max(...errs) - Math.min(...errs));
    }
    console.log(`WASM run-to-run spread over seeds 1..${runs.length} (eval error range, percentage points):`);
    for (const model of MODELS) console.log(`  ${model}: ${(100 * (spread.get(model) ?? 0)).toFixed(1)}`);
  }

  console.log(
    '\n| model | backend | engine | samples/s | eval error % (seed 1) | Δ vs WASM (pp) | within WASM spread |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  let disagreements = 0;
  for (const model of MODELS) {
    const ref = wasm1?.models.find((m) => m.model === model);
    for (const r of found) {
      const m = r.models.find((x) => x.model === model);
      if (!m) continue;
      const delta = ref ? m.evalError - ref.evalError : NaN;
      const ok = ref ? Math.abs(delta) <= (spread.get(model) ?? 0) + 1e-12 : null;
      if (ok === false) disagreements++;
      console.log(
        `| ${model} | ${r.backend} | ${m.engine} | ${m.samplesPerSec.toFixed(1)} | ${(100 * m.evalError).toFixed(1)} | ${ref ? (100 * delta).toFixed(1) : '—'} | ${ok === null ? 'no WASM reference' : ok ? 'yes' : 'NO'} |`,
      );
    }
  }
  console.log(
    `\n${found.length} of ${results.length} backends found (${found.map((r) => r.backend).join(', ') || 'none'}); ${disagreements} error rates outside the WASM spread; ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  if (found.length === 0 || disagreements > 0) process.exitCode = 1;
}
