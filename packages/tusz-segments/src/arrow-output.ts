import {
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int8,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { METADATA_KEY } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import { CLASS_NAMES } from './annotations.ts';
import type { SegmentLabel } from './annotations.ts';

// The tusz-segments Arrow contract (docs/conventions.md): recordingId, patientId, sessionId utf8,
// startSec, stopSec f64, label i8 (bckg 0, seiz 1), sourceSampleRateHz f32, samples
// FixedSizeList<f32>[channels · samples] channel-major.

export interface SegmentRow {
  recordingId: string;
  patientId: string;
  sessionId: string;
  startSec: number;
  stopSec: number;
  label: SegmentLabel;
  sourceSampleRateHz: number;
}

export function segmentSchema(valuesPerRow: number, metadata: RunMetadata): Schema {
  const unit = (u: string): Map<string, string> => new Map([['unit', u]]);
  const fields = [
    new Field('recordingId', new Utf8(), false),
    new Field('patientId', new Utf8(), false),
    new Field('sessionId', new Utf8(), false),
    new Field('startSec', new Float64(), false, unit('s')),
    new Field('stopSec', new Float64(), false, unit('s')),
    new Field('label', new Int8(), false, new Map([['classNames', JSON.stringify(CLASS_NAMES)]])),
    new Field('sourceSampleRateHz', new Float32(), false, unit('Hz')),
    new Field(
      'samples',
      new FixedSizeList(valuesPerRow, new Field('item', new Float32(), false)),
      false,
      unit('uV'),
    ),
  ];
  return new Schema(fields, new Map([[METADATA_KEY, JSON.stringify(metadata)]]));
}

/** One record batch; every column gets its own buffer (apache-arrow 21 corrupts shared ones). */
export function segmentBatch(
  schema: Schema,
  rows: readonly SegmentRow[],
  samples: Float32Array,
): RecordBatch {
  const length = rows.length;
  const listType = schema.fields[7].type as FixedSizeList<Float32>;
  if (samples.length !== length * listType.listSize)
    throw new RangeError(`samples hold ${samples.length} values, expected ${length} × ${listType.listSize}`);
  const strings = (pick: (r: SegmentRow) => string) => vectorFromArray(rows.map(pick), new Utf8()).data[0];
  const children = [
    strings((r) => r.recordingId),
    strings((r) => r.patientId),
    strings((r) => r.sessionId),
    makeData({ type: new Float64(), length, data: Float64Array.from(rows, (r) => r.startSec) }),
    makeData({ type: new Float64(), length, data: Float64Array.from(rows, (r) => r.stopSec) }),
    makeData({ type: new Int8(), length, data: Int8Array.from(rows, (r) => CLASS_NAMES.indexOf(r.label)) }),
    makeData({ type: new Float32(), length, data: Float32Array.from(rows, (r) => r.sourceSampleRateHz) }),
    makeData({
      type: listType,
      length,
      child: makeData({ type: new Float32(), length: samples.length, data: samples.slice() }),
    }),
  ];
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, children }));
}
