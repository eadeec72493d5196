import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fuseLstmLayers } from '../src/lstm-fused.ts';
import { loadModel, saveModel } from '../src/model-io.ts';
import { LSTM_KERNEL_WASM_BASE64 } from '../src/lstm-kernel-wasm.ts';
import { assertHeapOnlyModule, maxRelDiff, useBackend } from './helpers.ts';

// The fused LSTM on WASM against tfjs-layers' own LSTM on the CPU backend (its per-step ops), to
// float32 rounding: outputs, the loss gradient of the input and of every weight.
const TOLERANCE = 1e-5;

interface Case {
  name: string;
  batch: number;
  steps: number;
  features: number;
  layers: { units: number; returnSequences: boolean; recurrentActivation?: 'sigmoid' }[];
  /** Input scale: large values drive the hard-sigmoid gates into their flat (zero-slope) parts. */
  scale?: number;
}

const CASES: Case[] = [
  {
    name: 'last output, 8 units',
    batch: 3,
    steps: 7,
    features: 5,
    layers: [{ units: 8, returnSequences: false }],
  },
  {
    name: 'whole sequence, 12 units',
    batch: 2,
    steps: 6,
    features: 3,
    layers: [{ units: 12, returnSequences: true }],
  },
  {
    name: 'two stacked layers (as the zoo LSTM), 64 then 32 units',
    batch: 4,
    steps: 10,
    features: 9,
    layers: [
      { units: 64, returnSequences: true },
      { units: 32, returnSequences: false },
    ],
  },
  {
    name: 'two time steps, batch 1',
    batch: 1,
    steps: 2,
    features: 4,
    layers: [{ units: 4, returnSequences: false }],
  },
  {
    name: 'saturated gates (inputs ×8)',
    batch: 3,
    steps: 8,
    features: 6,
    layers: [{ units: 8, returnSequences: true }],
    scale: 8,
  },
];

function buildLstm(c: Case): tf.LayersModel {
  const input = tf.input({ shape: [c.steps, c.features] });
  let h: tf.SymbolicTensor = input;
  c.layers.forEach((spec, i) => {
    h = tf.layers
      .lstm({
        units: spec.units,
        returnSequences: spec.returnSequences,
        recurrentActivation: spec.recurrentActivation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 10 + i }),
        recurrentInitializer: tf.initializers.glorotUniform({ seed: 20 + i }),
        biasInitializer: tf.initializers.randomNormal({ seed: 30 + i, stddev: 0.5 }),
      })
      .apply(h) as tf.SymbolicTensor;
  });
  const model = tf.model({ inputs: input, outputs: h });
  fuseLstmLayers(model);
  return model;
}

async function run(backend: 'cpu' | 'wasm', c: Case) {
  await useBackend(backend);
  const model = buildLstm(c);
  const x = tf.randomNormal([c.batch, c.steps, c.features], 0, c.scale ?? 1, 'float32', 5);
  const outShape = (model.outputs[0].shape as number[]).slice(1);
  // Every output weighted differently, so a gradient sent to the wrong step or unit shows.
  const weights = tf.randomNormal(outShape, 0, 1, 'float32', 6);
  const loss = (xi: tf.Tensor) => (model.apply(xi) as tf.Tensor).mul(weights).sum() as tf.Scalar;
  const y = Float32Array.from((model.predict(x) as tf.Tensor).dataSync());
  const { grads } = tf.variableGrads(() => loss(x));
  const dx = tf.grad(loss)(x);
  const profile = await tf.profile(() => model.predict(x) as tf.Tensor);
  const out = {
    y,
    dx: Float32Array.from(dx.dataSync()),
    grads: Object.entries(grads).map(
      ([name, g]) => [name.replace(/_\d+/g, ''), Float32Array.from(g.dataSync())] as const,
    ),
    forwardKernels: profile.kernels.length,
  };
  tf.dispose([x, weights, dx, ...Object.values(grads)]);
  model.dispose();
  return out;
}

