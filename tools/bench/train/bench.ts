// Benchmark: ours (tfjs on WASM + our kernels; our KNN / forest) vs Debian's python3-torch (CPU) and
// python3-sklearn on the same data, in one run. Prints samples/s (or seconds) and the ratio.
//   node --import tsx tools/bench/train/bench.ts [--threads 2] [--cnn-samples 64]
// Data: ../shared/data/imld/set_10 (the real ds10 files, label,x,y CSV).
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { sharedDataDir } from '@corpus-tune/core';
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
import { readImldCsv } from '../../../packages/train/test/helpers.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '2' },
    'cnn-samples': { type: 'string', default: '64' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const threads = Number(values.threads);
const cnnSamples = Number(values['cnn-samples']);
const dir = sharedDataDir('imld', 'set_10');
const csv = (s: string) => join(dir, `${s}.csv`);

function split(points: Float64Array, labels: Int8Array): FeatureSplit {
  return featureSplitFromArrays({
    path: 'set_10',
    sha256: 'set_10',
    x: Float32Array.from(points),
    labels,
    shape: [2],
    classNames: ['0', '1'],
  });
}

const line = (what: string, ours: number, peer: number, unit: string, higherIsBetter: boolean) => {
  const ratio = higherIsBetter ? ours / peer : peer / ours;
  console.log(
    `${what.padEnd(34)} ours ${ours.toFixed(1).padStart(9)} ${unit}   peer ${peer.toFixed(1).padStart(9)} ${unit}   ours/peer speed ${ratio.toFixed(2)}×`,
  );
};

const backend = await selectBackend(values.backend as 'wasm', {
  logger: { info: (m) => console.log(m), warn: (m) => console.log(m) },
});
const train = readImldCsv(csv('train'));
const dev = readImldCsv(csv('dev'));
const evalSplit = readImldCsv(csv('eval'));

// MLP-M1, one epoch over all 100k train points (no inner split: fraction ~0), batch 128, Adam.
const mlpConfig = namedConfig('mlp-m1', [2], 2);
const mlp = buildModel(mlpConfig, { seed: 1 });
const fit = await fitModel(
  mlp,
  { ...mlpConfig, training: { ...mlpConfig.training, epochs: 1 } },
  split(train.points, train.labels),
  { seed: 1, innerValFraction: 1e-5 },
);
const oursMlp = fit.samplesPerSec;

// Manual CNN at 128×128×3, batch 8, SGD: steady-state training steps.
const cnnConfig = namedConfig('cnn-m', [128, 128, 3], 2);
const cnn = buildModel(cnnConfig, { seed: 1 });
cnn.compile({ optimizer: tf.train.sgd(0.001), loss: 'categoricalCrossentropy' });
const xb = tf.randomNormal([8, 128, 128, 3]);
const yb = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2);
await cnn.trainOnBatch(xb, yb); // warm-up
let t0 = performance.now();
for (let i = 0; i < cnnSamples / 8; i++) await cnn.trainOnBatch(xb, yb);
const oursCnn = (Math.floor(cnnSamples / 8) * 8) / ((performance.now() - t0) / 1000);

// KNN k=51 (the k chosen on dev for set_10): dev + eval against train; forest of 25 trees, depth 20.
t0 = performance.now();
const knn = fitKnn(train.points, train.labels, 2);
const queries = new Float64Array(dev.points.length + evalSplit.points.length);
queries.set(dev.points);
queries.set(evalSplit.points, dev.points.length);
predictKnn(knn, queries, [51]);
const oursKnnSec = (performance.now() - t0) / 1000;
t0 = performance.now();
fitForest(train.points, train.labels, 2, 2, { trees: 25, maxDepth: 20, seed: 1 });
const oursRfSec = (performance.now() - t0) / 1000;

const torch = spawnSync(
  '/usr/bin/python3',
  [join(here, 'torch_peer.py'), csv('train'), String(cnnSamples), String(threads)],
  { encoding: 'utf8' },
);
if (torch.status !== 0) throw new Error(`torch peer failed: ${torch.stderr}`);
const peer = JSON.parse(torch.stdout) as { mlpSamplesPerSec: number; cnnSamplesPerSec: number };
const sk = spawnSync('/usr/bin/python3', [join(here, 'sklearn_peer.py'), dir, '51', '25'], {
  encoding: 'utf8',
});
if (sk.status !== 0) throw new Error(`sklearn peer failed: ${sk.stderr}`);
const skPeer = JSON.parse(sk.stdout) as { knnSec: number; rfSec: number };

console.log(`backend ${backend.name} (single-threaded in Node); torch threads ${threads}`);
line('MLP-M1, 1 epoch on ds10 (100k)', oursMlp, peer.mlpSamplesPerSec, 'samples/s', true);
line(`manual CNN 128×128×3, batch 8`, oursCnn, peer.cnnSamplesPerSec, 'samples/s', true);
line('KNN k=51, 20k queries vs 100k', oursKnnSec, skPeer.knnSec, 's', false);
line('RF 25 trees depth 20 on 100k', oursRfSec, skPeer.rfSec, 's', false);
