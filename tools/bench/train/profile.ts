// Per-kernel time of one training step of a zoo network on a backend (default WASM with our kernels):
//   node --import tsx tools/bench/train/profile.ts [--system cnn-m] [--shape 128,128,3] [--batch 8]
//     [--steps 3] [--shapes] [--top 20]
// Kernels are summed over `--steps` profiled steps (after one warm-up step) and sorted by time; `--shapes`
// splits each kernel by its input shapes. Kernels our replacement kernels run inside themselves are
// listed apart ("inside other kernels"): their time is already in the outer kernel's. Also prints the
// step's CPU time (process.cpuUsage), which other jobs on the machine do not skew; the kernel times are
// wall times, so compare kernels within one run, not across runs on a loaded machine.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { buildModel, makeOptimizer, namedConfig, selectBackend } from '../../../packages/train/src/index.ts';

const { values } = parseArgs({
  options: {
    system: { type: 'string', default: 'cnn-m' },
    shape: { type: 'string', default: '128,128,3' },
    batch: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    steps: { type: 'string', default: '3' },
    shapes: { type: 'boolean', default: false },
    top: { type: 'string', default: '20' },
  },
});
await selectBackend(values.backend as 'wasm');
const shape = values.shape.split(',').map(Number);
const steps = Number(values.steps);
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

// Unprofiled steps for the CPU time per step (profiling adds a data read per kernel).
const cpuFrom = process.cpuUsage();
const wallFrom = performance.now();
for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
const cpu = process.cpuUsage(cpuFrom);
const cpuMsPerStep = (cpu.user + cpu.system) / 1000 / steps;
const wallMsPerStep = (performance.now() - wallFrom) / steps;

// The engine pushes each kernel's record when it returns, while state.kernelDepth still counts the
// kernels (and customGrad scopes) around it: depth 0 is one the step itself called.
interface EngineState {
  kernelDepth: number;
  activeProfile: { kernels: unknown[] };
}
const state = (tf.engine() as unknown as { state: EngineState }).state;
const depths: number[] = [];
const profile = await tf.profile(async () => {
  const kernels = state.activeProfile.kernels;
  const push = kernels.push.bind(kernels);
  kernels.push = (...items: unknown[]) => {
    depths.push(...items.map(() => state.kernelDepth));
    return push(...items);
  };
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
});

interface Total {
  ms: number;
  calls: number;
}
// A record's enclosing kernel is the next one to finish one level up. Fused ops (`fusedConv2d__op`, …)
// are customGrad scopes, not kernels: what runs inside only them counts as the step's own kernel.
const names = profile.kernels.map((k) => k.name);
const topLevel: boolean[] = new Array<boolean>(names.length);
const enclosing: number[] = []; // by depth, scanning backwards: the latest record seen at each depth
for (let i = names.length - 1; i >= 0; i--) {
  const d = depths[i];
  enclosing[d] = i;
  topLevel[i] = d === 0 || (names[enclosing[d - 1]].endsWith('__op') && topLevel[enclosing[d - 1]]);
}
const outer = new Map<string, Total>();
const inner = new Map<string, Total>();
let outerMs = 0;
profile.kernels.forEach((k, i) => {
  if (k.name.endsWith('__op')) return;
  const key = values.shapes ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
  const into = topLevel[i] ? outer : inner;
  const e = into.get(key) ?? { ms: 0, calls: 0 };
  e.ms += (k.kernelTimeMs as number) / steps;
  e.calls += 1 / steps;
  into.set(key, e);
  if (topLevel[i]) outerMs += (k.kernelTimeMs as number) / steps;
});
const top = Number(values.top);
const print = (totals: Map<string, Total>, share: boolean) => {
  for (const [name, e] of [...totals].sort((a, b) => b[1].ms - a[1].ms).slice(0, top))
    console.log(
      `  ${e.ms.toFixed(1).padStart(8)} ms ${share ? `${((100 * e.ms) / outerMs).toFixed(1).padStart(5)} %` : '       '} ${String(Math.round(e.calls)).padStart(4)}× ${name}`,
    );
};
console.log(
  `${values.system} [${shape.join(', ')}] batch ${batch} on ${tf.getBackend()}: ${cpuMsPerStep.toFixed(1)} ms CPU ` +
    `(${wallMsPerStep.toFixed(1)} ms wall) per step unprofiled, ${(batch / (cpuMsPerStep / 1000)).toFixed(1)} ` +
    `samples per CPU second; kernels per profiled step (mean of ${steps}), ${outerMs.toFixed(1)} ms in all:`,
);
print(outer, true);
if (inner.size) {
  console.log('inside other kernels (their time is already counted above):');
  print(inner, false);
}
