// Golden learning curves for packages/train/test/fit-trajectory.test.ts: fitModel's per-epoch training
// and inner-val losses on fixed seeded sets, as computed by the fit loop before its rewrite (tfjs
// trainOnBatch per batch, commit 7dd7f18). Run from a checkout of that commit:
//   node --import tsx tools/golden/train_fit_trajectory.ts > packages/train/test/golden/fit_trajectory.json
import * as tf from '@tensorflow/tfjs';
import { createRng } from '@corpus-tune/core';
import { buildModel, fitModel, namedConfig } from '../../packages/train/src/index.ts';
import type { ModelConfig } from '../../packages/train/src/index.ts';
import { memorySplit, useBackend } from '../../packages/train/test/helpers.ts';

export const TRAJECTORY_CASES: { name: string; system: string; shape: number[]; n: number; batchSize: number; l2?: number }[] = [
  { name: 'mlp-m1', system: 'mlp-m1', shape: [2], n: 3000, batchSize: 128 },
  { name: 'mlp-m2 (dropout)', system: 'mlp-m2', shape: [2], n: 2000, batchSize: 64 },
  { name: 'mlp-m1 with l2', system: 'mlp-m1', shape: [2], n: 1500, batchSize: 32, l2: 0.01 },
  { name: 'cnn-m 40x40x1', system: 'cnn-m', shape: [40, 40, 1], n: 48, batchSize: 8 },
  { name: 'cnn-lstm', system: 'cnn-lstm', shape: [8, 3], n: 256, batchSize: 32 },
  { name: 'lstm', system: 'lstm', shape: [6, 4], n: 256, batchSize: 32 },
];

/** A seeded two-class set: class 1 shifted by +0.7 in every value, noise σ 1. */
export function trajectorySet(shape: number[], n: number) {
  const rng = createRng(2024);
  const size = shape.reduce((a, b) => a * b, 1);
  const labels = Int8Array.from({ length: n }, (_, i) => i % 2);
  const x = Float32Array.from({ length: n * size }, (_, j) => rng.normal() + 0.7 * labels[Math.floor(j / size)]);
  return memorySplit(x, labels, shape);
}

export function trajectoryConfig(c: (typeof TRAJECTORY_CASES)[number]): ModelConfig {
  const base = namedConfig(c.system, c.shape, 2);
  const withL2 =
    c.l2 !== undefined && base.kind === 'mlp'
      ? { ...base, hidden: base.hidden.map((h, i) => (i === 0 ? { ...h, l2: c.l2 } : h)) }
      : base;
  return { ...withL2, training: { ...base.training, batchSize: c.batchSize, epochs: 3 } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await useBackend('wasm');
  const out: Record<string, { loss: number[]; innerValLoss: number[] }> = {};
  for (const c of TRAJECTORY_CASES) {
    const config = trajectoryConfig(c);
    const fit = await fitModel(buildModel(config, { seed: 3 }), config, trajectorySet(c.shape, c.n), {
      seed: 3,
      innerValFraction: 0.2,
      patienceEpochs: 99,
    });
    out[c.name] = { loss: fit.learningCurve.map((e) => e.loss), innerValLoss: fit.learningCurve.map((e) => e.innerValLoss) };
  }
  console.log(JSON.stringify({ madeBy: 'tools/golden/train_fit_trajectory.ts at commit 7dd7f18 (trainOnBatch loop, stock WASM kernels + im2col filter gradient)', tfjs: tf.version.tfjs, cases: out }, null, 2));
}
