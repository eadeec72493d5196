// Tiny producer outputs in exactly the schemas of docs/conventions.md, for the tests.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  Binary,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  Int8,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import sharp from 'sharp';
import { createRng, withMetadata, writeArrowFile } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';

export const CHANNELS = Array.from({ length: 20 }, (_, c) => `CH${c}`);
export const RATE_HZ = 50;
export const SAMPLES = 500;

export function tempDataRoot(): string {
  return mkdtempSync(join(tmpdir(), 'features-test-'));
}

function tableOf(columns: { name: string; data: Data }[], metadata: RunMetadata, batchRows?: number): Table {
  const schema = new Schema(columns.map((c) => new Field(c.name, c.data.type as DataType, false)));
  const rows = columns[0].data.length;
  const step = batchRows ?? Math.max(rows, 1);
  const batches: RecordBatch[] = [];
  for (let start = 0; start < rows || (rows === 0 && batches.length === 0); start += step) {
    const n = Math.min(step, rows - start);
    const children = columns.map((c) => c.data.slice(start, n));
    batches.push(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, children })));
    if (rows === 0) break;
  }
  return withMetadata(new Table(schema, batches), metadata);
}

function f32List(values: Float32Array, listSize: number): Data {
  const type = new FixedSizeList(listSize, new Field('item', new Float32(), false));
  return makeData({
    type,
    length: values.length / listSize,
    child: makeData({ type: new Float32(), length: values.length, data: values }),
  });
}

const strings = (values: string[]): Data => vectorFromArray(values, new Utf8()).data[0];

export interface TuszSplit {
  /** rows × (channels × samples), channel-major per row. */
  samples: Float32Array;
  labels: number[];
}

/** A tusz-segments split; `listSize` / `metadata` overrides make bad files. */
export function writeTuszSplit(
  path: string,
  split: TuszSplit,
  options: {
    batchRows?: number;
    listSize?: number;
    metadata?: Partial<RunMetadata>;
    dropColumn?: string;
  } = {},
): void {
  const rows = split.labels.length;
  const listSize = options.listSize ?? CHANNELS.length * SAMPLES;
  const columns = [
    { name: 'recordingId', data: strings(Array.from({ length: rows }, (_, i) => `rec${i}`)) },
    { name: 'patientId', data: strings(Array.from({ length: rows }, (_, i) => `p${i % 3}`)) },
    { name: 'sessionId', data: strings(Array.from({ length: rows }, () => 's001')) },
    {
      name: 'startSec',
      data: makeData({
        type: new Float64(),
        length: rows,
        data: Float64Array.from({ length: rows }, (_, i) => 10 * i),
      }),
    },
    {
      name: 'stopSec',
      data: makeData({
        type: new Float64(),
        length: rows,
        data: Float64Array.from({ length: rows }, (_, i) => 10 * i + 10),
      }),
    },
    { name: 'label', data: makeData({ type: new Int8(), length: rows, data: Int8Array.from(split.labels) }) },
    {
      name: 'sourceSampleRateHz',
      data: makeData({ type: new Float32(), length: rows, data: new Float32Array(rows).fill(250) }),
    },
    { name: 'samples', data: f32List(split.samples.slice(), listSize) },
  ].filter((c) => c.name !== options.dropColumn);
  const metadata: RunMetadata = {
    stage: 'tusz-segments',
    codeVersion: 'test',
    seed: 1,
    params: {},
    inputs: {},
    classNames: ['bckg', 'seiz'],
    channels: CHANNELS,
    sampleRateHz: RATE_HZ,
    segmentSec: SAMPLES / RATE_HZ,
    ...options.metadata,
  };
  mkdirSync(dirname(path), { recursive: true });
  writeArrowFile(path, tableOf(columns, metadata, options.batchRows));
}

/** Random EEG-like segments (seeded normal noise, per-channel offset/scale). */
export function randomSegments(rows: number, seed: number, offset = 0, scale = 1): TuszSplit {
  const rng = createRng(seed);
  const samples = new Float32Array(rows * CHANNELS.length * SAMPLES);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < CHANNELS.length; c++) {
      for (let t = 0; t < SAMPLES; t++)
        samples[(r * CHANNELS.length + c) * SAMPLES + t] = offset + c + scale * (1 + c / 10) * rng.normal();
    }
  }
  return { samples, labels: Array.from({ length: rows }, (_, i) => i % 2) };
}

export function writeTusz(root: string, rows = { train: 6, dev: 3, eval: 3 }, batchRows?: number): void {
  writeTuszSplit(join(root, 'tusz-segments', 'train.arrow'), randomSegments(rows.train, 1), { batchRows });
  writeTuszSplit(join(root, 'tusz-segments', 'dev.arrow'), randomSegments(rows.dev, 2, 50, 3), { batchRows });
  writeTuszSplit(join(root, 'tusz-segments', 'eval.arrow'), randomSegments(rows.eval, 3, -50, 0.5), {
    batchRows,
  });
}

