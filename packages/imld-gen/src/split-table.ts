import { Field, Float32, Int8, Schema, Table, makeData, RecordBatch, Struct } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import {
  InputError,
  readArrowFile,
  requireScalar,
  runMetadataOf,
  writeArrowFile,
  withMetadata,
} from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import type { LabelledPoints } from './imld-csv.ts';

const FIELDS = [
  new Field('x', new Float32(), false, new Map([['unit', 'feature 1 (dimensionless)']])),
  new Field('y', new Float32(), false, new Map([['unit', 'feature 2 (dimensionless)']])),
  new Field('label', new Int8(), false, new Map([['meaning', 'index into classNames']])),
];

/** Builds the Arrow table of a point set (x, y float32; label int8) carrying `metadata`. */
export function pointsToTable(points: LabelledPoints, metadata: RunMetadata): Table {
  const schema = new Schema(FIELDS);
  const n = points.label.length;
  const children = [
    makeData({ type: new Float32(), length: n, data: points.x }),
    makeData({ type: new Float32(), length: n, data: points.y }),
    makeData({ type: new Int8(), length: n, data: points.label }),
  ];
  const batch = new RecordBatch(schema, makeData({ type: new Struct(FIELDS), length: n, children }));
  return withMetadata(new Table(schema, [batch]), { ...metadata, classNames: points.classNames });
}

export function writePointsArrow(path: string, points: LabelledPoints, metadata: RunMetadata): void {
  writeArrowFile(path, pointsToTable(points, metadata));
}

/** The points of an imld-gen table already read from `path` (copies, so callers may mutate them). */
export function pointsFromTable(table: Table, path: string): LabelledPoints & { metadata: RunMetadata } {
  requireScalar(table.schema, 'x', 'float32', path);
  requireScalar(table.schema, 'y', 'float32', path);
  requireScalar(table.schema, 'label', 'int8', path);
  const column = (name: string) => (table.getChild(name) as Vector).toArray();
  const metadata = runMetadataOf(table, path);
  const classNames = metadata.classNames;
  if (!Array.isArray(classNames)) throw new InputError('metadata has no classNames', { file: path });
  return {
    x: Float32Array.from(column('x') as Float32Array),
    y: Float32Array.from(column('y') as Float32Array),
    label: Int8Array.from(column('label') as Int8Array),
    classNames: classNames as string[],
    metadata,
  };
}

/** Reads an imld-gen Arrow file back into typed arrays (the one reader of these files; copies). */
export function readPointsArrow(path: string): LabelledPoints & { metadata: RunMetadata } {
  return pointsFromTable(readArrowFile(path), path);
}
