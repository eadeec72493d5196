import {
  Binary,
  Field,
  Float32,
  Int32,
  Int8,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import { METADATA_KEY } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';

/** One output row (see docs/conventions.md, tudp-patches). */
export interface PatchRow {
  slideId: string;
  patientId: string;
  x: number;
  y: number;
  level: number;
  mpp: number;
  tissueFraction: number;
  label: number;
  /** Encoded patch (image column), or null when patches are written as files. */
  image: Uint8Array | null;
  /** With patch files: path relative to the output folder, and the file's sha256. */
  path?: string;
  sha256?: string;
}

export function patchSchema(metadata: RunMetadata, patchFiles: boolean): Schema {
  const unit = (u: string): Map<string, string> => new Map([['unit', u]]);
  const fields = [
    new Field('slideId', new Utf8(), false),
    new Field('patientId', new Utf8(), false),
    new Field('x', new Int32(), false, unit('level-0 px')),
    new Field('y', new Int32(), false, unit('level-0 px')),
    new Field('level', new Int8(), false),
    new Field('mpp', new Float32(), false, unit('µm per px of the patch')),
    new Field('tissueFraction', new Float32(), false),
    new Field('label', new Int8(), false),
    ...(patchFiles
      ? [new Field('path', new Utf8(), false), new Field('sha256', new Utf8(), false)]
      : [new Field('image', new Binary(), false)]),
  ];
  return new Schema(fields, new Map([[METADATA_KEY, JSON.stringify(metadata)]]));
}

/** A record batch of rows under `schema` (fresh typed arrays per column: Arrow JS corrupts shared buffers). */
export function patchBatch(schema: Schema, rows: readonly PatchRow[]): RecordBatch {
  const patchFiles = schema.fields.some((f) => f.name === 'path');
  const columns = [
    vectorFromArray(
      rows.map((r) => r.slideId),
      new Utf8(),
    ),
    vectorFromArray(
      rows.map((r) => r.patientId),
      new Utf8(),
    ),
    vectorFromArray(Int32Array.from(rows, (r) => r.x)),
    vectorFromArray(Int32Array.from(rows, (r) => r.y)),
    vectorFromArray(Int8Array.from(rows, (r) => r.level)),
    vectorFromArray(Float32Array.from(rows, (r) => r.mpp)),
    vectorFromArray(Float32Array.from(rows, (r) => r.tissueFraction)),
    vectorFromArray(Int8Array.from(rows, (r) => r.label)),
    ...(patchFiles
      ? [
          vectorFromArray(
            rows.map((r) => r.path ?? ''),
            new Utf8(),
          ),
          vectorFromArray(
            rows.map((r) => r.sha256 ?? ''),
            new Utf8(),
          ),
        ]
      : [
          vectorFromArray(
            rows.map((r) => r.image ?? new Uint8Array(0)),
            new Binary(),
          ),
        ]),
  ];
  const data = makeData({
    type: new Struct(schema.fields),
    length: rows.length,
    nullCount: 0,
    children: columns.map((c) => c.data[0]),
  });
  return new RecordBatch(schema, data);
}
