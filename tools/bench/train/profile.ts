// Per-kernel time of one training step of a zoo network on a backend (default WASM with our kernels):
//   node --import tsx tools/bench/train/profile.ts [--system cnn-m] [--shape 128,128,3] [--batch 8]
// Kernels our replacement kernels run inside themselves are listed too; their time is also inside the
// outer kernel's. Wall times: compare kernels within one run, not across runs on a loaded machine.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { buildModel, makeOptimizer, namedConfig, selectBackend } from '../../../packages/train/src/index.ts';

const { values } = parseArgs({
  options: {
    system: { type: 'string', default: 'cnn-m' },
    shape: { type: 'string', default: '128,128,3' },
    batch: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    top: { type: 'string', default: '15' },
  },
});
await selectBackend(values.backend as 'wasm');
const shape = values.shape.split(',').map(Number);
const config = namedConfig(values.system, shape, 2);
const batch = Number(values.batch ?? config.training.batchSize);
const model = buildModel(config, { seed: 1 });
model.compile({ optimizer: makeOptimizer(config.training), loss: 'categoricalCrossentropy' });
const x = tf.randomNormal([batch, ...shape], 0, 1, 'float32', 1);
const y = tf.oneHot(
  tf.tensor1d(
    Int32Array.from({ length: batch }, (_, i) => i % 2),
    'int32',
  ),
  2,
);
await model.trainOnBatch(x, y); // warm-up: XNNPACK operators are created on first use
const t0 = performance.now();
const profile = await tf.profile(async () => {
  await model.trainOnBatch(x, y);
});
const stepMs = performance.now() - t0;
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of profile.kernels) {
  const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
  e.ms += k.kernelTimeMs as number;
  e.calls++;
  byKernel.set(k.name, e);
}
console.log(
  `${values.system} [${shape.join(', ')}] batch ${batch} on ${tf.getBackend()}: one step ${stepMs.toFixed(1)} ms (profiled), ${profile.kernels.length} kernel calls`,
);
for (const [name, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(values.top)))
  console.log(`${name.padEnd(24)} ${e.ms.toFixed(1).padStart(9)} ms  ${String(e.calls).padStart(4)} calls`);
