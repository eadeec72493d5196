// The features stage's output batches: schema and record batches of x, label, sourceRow.
import {
  Field,
  FixedSizeList,
  Float32,
  Int32,
  Int8,
  RecordBatch,
  Schema,
  Struct,
  Uint8,
  makeData,
} from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { METADATA_KEY } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';

export type FeatureDtype = 'float32' | 'uint8';

/** The output schema: x FixedSizeList<f32|u8>[rowLength], label i8, sourceRow i32, with metadata. */
export function featureSchema(dtype: FeatureDtype, rowLength: number, metadata: RunMetadata): Schema {
  const element = new Field('element', dtype === 'float32' ? new Float32() : new Uint8(), false);
  return new Schema(
    [
      new Field('x', new FixedSizeList(rowLength, element), false),
      new Field('label', new Int8(), false),
      new Field('sourceRow', new Int32(), false),
    ],
    new Map([[METADATA_KEY, JSON.stringify(metadata)]]),
  );
}

/**
 * One output record batch. Each argument must own its buffer (apache-arrow 21 corrupts a file
 * when one typed array backs two columns), so callers pass fresh arrays.
 */
export function featureBatch(
  schema: Schema,
  x: Float32Array | Uint8Array,
  label: Int8Array,
  sourceRow: Int32Array,
): RecordBatch {
  const rows = label.length;
  const xType = schema.fields[0].type as FixedSizeList;
  const child: Data<Float32> | Data<Uint8> =
    x instanceof Float32Array
      ? makeData({ type: new Float32(), length: x.length, data: x })
      : makeData({ type: new Uint8(), length: x.length, data: x });
  const xData = makeData({ type: xType, length: rows, child });
  const labelData = makeData({ type: new Int8(), length: rows, data: label });
  const rowData = makeData({ type: new Int32(), length: rows, data: sourceRow });
  const struct = makeData({
    type: new Struct(schema.fields),
    length: rows,
    children: [xData, labelData, rowData],
  });
  return new RecordBatch(schema, struct);
}
