import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import {
  buildModel,
  conv2dFilterGradient,
  conv2dInputGradient,
  namedConfig,
  SYSTEMS,
  WASM_TRAINING_KERNELS,
} from '../src/index.ts';
import { maxRelDiff, useBackend } from './helpers.ts';

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
  const diff = maxRelDiff(Float32Array.from(expected.dataSync()), Float32Array.from(ours.dataSync()));
  assert.ok(diff < 1e-5, `rel diff ${diff}`);
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
  const diff = maxRelDiff(Float32Array.from(expected.dataSync()), Float32Array.from(ours.dataSync()));
  assert.ok(diff < 1e-5, `rel diff ${diff}`);
  tf.dispose([x, f, dy, expected, ours]);
});

test('BatchMatMul a·bᵀ with a small a (computed as (b·aᵀ)ᵀ) matches the CPU backend', async () => {
  const run = async (backend: 'cpu' | 'wasm') => {
    await useBackend(backend);
    const a = tf.randomNormal([3, 20], 0, 1, 'float32', 33); // a Dense layer's dy (batch 3)
    const b = tf.randomNormal([40, 20], 0, 1, 'float32', 34); // its weights, [in, out]
    const c = tf.matMul(a, b, false, true);
    const out = { shape: c.shape, values: Float32Array.from(c.dataSync()) };
    tf.dispose([a, b, c]);
    return out;
  };
  const cpu = await run('cpu');
  const before = tf.memory().numTensors;
  const wasm = await run('wasm');
  assert.equal(tf.memory().numTensors, before, 'the swapped product leaks no temporaries');
  assert.deepEqual(wasm.shape, [3, 40]);
  assert.deepEqual(wasm.shape, cpu.shape);
  assert.ok(maxRelDiff(cpu.values, wasm.values) < 1e-5, `rel diff ${maxRelDiff(cpu.values, wasm.values)}`);
});

/** dx of Σ maxPool(x)·w for a random w, on a backend (the MaxPoolGrad kernel). */
async function maxPoolGradient(
  backend: 'cpu' | 'wasm',
  x: Float32Array,
  xShape: [number, number, number, number],
  pool: number | readonly [number, number],
  stride: number | readonly [number, number],
  pad: 'same' | 'valid',
): Promise<Float32Array> {
  await useBackend(backend);
  const xt = tf.tensor4d(x, xShape);
  const [filter, strides] = [pool, stride].map((v) => (typeof v === 'number' ? v : [...v])) as [
    number | [number, number],
    number | [number, number],
  ];
  const outShape = tf.maxPool(xt, filter, strides, pad).shape;
  const w = tf.randomNormal(outShape, 0, 1, 'float32', 41);
  const dx = tf.grad((xi: tf.Tensor) =>
    tf
      .maxPool(xi as tf.Tensor4D, filter, strides, pad)
      .mul(w)
      .sum(),
  )(xt);
  const out = Float32Array.from(dx.dataSync());
  tf.dispose([xt, w, dx]);
  return out;
}

// Values drawn from a few integers make ties common; zeros stand for a ReLU's dead units.
function tiedValues(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return [0, 0, 0, 1, 2, -1, 3.5][s % 7];
  });
}

for (const [name, xShape, pool, stride, pad] of [
  ['2×2 stride 2 (CNN-M), 16 channels', [2, 10, 12, 16], 2, 2, 'valid'],
  ['2×2 stride 2, odd size (floor drops the last row/column)', [2, 9, 11, 8], 2, 2, 'valid'],
  ['5×5 stride 5 (CNN-A), 5 channels (SIMD lanes + scalar tail)', [2, 23, 21, 5], 5, 5, 'valid'],
  ['3×3 stride 3, 7 channels', [1, 14, 13, 7], 3, 3, 'valid'],
  ['3×3 stride 2 same (overlapping windows, padding)', [2, 9, 10, 6], 3, 2, 'same'],
  ['2×2 stride 1 same (uneven padding)', [1, 7, 6, 4], 2, 1, 'same'],
  ['1×2 stride 1×2 (MaxPooling1D as lowered by tfjs)', [3, 1, 20, 64], [1, 2], [1, 2], 'valid'],
] as const) {
  test(`MaxPoolGrad on WASM matches the CPU backend, ties included: ${name}`, async () => {
    const shape = [...xShape] as [number, number, number, number];
    const size = shape.reduce((a, b) => a * b, 1);
    for (const [what, x] of [
      ['tied', tiedValues(size, 7)],
      ['distinct', Float32Array.from({ length: size }, (_, i) => Math.sin(i * 12.9898) * 43758.5453)],
    ] as const) {
      const cpu = await maxPoolGradient('cpu', x, shape, pool, stride, pad);
      const wasm = await maxPoolGradient('wasm', x, shape, pool, stride, pad);
      assert.ok(maxRelDiff(cpu, wasm) < 1e-5, `${what} inputs: rel diff ${maxRelDiff(cpu, wasm)}`);
    }
  });
}