for (const c of CASES) {
  test(`fused LSTM on WASM matches tfjs-layers' LSTM on the CPU backend: ${c.name}`, async () => {
    const cpu = await run('cpu', c);
    const wasm = await run('wasm', c);
    // The fused forward pass is a handful of kernels per layer; tfjs's own runs several per time step.
    assert.ok(
      wasm.forwardKernels <= 8 * c.layers.length,
      `WASM forward pass ran ${wasm.forwardKernels} kernels`,
    );
    assert.ok(
      cpu.forwardKernels > 8 * c.steps * c.layers.length,
      `CPU forward pass ran ${cpu.forwardKernels} kernels`,
    );
    assert.ok(maxRelDiff(cpu.y, wasm.y) < TOLERANCE, `output rel diff ${maxRelDiff(cpu.y, wasm.y)}`);
    assert.ok(
      maxRelDiff(cpu.dx, wasm.dx) < TOLERANCE,
      `input gradient rel diff ${maxRelDiff(cpu.dx, wasm.dx)}`,
    );
    assert.equal(wasm.grads.length, 3 * c.layers.length);
    for (const [i, [name, g]] of cpu.grads.entries()) {
      const diff = maxRelDiff(g, wasm.grads[i][1]);
      assert.ok(diff < TOLERANCE, `${name} gradient rel diff ${diff}`);
    }
  });
}

test('one time step: the fused output matches the CPU backend, and the recurrent kernel gets no gradient', async () => {
  // tfjs's own gradient of a one-step LSTM fails (its Unpack gradient), so only the forward pass is compared.
  const c: Case = {
    name: 'one step',
    batch: 3,
    steps: 1,
    features: 4,
    layers: [{ units: 8, returnSequences: false }],
  };
  const outputs: Float32Array[] = [];
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const model = buildLstm(c);
    const x = tf.randomNormal([c.batch, c.steps, c.features], 0, 1, 'float32', 5);
    outputs.push(Float32Array.from((model.predict(x) as tf.Tensor).dataSync()));
    if (backend === 'wasm') {
      const { grads } = tf.variableGrads(() => (model.apply(x) as tf.Tensor).sum() as tf.Scalar);
      const recurrent = Object.entries(grads).find(([name]) => name.includes('recurrent'));
      assert.ok(recurrent, 'a recurrent kernel gradient');
      assert.deepEqual([...recurrent[1].dataSync()], new Array(8 * 32).fill(0));
      tf.dispose(Object.values(grads));
    }
    tf.dispose(x);
    model.dispose();
  }
  assert.ok(maxRelDiff(outputs[0], outputs[1]) < TOLERANCE);
});

test('LSTMs the fused kernels do not cover keep their own call on WASM, and still match the CPU backend', async () => {
  for (const layers of [
    [{ units: 6, returnSequences: false }], // units not a multiple of 4
    [{ units: 8, returnSequences: false, recurrentActivation: 'sigmoid' as const }],
  ]) {
    const c: Case = { name: 'other', batch: 2, steps: 5, features: 3, layers };
    const cpu = await run('cpu', c);
    const wasm = await run('wasm', c);
    assert.ok(wasm.forwardKernels > 8 * c.steps, `WASM forward pass ran ${wasm.forwardKernels} kernels`);
    assert.ok(maxRelDiff(cpu.y, wasm.y) < TOLERANCE);
    assert.ok(maxRelDiff(cpu.dx, wasm.dx) < TOLERANCE);
  }
});

test('a saved LSTM model loads fused again and predicts the same values', async () => {
  await useBackend('wasm');
  const c = CASES[2];
  const model = buildLstm(c);
  const dir = mkdtempSync(join(tmpdir(), 'lstm-fused-'));
  await saveModel(model, dir);
  const loaded = await loadModel(dir);
  const x = tf.randomNormal([c.batch, c.steps, c.features], 0, 1, 'float32', 7);
  const before = Float32Array.from((model.predict(x) as tf.Tensor).dataSync());
  const profile = await tf.profile(() => loaded.predict(x) as tf.Tensor);
  const after = Float32Array.from((loaded.predict(x) as tf.Tensor).dataSync());
  assert.deepEqual(after, before);
  assert.ok(
    profile.kernels.length <= 8 * c.layers.length,
    `loaded model ran ${profile.kernels.length} kernels`,
  );
  tf.dispose(x);
  model.dispose();
  loaded.dispose();
});

test('the LSTM module imports only the heap and has no data segment (which would overwrite tfjs heap)', () => {
  assertHeapOnlyModule(LSTM_KERNEL_WASM_BASE64);
});
