import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { FixedSizeList, Field, Float32, Int32, Int8, Table, Uint8, makeVector, makeData } from 'apache-arrow';
import { sharedDataDir, withMetadata, writeArrowFile } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import { featureSplitFromArrays } from '@corpus-tune/features';
import type { FeatureSplit } from '../src/data.ts';
import { registerWasmTrainingKernels } from '../src/wasm-kernels.ts';

/** Activates a backend for a test file (WASM gets our training kernels). */
export async function useBackend(name: 'wasm' | 'cpu'): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
  if (name === 'wasm') registerWasmTrainingKernels();
}

/** The largest absolute difference of a and b, relative to a's largest magnitude. */
export function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return diff / scale;
}

/**
 * Asserts that a kernel module meant for the wasm backend's heap imports that memory and nothing else
 * and carries no data segment (instantiating one would overwrite tfjs's heap at its offsets).
 */
export function assertHeapOnlyModule(base64: string): void {
  const bytes = Buffer.from(base64, 'base64');
  // @types/node 20 does not declare Module.imports.
  const api = WebAssembly.Module as unknown as { imports(m: object): unknown[] };
  assert.deepEqual(api.imports(new WebAssembly.Module(bytes)), [
    { module: 'env', name: 'memory', kind: 'memory' },
  ]);
  // The sections after the 8-byte header: an id byte, a LEB128 size, the body. Data is id 11.
  const ids: number[] = [];
  for (let at = 8; at < bytes.length;) {
    ids.push(bytes[at++]);
    let size = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[at++];
      size |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    at += size;
  }
  assert.ok(ids.includes(10), `code section found (sections ${ids.join(', ')})`);
  assert.ok(!ids.includes(11), `no data section (sections ${ids.join(', ')})`);
}

/** An in-memory FeatureSplit (no file behind it). */
export function memorySplit(
  x: Float32Array,
  labels: Int8Array,
  shape: number[],
  classNames = ['0', '1'],
): FeatureSplit {
  const size = shape.reduce((a, b) => a * b, 1);
  return featureSplitFromArrays({
    path: '(memory)',
    sha256: `mem-${labels.length}-${size}-${x[0]}`,
    x,
    labels,
    shape,
    classNames,
  });
}

export const SET10_DIR = sharedDataDir('imld', 'set_10');
export const set10Missing = !existsSync(`${SET10_DIR}/train.csv`);
export const SET10_SKIP = set10Missing ? `shared data absent: ${SET10_DIR}` : false;

/** Parses an IMLD CSV (`label,x,y` per row) — the test's own reader, independent of imld-gen. */
export function readImldCsv(path: string): { points: Float64Array; labels: Int8Array } {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const points = new Float64Array(2 * lines.length);
  const labels = new Int8Array(lines.length);
  lines.forEach((line, i) => {
    const [label, x, y] = line.split(',').map(Number);
    labels[i] = label;
    points[2 * i] = x;
    points[2 * i + 1] = y;
  });
  return { points, labels };
}

/**
 * Writes a features split file as the features stage lays it out (`x` fixed-size list of u8 or f32,
 * `label` i8, `sourceRow` i32), with `metadata` as its schema metadata.
 */
export function writeFeatureArrow(
  path: string,
  x: Float32Array | Uint8Array,
  labels: Int8Array,
  metadata: RunMetadata,
): void {
  const n = labels.length;
  const rowLength = x.length / n;
  const xs =
    x instanceof Uint8Array
      ? makeVector(
          makeData({
            type: new FixedSizeList(rowLength, new Field('item', new Uint8(), false)),
            length: n,
            nullCount: 0,
            child: makeData({ type: new Uint8(), length: x.length, data: x }),
          }),
        )
      : makeVector(
          makeData({
            type: new FixedSizeList(rowLength, new Field('item', new Float32(), false)),
            length: n,
            nullCount: 0,
            child: makeData({ type: new Float32(), length: x.length, data: x }),
          }),
        );
  const table = new Table({
    x: xs,
    label: makeVector({ type: new Int8(), data: labels }),
    sourceRow: makeVector({ type: new Int32(), data: Int32Array.from({ length: n }, (_, i) => i) }),
  });
  writeArrowFile(path, withMetadata(table, metadata));
}