test("MaxPoolGrad's tie rule on WASM: a window's first maximum in row-major order takes the gradient", async () => {
  await useBackend('wasm');
  // One 2×2 window per case, 1 channel, dy = 1: where does the 1 land?
  for (const [window, expected] of [
    [
      [4, 4, 4, 4],
      [1, 0, 0, 0],
    ],
    [
      [1, 3, 3, 2],
      [0, 1, 0, 0],
    ],
    [
      [0, 0, 0, 0],
      [1, 0, 0, 0],
    ],
    [
      [-5, -2, -2, -9],
      [0, 1, 0, 0],
    ],
    [
      [NaN, 1, 2, 2],
      [0, 0, 1, 0],
    ],
    [
      [-Infinity, -Infinity, -Infinity, -Infinity],
      [0, 0, 0, 0],
    ],
  ]) {
    const x = tf.tensor4d(window, [1, 2, 2, 1]);
    const dx = tf.grad((xi: tf.Tensor) => tf.maxPool(xi as tf.Tensor4D, 2, 2, 'valid').sum())(x);
    assert.deepEqual(Array.from(dx.dataSync()), expected, `window ${window.join(', ')}`);
    tf.dispose([x, dx]);
  }
  // Four channels in one SIMD vector, each with its own maximum position.
  const x = tf.tensor4d([5, 1, 0, 7, 5, 2, 0, 7, 1, 2, 0, 7, 5, 2, 0, 8], [1, 2, 2, 4]);
  const dx = tf.grad((xi: tf.Tensor) => tf.maxPool(xi as tf.Tensor4D, 2, 2, 'valid').sum())(x);
  assert.deepEqual(Array.from(dx.dataSync()), [1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  tf.dispose([x, dx]);
});

for (const [name, shape, axis, keepDims, match] of [
  // Ours takes sums of ≥ 65,536 elements; smaller ones keep the stock kernel.
  ['a convolution bias gradient [N, H, W, C] → [C]', [16, 40, 11, 16], [0, 1, 2], false, 'exact'],
  ['21 columns (16-, 4- and 1-column passes)', [3200, 21], [0], false, 'exact'],
  ['leading axes, keepDims (4,491 columns)', [3, 5, 499, 9], [1, 0], true, 'exact'],
  ["a Dense layer's bias gradient (small: stock kernel)", [128, 64], [0], false, 'float32'],
  ['a negative axis naming a trailing one (stock kernel)', [6, 7], [-1], false, 'float32'],
  ['the middle axis (stock kernel)', [4, 5, 6], [1], false, 'float32'],
] as const) {
  test(`Sum on WASM equals the CPU backend (ours: its float64 sums exactly): ${name}`, async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      // Large offsets make float32 accumulation visibly inexact; both backends must sum in float64.
      const x = tf.randomNormal([...shape], 1000, 1, 'float32', 51);
      const s = tf.sum(x, [...axis], keepDims);
      const out = { shape: s.shape, values: Float32Array.from(s.dataSync()) };
      tf.dispose([x, s]);
      return out;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    assert.deepEqual(wasm.shape, cpu.shape);
    if (match === 'exact') {
      // Ours: the same float64 sums, so the same float32 values (compared as plain numbers).
      const differ = cpu.values.findIndex((v, i) => v !== wasm.values[i]);
      assert.equal(differ, -1, `column ${differ}: ${wasm.values[differ]} vs the CPU's ${cpu.values[differ]}`);
    } else {
      // An assert.ok without a message makes Node re-parse the (tsx-transformed) source on failure.
      const diff = maxRelDiff(cpu.values, wasm.values);
      assert.ok(diff < 1e-5, `rel diff ${diff}`);
    }
  });
}

test('Identity and same-dtype Cast on WASM share the data; other casts still convert', async () => {
  await useBackend('wasm');
  const buffers = () => tf.backend().numDataIds(); // the backend's own count of its data buffers
  const buffersBefore = buffers();
  const x = tf.tensor2d([1.5, -2.25, 3, 4.75], [2, 2]);
  const copy = tf.clone(x);
  const same = tf.cast(x, 'float32');
  const ints = tf.cast(x, 'int32');
  assert.equal(buffers() - buffersBefore, 2, 'clone and same-dtype cast allocate nothing, int32 cast one');
  x.dispose();
  assert.deepEqual(Array.from(copy.dataSync()), [1.5, -2.25, 3, 4.75], 'a clone outlives its source');
  assert.deepEqual(Array.from(same.dataSync()), [1.5, -2.25, 3, 4.75]);
  assert.deepEqual(Array.from(ints.dataSync()), [1, -2, 3, 4]);
  assert.equal(ints.dtype, 'int32');
  tf.dispose([copy, same, ints]);
  assert.equal(buffers(), buffersBefore, 'the shared data is freed with its last tensor');
});

/** `op` on one integer-valued tensor (element i = value(i)) on a backend: the result's shape and values. */
async function exactRun(
  backend: 'cpu' | 'wasm',
  shape: number[],
  dtype: 'float32' | 'int32',
  value: (i: number) => number,
  op: (x: tf.Tensor) => tf.Tensor,
): Promise<{ shape: number[]; values: number[] }> {
  await useBackend(backend);
  const size = shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(
    Array.from({ length: size }, (_, i) => value(i)),
    shape,
    dtype,
  );
  const y = op(x);
  const out = { shape: y.shape, values: Array.from(y.dataSync()) };
  tf.dispose([x, y]);
  return out;
}

for (const [name, shape, perm] of [
  ['2-D, ragged (neither side a multiple of 4)', [13, 10], [1, 0]],
  ['a Dense weight [9216, 128]-like', [64, 48], [1, 0]],
  ['batched 2-D [0, 2, 1]', [3, 7, 9], [0, 2, 1]],
  ["the filter gradient's x → [C, H, W, N] ([2, 1, 0] once merged)", [5, 6, 7, 6], [3, 1, 2, 0]],
  ['three input channels (too thin for tiles: stock kernel)', [5, 6, 7, 3], [3, 1, 2, 0]],
  ["the filter gradient's dy → [H, W, N, C] (blocks [1, 0, 2] of 8 floats)", [4, 5, 6, 8], [1, 2, 0, 3]],
  ['blocks of 7 floats (memory.copy)', [4, 5, 6, 7], [1, 2, 0, 3]],
  ['size-1 axes dropped before merging', [1, 6, 1, 5], [2, 3, 0, 1]],
  ['a permutation that keeps the order (shared data)', [4, 1, 5], [1, 0, 2]],
  ['a 4-D permutation not covered (stock kernel)', [2, 3, 4, 5], [2, 0, 3, 1]],
] as const) {
  test(`Transpose on WASM equals the CPU backend: ${name}`, async () => {
    for (const dtype of ['float32', 'int32'] as const) {
      const run = (backend: 'cpu' | 'wasm') =>
        exactRun(
          backend,
          [...shape],
          dtype,
          (i) => i * 7 - 3,
          (x) => tf.transpose(x, [...perm]),
        );
      assert.deepEqual(await run('wasm'), await run('cpu'), dtype);
    }
  });
}

for (const [name, aShape, bShape] of [
  ['a convolution bias [N, H, W, C] + [C]', [2, 5, 6, 16], [16]],
  ['7 columns (not a multiple of 4)', [11, 7], [7]],
  ['the bias first, with leading 1s', [1, 1, 12], [3, 4, 12]],
  ['same shapes (stock kernel)', [4, 9], [4, 9]],
  ['a broadcast over the last axis (stock kernel)', [4, 9], [4, 1]],
] as const) {
  test(`Add on WASM equals the CPU backend bit for bit: ${name}`, async () => {
    const run = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const a = tf.randomNormal([...aShape], 0, 1, 'float32', 61);
      const b = tf.randomNormal([...bShape], 0, 1, 'float32', 62);
      const c = tf.add(a, b);
      const out = { shape: c.shape, values: Array.from(c.dataSync()) };
      tf.dispose([a, b, c]);
      return out;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    assert.deepEqual(wasm.shape, cpu.shape);
    const differ = cpu.values.findIndex((v, i) => v !== wasm.values[i]);
    assert.equal(differ, -1, `element ${differ}: ${wasm.values[differ]} vs the CPU's ${cpu.values[differ]}`);
  });
}

test("BatchMatMul a·b with a large b and few rows (CNN-M's Dense forward, as (bᵀ·aᵀ)ᵀ) matches the CPU", async () => {
  const run = async (backend: 'cpu' | 'wasm') => {
    await useBackend(backend);
    const a = tf.randomNormal([5, 700], 0, 1, 'float32', 35);
    const b = tf.randomNormal([700, 130], 0, 1, 'float32', 36);
    const c = tf.matMul(a, b);
    const out = { shape: c.shape, values: Float32Array.from(c.dataSync()) };
    tf.dispose([a, b, c]);
    return out;
  };
  const cpu = await run('cpu');
  const before = tf.memory().numTensors;
  const wasm = await run('wasm');
  assert.equal(tf.memory().numTensors, before, 'the swapped product leaks no temporaries');
  assert.deepEqual(wasm.shape, [5, 130]);
  assert.ok(maxRelDiff(cpu.values, wasm.values) < 1e-5, `rel diff ${maxRelDiff(cpu.values, wasm.values)}`);
});

for (const [name, shape, axes] of [
  ['a filter flipped in space [kh, kw, in, out] over [0, 1]', [5, 4, 3, 6], [0, 1]],
  ['the first axis', [7, 5], [0]],
  ['axes given out of order', [3, 4, 5], [1, 0]],
  ['a trailing axis (stock kernel)', [3, 4, 5], [2]],
] as const) {
  test(`Reverse on WASM equals the CPU backend: ${name}`, async () => {
    for (const dtype of ['float32', 'int32'] as const) {
      const run = (backend: 'cpu' | 'wasm') =>
        exactRun(
          backend,
          [...shape],
          dtype,
          (i) => i * 5 - 11,
          (x) => tf.reverse(x, [...axes]),
        );
      assert.deepEqual(await run('wasm'), await run('cpu'), dtype);
    }
  });
}

test("WASM's stock MaxPoolGrad (why we replace it): ties go to the last maximum, windows ≤ FLT_MIN lose their gradient", async () => {
  await useBackend('wasm');
  const ours = tf.getKernel('MaxPoolGrad', 'wasm') as KernelConfig & { stock: KernelConfig };
  const stockGrad = (values: number[], shape: [number, number, number, number]) => {
    const x = tf.tensor4d(values, shape);
    const y = tf.maxPool(x, 2, 2, 'valid');
    const dy = tf.onesLike(y);
    const info = ours.stock.kernelFunc({
      inputs: { dy, input: x, output: y },
      backend: tf.backend(),
      attrs: { filterSize: 2, strides: 2, pad: 'valid' },
    }) as TensorInfo;
    const dx = tf.engine().makeTensorFromTensorInfo(info);
    const out = Array.from(dx.dataSync());
    tf.dispose([x, y, dy, dx]);
    return out;
  };
  assert.deepEqual(stockGrad([4, 4, 4, 4], [1, 2, 2, 1]), [0, 0, 0, 1], 'stock: a tie goes to the last');
  // Two windows side by side, [5, 1 | 2, 3] and [−1, −2 | −3, −4]: the second one's gradient vanishes.
  assert.deepEqual(stockGrad([5, 1, -1, -2, 2, 3, -3, -4], [1, 2, 4, 1]), [1, 0, 0, 0, 0, 0, 0, 0]);
});

test('Tanh on WASM matches the CPU backend (Math.tanh) to 1e-6 relative, over both branches and edge values', async () => {
  // A dense sweep over [−20, 20] (both sides of the 0.625 switch, up to where tanh rounds to 1), tiny
  // and huge magnitudes, ±0, ±∞, NaN; 4k + 3 values so the scalar tail runs too.
  const sweep = Array.from({ length: 40_003 }, (_, i) => -20 + i * 0.001);
  const edges = [0, -0, 1e-30, -1e-8, 0.6249999, 0.625, 0.6250001, 8.9, 9.1, 1e30, Infinity, -Infinity, NaN];
  const values = Float32Array.from([...sweep, ...edges]);
  const run = async (backend: 'cpu' | 'wasm') => {
    await useBackend(backend);
    const x = tf.tensor1d(values);
    const y = tf.tanh(x);
    const out = Float32Array.from(y.dataSync());
    tf.dispose([x, y]);
    return out;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  let worst = 0;
  let at = -1;
  cpu.forEach((want, i) => {
    const got = wasm[i];
    if (Number.isNaN(want)) {
      if (!Number.isNaN(got)) [worst, at] = [Infinity, i];
      return;
    }
    const rel = want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
    if (rel > worst) [worst, at] = [rel, i];
    if (Object.is(want, -0) && !Object.is(got, -0)) [worst, at] = [Infinity, i];
  });
  assert.ok(worst < 1e-6, `worst rel diff ${worst} at x = ${values[at]}: ${wasm[at]} vs ${cpu[at]}`);
});
