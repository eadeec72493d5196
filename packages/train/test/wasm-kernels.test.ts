import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  buildModel,
  conv2dFilterGradient,
  conv2dInputGradient,
  namedConfig,
  SYSTEMS,
  WASM_TRAINING_KERNELS,
} from '../src/index.ts';
import { useBackend } from './helpers.ts';

// Small inputs with the same layer types as the real corpora (the kernels do not depend on size).
const SHAPES: Record<string, number[]> = { mlp: [2], cnn: [40, 40, 3], lstm: [6, 4], 'cnn-lstm': [6, 4] };

async function kernelsOfTrainingStep(system: string): Promise<Set<string>> {
  const info = SYSTEMS.find((s) => s.system === system);
  const shape = system === 'cnn-a' ? [90, 90, 3] : SHAPES[info?.kind ?? 'mlp'];
  const model = buildModel(namedConfig(system, shape, 2), { seed: 1 });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  const x = tf.randomNormal([2, ...shape], 0, 1, 'float32', 1) as tf.Tensor;
  const y = tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2);
  const profile = await tf.profile(async () => {
    await model.trainOnBatch(x, y);
  });
  tf.dispose([x, y]);
  // Fused ops (`fusedMatMul__op`, …) appear as customGrad scopes beside the kernels they run; skip them.
  return new Set(profile.kernels.map((k) => k.name).filter((name) => !name.endsWith('__op')));
}

test('every kernel a zoo training step runs exists on WASM or is in WASM_TRAINING_KERNELS', async () => {
  await useBackend('cpu');
  const needed = new Set<string>();
  for (const s of SYSTEMS.filter((x) => x.config))
    for (const k of await kernelsOfTrainingStep(s.system)) needed.add(k);
  await useBackend('wasm');
  const stock = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  const ours = new Set<string>(WASM_TRAINING_KERNELS);
  const missing = [...needed].filter((k) => !stock.has(k) && !ours.has(k));
  assert.deepEqual(missing, [], `kernels the zoo needs that WASM lacks: ${missing.join(', ')}`);
  // And each kernel we add is really needed (the list is what the test found, not a guess).
  for (const k of ours) assert.ok(needed.has(k), `${k} is registered but no zoo model needs it`);
});

async function gradients(
  backend: 'cpu' | 'wasm',
  xShape: [number, number, number, number],
  fShape: [number, number, number, number],
  strides: number,
  pad: 'same' | 'valid',
) {
  await useBackend(backend);
  const x = tf.randomNormal(xShape, 0, 1, 'float32', 11) as tf.Tensor4D;
  const f = tf.randomNormal(fShape, 0, 1, 'float32', 12) as tf.Tensor4D;
  const w = tf.randomNormal([1], 0, 1, 'float32', 13);
  const g = tf.grads((xi: tf.Tensor, fi: tf.Tensor) =>
    tf
      .conv2d(xi as tf.Tensor4D, fi as tf.Tensor4D, strides, pad)
      .square()
      .sum()
      .mul(w),
  )([x, f]);
  const out = { dx: Float32Array.from(g[0].dataSync()), df: Float32Array.from(g[1].dataSync()) };
  tf.dispose([x, f, w, ...g]);
  return out;
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return diff / scale;
}

for (const [name, xShape, fShape, strides, pad] of [
  ['5×5 valid stride 1', [2, 12, 11, 3], [5, 5, 3, 4], 1, 'valid'],
  ['3×3 same stride 2', [3, 9, 10, 2], [3, 3, 2, 5], 2, 'same'],
  ['1×3 (Conv1D as lowered by tfjs) same', [2, 1, 15, 4], [1, 3, 4, 6], 1, 'same'],
  // Even kernels pad 'same' unevenly (more at the bottom/right); a stride that does not divide the
  // padded input leaves rows the filter gradient's convolution must crop.
  ['4×4 same stride 1 (uneven padding)', [2, 9, 7, 3], [4, 4, 3, 2], 1, 'same'],
  ['4×3 valid stride 3 (crop)', [2, 14, 12, 2], [4, 3, 2, 3], 3, 'valid'],
  ['2×2 same stride 2', [1, 8, 9, 5], [2, 2, 5, 4], 2, 'same'],
] as const) {
  test(`Conv2D gradients on WASM match the CPU backend to float32 tolerance: ${name}`, async () => {
    const cpu = await gradients(
      'cpu',
      [...xShape] as [number, number, number, number],
      [...fShape],
      strides,
      pad,
    );
    const wasm = await gradients(
      'wasm',
      [...xShape] as [number, number, number, number],
      [...fShape],
      strides,
      pad,
    );
    assert.ok(maxRelDiff(cpu.df, wasm.df) < 1e-5, `filter gradient rel diff ${maxRelDiff(cpu.df, wasm.df)}`);
    assert.ok(maxRelDiff(cpu.dx, wasm.dx) < 1e-5, `input gradient rel diff ${maxRelDiff(cpu.dx, wasm.dx)}`);
  });
}

