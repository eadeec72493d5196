import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { winogradConvApplies, winogradFilterGradientApplies } from '../src/winograd.ts';
import { WINOGRAD_KERNEL_WASM_BASE64 } from '../src/winograd-kernel-wasm.ts';
import { assertHeapOnlyModule, maxRelDiff, useBackend } from './helpers.ts';

// The Winograd kernels (5×5, stride 1) on WASM against the CPU backend's direct sums. Winograd's
// transforms round differently from a direct sum: the error measured here is ≈1e-6 to 1e-5 of the
// largest value (more terms, larger error), so the bound is 5e-5 where the direct kernels are held to
// 1e-5 (wasm-kernels.test.ts).
const TOLERANCE = 5e-5;

type Shape4 = [number, number, number, number];
type Padding = 'valid' | 'same' | [[0, 0], [number, number], [number, number], [0, 0]];

interface Case {
  name: string;
  x: Shape4;
  filter: Shape4;
  pad: Padding;
}

const CASES: Case[] = [
  // Odd output sides (8 × 7): the last tile row and column are half outside the output.
  { name: 'valid, odd output, 4 → 4 channels', x: [2, 12, 11, 4], filter: [5, 5, 4, 4], pad: 'valid' },
  { name: "'same', 8 → 32 channels, batch 3", x: [3, 13, 9, 8], filter: [5, 5, 8, 32], pad: 'same' },
  // Uneven explicit padding reaches past the image on every side; 20 output channels take the
  // matrix product's 16-column tiles and its 4-column remainder.
  {
    name: 'explicit uneven padding, 16 → 20 channels',
    x: [2, 7, 6, 16],
    filter: [5, 5, 16, 20],
    pad: [
      [0, 0],
      [1, 3],
      [2, 0],
      [0, 0],
    ],
  },
  // 512 tiles of 4 + 4 channels: more than one block of tiles (455 fit in a block's 512 KiB).
  { name: 'two blocks of tiles', x: [2, 36, 36, 4], filter: [5, 5, 4, 4], pad: 'valid' },
  // CNN-M's second layer at its real size.
  { name: "CNN-M's second layer", x: [2, 62, 62, 16], filter: [5, 5, 16, 32], pad: 'valid' },
];

// Input channels that are not a multiple of 4 (RGB): the filter gradient widens them with zeros.
const NARROW_INPUT_CASES: Case[] = [
  { name: 'RGB input (3 → 16 channels)', x: [2, 20, 17, 3], filter: [5, 5, 3, 16], pad: 'valid' },
  { name: "5 input channels, 'same'", x: [1, 9, 10, 5], filter: [5, 5, 5, 8], pad: 'same' },
];

function info(c: Case): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, 1, 1, c.pad as 'valid');
}

async function run(backend: 'cpu' | 'wasm', c: Case) {
  await useBackend(backend);
  const x = tf.randomNormal(c.x, 0, 1, 'float32', 21) as tf.Tensor4D;
  const filter = tf.randomNormal(c.filter, 0, 1, 'float32', 22) as tf.Tensor4D;
  const conv = (xi: tf.Tensor, fi: tf.Tensor) => tf.conv2d(xi as tf.Tensor4D, fi as tf.Tensor4D, 1, c.pad);
  const before = tf.engine().backend.numDataIds();
  const y = conv(x, filter);
  const after = tf.engine().backend.numDataIds();
  // The loss weighs every output differently, so a gradient sent to the wrong pixel shows.
  const weights = tf.randomNormal(y.shape, 0, 1, 'float32', 23);
  const [dx, dfilter] = tf.grads((xi: tf.Tensor, fi: tf.Tensor) => conv(xi, fi).mul(weights).sum())([
    x,
    filter,
  ]);
  const out = {
    y: Float32Array.from(y.dataSync()),
    dx: Float32Array.from(dx.dataSync()),
    dfilter: Float32Array.from(dfilter.dataSync()),
    shapes: [y.shape, dx.shape, dfilter.shape],
    buffersMade: after - before,
  };
  tf.dispose([x, filter, y, weights, dx, dfilter]);
  return out;
}

for (const c of CASES) {
  test(`Winograd Conv2D, its input gradient and its filter gradient on WASM match the CPU backend: ${c.name}`, async () => {
    assert.ok(winogradConvApplies(info(c)), 'the case must take the Winograd kernel');
    assert.ok(winogradFilterGradientApplies(info(c)));
    const cpu = await run('cpu', c);
    const wasm = await run('wasm', c);
    assert.deepEqual(wasm.shapes, cpu.shapes);
    // One buffer for y: the kernel's scratch is freed.
    assert.equal(wasm.buffersMade, 1);
    for (const key of ['y', 'dx', 'dfilter'] as const) {
      const diff = maxRelDiff(cpu[key], wasm[key]);
      assert.ok(diff < TOLERANCE, `${key}: rel diff ${diff}`);
    }
  });
}

for (const c of NARROW_INPUT_CASES) {
  test(`Winograd filter gradient of a narrow input (widened) on WASM matches the CPU backend: ${c.name}`, async () => {
    assert.ok(!winogradConvApplies(info(c)), 'the forward convolution stays on XNNPACK');
    assert.ok(winogradFilterGradientApplies(info(c)));
    const cpu = await run('cpu', c);
    const wasm = await run('wasm', c);
    assert.deepEqual(wasm.shapes, cpu.shapes);
    const diff = maxRelDiff(cpu.dfilter, wasm.dfilter);
    assert.ok(diff < TOLERANCE, `filter gradient rel diff ${diff}`);
  });
}

test('convolutions the Winograd kernels do not take: other sizes, strides, dilations, output channels', () => {
  const conv = (x: Shape4, filter: Shape4, stride = 1, dilation = 1) =>
    tf.backend_util.computeConv2DInfo(x, filter, stride, dilation, 'valid');
  assert.ok(!winogradConvApplies(conv([1, 9, 9, 4], [3, 3, 4, 4])));
  assert.ok(!winogradConvApplies(conv([1, 9, 9, 4], [5, 5, 4, 4], 2)));
  assert.ok(!winogradConvApplies(conv([1, 13, 13, 4], [5, 5, 4, 4], 1, 2)));
  assert.ok(!winogradFilterGradientApplies(conv([1, 9, 9, 4], [5, 5, 4, 6])));
  assert.ok(!winogradFilterGradientApplies(conv([1, 1, 15, 4], [1, 5, 4, 8])));
});

test('the Winograd module imports only the heap and has no data segment (which would overwrite tfjs heap)', () => {
  assertHeapOnlyModule(WINOGRAD_KERNEL_WASM_BASE64);
});
