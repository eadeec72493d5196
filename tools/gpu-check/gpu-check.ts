// Trains MLP-M1 and the manual CNN on every backend that comes up here and prints samples/s.
// Run on a machine with an NVIDIA GPU (after `npm i @tensorflow/tfjs-node-gpu` for the native path):
//   node tools/gpu-check/gpu-check.js [--cnn-samples 64] [--mlp-rows 20000]
// Each backend runs in its own child process (a process holds one tfjs backend well).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '@corpus-tune/core';
import { featureSplitFromArrays } from '@corpus-tune/features';
import {
  BACKEND_CHAIN,
  buildModel,
  fitModel,
  namedConfig,
  selectBackend,
} from '../../packages/train/src/index.ts';
import type { BackendName, FeatureSplit } from '../../packages/train/src/index.ts';

const { values } = parseArgs({
  options: {
    backend: { type: 'string' },
    'cnn-samples': { type: 'string', default: '64' },
    'mlp-rows': { type: 'string', default: '20000' },
  },
});

async function measure(name: BackendName): Promise<void> {
  // A bundled copy (no node_modules beside it) is told where the WASM binaries are.
  if (process.env.TFJS_WASM_DIR) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${process.env.TFJS_WASM_DIR}/`);
  }
  let choice;
  try {
    choice = await selectBackend(name);
  } catch (error) {
    console.log(JSON.stringify({ backend: name, unavailable: (error as Error).message }));
    return;
  }
  const rows = Number(values['mlp-rows']);
  const rng = createRng(1);
  const x = Float32Array.from({ length: 2 * rows }, () => rng.normal());
  const labels = Int8Array.from({ length: rows }, (_, i) => (x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0));
  const split: FeatureSplit = featureSplitFromArrays({
    path: 'synthetic',
    sha256: 'synthetic',
    x,
    labels,
    shape: [2],
    classNames: ['0', '1'],
  });
  const mlpConfig = namedConfig('mlp-m1', [2], 2);
  const fit = await fitModel(
    buildModel(mlpConfig, { seed: 1 }),
    { ...mlpConfig, training: { ...mlpConfig.training, epochs: 1 } },
    split,
    { seed: 1 },
  );
  const cnn = buildModel(namedConfig('cnn-m', [128, 128, 3], 2), { seed: 1 });
  cnn.compile({ optimizer: tf.train.sgd(0.001), loss: 'categoricalCrossentropy' });
  const xb = tf.randomNormal([8, 128, 128, 3]);
  const yb = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2);
  await cnn.trainOnBatch(xb, yb);
  // The pure-JS CPU backend trains this CNN at well under 1 sample/s: one step is enough to show it.
  const steps = name === 'cpu' ? 1 : Math.max(1, Math.floor(Number(values['cnn-samples']) / 8));
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await cnn.trainOnBatch(xb, yb);
  const cnnSps = (steps * 8) / ((performance.now() - t0) / 1000);
  console.log(
    JSON.stringify({
      backend: choice.name,
      reason: choice.reason,
      mlpM1SamplesPerSec: Math.round(fit.samplesPerSec),
      cnnManualSamplesPerSec: Math.round(cnnSps * 10) / 10,
    }),
  );
}

if (values.backend) {
  await measure(values.backend as BackendName);
} else {
  // Re-run this same entry (the tsx launcher, or a bundled copy) once per backend.
  const launcher = process.argv[1] ?? fileURLToPath(new URL('./gpu-check.js', import.meta.url));
  for (const name of BACKEND_CHAIN) {
    const r = spawnSync(
      process.execPath,
      [
        launcher,
        '--backend',
        name,
        '--cnn-samples',
        String(values['cnn-samples']),
        '--mlp-rows',
        String(values['mlp-rows']),
      ],
      { encoding: 'utf8', timeout: 300_000 },
    );
    const out = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status === 0 && out.startsWith('{')) console.log(out);
    else
      console.log(
        JSON.stringify({ backend: name, failed: `exit ${r.status}`, stderr: r.stderr.trim().slice(-400) }),
      );
  }
}