for (const [name, aShape, bShape, transposeA, transposeB] of [
  ['a·bᵀ (a Dense layer input gradient)', [17, 9], [5, 9], false, true],
  ['aᵀ·b (a Dense layer kernel gradient)', [17, 9], [17, 6], true, false],
  ['aᵀ·bᵀ', [9, 17], [6, 9], true, true],
  ['batched aᵀ·b (rank 3)', [3, 7, 4], [3, 7, 5], true, false],
] as const) {
  test(`BatchMatMul with transposes on WASM matches the CPU backend: ${name}`, async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const a = tf.randomNormal([...aShape], 0, 1, 'float32', 31);
      const b = tf.randomNormal([...bShape], 0, 1, 'float32', 32);
      const c = tf.matMul(a, b, transposeA, transposeB);
      // The replacement transposes into temporaries; the operands themselves must survive.
      assert.ok(!a.isDisposed && !b.isDisposed, 'matMul disposed an operand');
      const out = { shape: c.shape, values: Float32Array.from(c.dataSync()) };
      tf.dispose([a, b, c]);
      return out;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.ok(maxRelDiff(cpu.values, wasm.values) < 1e-5, `rel diff ${maxRelDiff(cpu.values, wasm.values)}`);
  });
}

test('the tf-ops form of the input gradient (exported reference) equals tf.grads on CPU', async () => {
  await useBackend('cpu');
  const x = tf.randomNormal([2, 9, 8, 3], 0, 1, 'float32', 24) as tf.Tensor4D;
  const f = tf.randomNormal([4, 3, 3, 5], 0, 1, 'float32', 25) as tf.Tensor4D;
  const dy = tf.randomNormal([2, 9, 8, 5], 0, 1, 'float32', 26) as tf.Tensor4D;
  const expected = tf.grad((xi: tf.Tensor) =>
    tf
      .conv2d(xi as tf.Tensor4D, f, 1, 'same')
      .mul(dy)
      .sum(),
  )(x);
  const ours = conv2dInputGradient(dy, f, [2, 9, 8, 3], 1, 'same');
  assert.ok(ours, 'stride 1 has the convolution form');
  assert.ok(maxRelDiff(Float32Array.from(expected.dataSync()), Float32Array.from(ours.dataSync())) < 1e-5);
  assert.equal(conv2dInputGradient(dy, f, [2, 9, 8, 3], 2, 'same'), null, 'stride 2 keeps the stock kernel');
  tf.dispose([x, f, dy, expected, ours]);
});

test('the tf-ops form of the filter gradient (exported reference) equals tf.grads on CPU', async () => {
  await useBackend('cpu');
  const x = tf.randomNormal([2, 9, 8, 3], 0, 1, 'float32', 21) as tf.Tensor4D;
  const f = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 22) as tf.Tensor4D;
  const dy = tf.randomNormal([2, 5, 4, 4], 0, 1, 'float32', 23) as tf.Tensor4D;
  const expected = tf.grad((fi: tf.Tensor) =>
    tf
      .conv2d(x, fi as tf.Tensor4D, 2, 'same')
      .mul(dy)
      .sum(),
  )(f);
  const ours = conv2dFilterGradient(x, dy, [3, 3, 3, 4], 2, 'same');
  assert.ok(maxRelDiff(Float32Array.from(expected.dataSync()), Float32Array.from(ours.dataSync())) < 1e-5);
  tf.dispose([x, f, dy, expected, ours]);
});