/** An imld-gen split: x, y f32, label i8. */
export function writeImldSplit(
  path: string,
  xs: number[],
  ys: number[],
  labels: number[],
  dropColumn?: string,
): void {
  const n = labels.length;
  const columns = [
    { name: 'x', data: makeData({ type: new Float32(), length: n, data: Float32Array.from(xs) }) },
    { name: 'y', data: makeData({ type: new Float32(), length: n, data: Float32Array.from(ys) }) },
    { name: 'label', data: makeData({ type: new Int8(), length: n, data: Int8Array.from(labels) }) },
  ].filter((c) => c.name !== dropColumn);
  mkdirSync(dirname(path), { recursive: true });
  writeArrowFile(
    path,
    tableOf(columns, {
      stage: 'imld-gen',
      codeVersion: 'test',
      seed: 1,
      params: {},
      inputs: {},
      classNames: ['0', '1'],
      split: 'train',
    }),
  );
}

export function writeImld(root: string, dataset: string, seed: number, shift = 0): void {
  const rng = createRng(seed);
  for (const [split, n, offset] of [
    ['train', 200, 0],
    ['dev', 50, 10 + shift],
    ['eval', 50, -10 + shift],
  ] as const) {
    const xs = Array.from({ length: n }, () => offset + 2 * rng.normal());
    const ys = Array.from({ length: n }, () => 5 + 0.5 * rng.normal());
    writeImldSplit(
      join(root, 'imld-gen', dataset, `${split}.arrow`),
      xs,
      ys,
      Array.from({ length: n }, (_, i) => i % 2),
    );
  }
}

/** A deterministic RGB test patch: gradients plus a coloured square (so rotations are visible). */
export function testPatchPixels(sizePx: number, variant: number): Uint8Array {
  const px = new Uint8Array(sizePx * sizePx * 3);
  for (let i = 0; i < sizePx; i++) {
    for (let j = 0; j < sizePx; j++) {
      const o = (i * sizePx + j) * 3;
      px[o] = (j * 255) / (sizePx - 1);
      px[o + 1] = (i * 255) / (sizePx - 1);
      px[o + 2] = (variant * 60) % 256;
      if (i > sizePx / 8 && i < sizePx / 3 && j > sizePx / 8 && j < sizePx / 2) {
        px[o] = 250;
        px[o + 1] = 30;
        px[o + 2] = 200;
      }
    }
  }
  return px;
}

export async function pngOf(pixels: Uint8Array, sizePx: number, channels = 3): Promise<Uint8Array> {
  const buf = await sharp(Buffer.from(pixels), {
    raw: { width: sizePx, height: sizePx, channels: channels as 3 },
  })
    .png()
    .toBuffer();
  return new Uint8Array(buf);
}

/** A tudp-patches split with PNG patches of `sourceSizePx`. */
export async function writeTudpSplit(
  path: string,
  images: Uint8Array[],
  labels: number[],
  options: { batchRows?: number } = {},
): Promise<void> {
  const n = labels.length;
  const offsets = new Int32Array(n + 1);
  images.forEach((img, i) => (offsets[i + 1] = offsets[i] + img.length));
  const bytes = new Uint8Array(offsets[n]);
  images.forEach((img, i) => bytes.set(img, offsets[i]));
  const i32 = (f: (i: number) => number) =>
    makeData({ type: new Int32(), length: n, data: Int32Array.from({ length: n }, (_, i) => f(i)) });
  const columns = [
    { name: 'slideId', data: strings(Array.from({ length: n }, (_, i) => `slide${i % 2}`)) },
    { name: 'patientId', data: strings(Array.from({ length: n }, (_, i) => `p${i % 2}`)) },
    { name: 'x', data: i32((i) => 512 * i) },
    { name: 'y', data: i32(() => 0) },
    { name: 'level', data: makeData({ type: new Int8(), length: n, data: new Int8Array(n) }) },
    { name: 'mpp', data: makeData({ type: new Float32(), length: n, data: new Float32Array(n).fill(0.25) }) },
    {
      name: 'tissueFraction',
      data: makeData({ type: new Float32(), length: n, data: new Float32Array(n).fill(0.9) }),
    },
    { name: 'label', data: makeData({ type: new Int8(), length: n, data: Int8Array.from(labels) }) },
    { name: 'image', data: makeData({ type: new Binary(), length: n, valueOffsets: offsets, data: bytes }) },
  ];
  mkdirSync(dirname(path), { recursive: true });
  writeArrowFile(
    path,
    tableOf(
      columns,
      {
        stage: 'tudp-patches',
        codeVersion: 'test',
        seed: 1,
        params: {},
        inputs: {},
        classNames: ['indc', 'dcis'],
        patchSizePx: 64,
        encoding: 'png',
      },
      options.batchRows,
    ),
  );
}

export async function writeTudp(
  root: string,
  sourceSizePx = 64,
  rows = { train: 5, dev: 2, eval: 2 },
): Promise<void> {
  let variant = 0;
  for (const split of ['train', 'dev', 'eval'] as const) {
    const images: Uint8Array[] = [];
    for (let i = 0; i < rows[split]; i++)
      images.push(await pngOf(testPatchPixels(sourceSizePx, variant++), sourceSizePx));
    await writeTudpSplit(
      join(root, 'tudp-patches', `${split}.arrow`),
      images,
      images.map((_, i) => i % 2),
      { batchRows: 2 },
    );
  }
}
