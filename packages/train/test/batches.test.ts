import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { epochData, inputBatch } from '../src/batches.ts';
import type { RunMetadata } from '@corpus-tune/core';

// Two RGB "images" of 2×1 pixels, interleaved [y][x][c] as the features stage stores patches.
const x = Uint8Array.from([10, 100, 200, 30, 120, 220, 50, 140, 240, 70, 160, 250]);
const shape = [2, 1, 3];

function metadataWith(normalization: Record<string, unknown>): RunMetadata {
  return { stage: 'features', codeVersion: 'test', params: {}, inputs: {}, normalization };
}

/** Population mean and std per channel, computed here, not by the code under test. */
function channelStats(values: ArrayLike<number>): { mean: number[]; std: number[] } {
  const mean = [0, 1, 2].map((c) => {
    let s = 0;
    for (let i = c; i < values.length; i += 3) s += values[i];
    return s / (values.length / 3);
  });
  const std = [0, 1, 2].map((c) => {
    let s = 0;
    for (let i = c; i < values.length; i += 3) s += (values[i] - mean[c]) ** 2;
    return Math.sqrt(s / (values.length / 3));
  });
  return { mean, std };
}

test('u8 patches with pending train statistics come out standardised per channel', async () => {
  const { mean, std } = channelStats(x);
  const metadata = metadataWith({
    method: 'standard',
    applied: false,
    groupStride: 1,
    groupCount: 3,
    mean,
    std,
  });
  const batch = inputBatch({ x, shape, size: 6, metadata }, [0, 1]);
  assert.deepEqual(batch.shape, [2, 2, 1, 3]);
  const out = await batch.data();
  const after = channelStats(out);
  for (let c = 0; c < 3; c++) {
    assert.ok(Math.abs(after.mean[c]) < 1e-6, `channel ${c} mean ${after.mean[c]}`);
    assert.ok(Math.abs(after.std[c] - 1) < 1e-6, `channel ${c} std ${after.std[c]}`);
  }
  assert.ok(Math.abs(out[0] - (10 - 40) / Math.sqrt(500)) < 1e-6, 'red of the first pixel, by hand');
  batch.dispose();
});

test('without pending statistics u8 is scaled to [0, 1] and applied or f32 data pass through', async () => {
  const plain = inputBatch({ x, shape, size: 6 }, [1]);
  assert.deepEqual(
    Array.from(await plain.data()),
    Array.from(x.subarray(6), (v) => Math.fround(v / 255)),
  );
  const applied = metadataWith({
    method: 'standard',
    applied: true,
    groupStride: 1,
    groupCount: 3,
    mean: [1, 1, 1],
    std: [2, 2, 2],
  });
  const f32 = Float32Array.from([0.5, -1.5, 2]);
  const passed = inputBatch({ x: f32, shape: [3], size: 3, metadata: applied }, [0]);
  assert.deepEqual(Array.from(await passed.data()), [0.5, -1.5, 2]);
  plain.dispose();
  passed.dispose();
});

test('epoch batches: resident (gathered on the device) and per-batch copies give the rows of `order`', () => {
  // Five rows of 3 values: row r holds r·10 + 0..2; labels r % 3; the fit set is rows 4, 1, 3 and 0.
  const values = Float32Array.from({ length: 15 }, (_, j) => Math.floor(j / 3) * 10 + (j % 3));
  const split = { x: values, shape: [3], size: 3, labels: Int8Array.from([0, 1, 2, 0, 1]) };
  const fitRows = Int32Array.from([4, 1, 3, 0]);
  const order = Int32Array.from([2, 0, 3, 1]); // positions into fitRows → rows 3, 4, 0, 1
  for (const residentMaxBytes of [Infinity, 0]) {
    const data = epochData(split, fitRows, 3, residentMaxBytes);
    const epoch = data.epoch(order, 1);
    const { x: xb, y: yb } = epoch.slice(1, 3);
    assert.deepEqual(Array.from(xb.dataSync()), [40, 41, 42, 0, 1, 2], `resident ≤ ${residentMaxBytes} B`);
    assert.deepEqual(Array.from(yb.dataSync()), [0, 1, 0, 1, 0, 0]);
    tf.dispose([xb, yb]);
    epoch.dispose();
    data.dispose();
  }
});
