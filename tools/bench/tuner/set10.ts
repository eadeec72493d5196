// Converts the real IMLD set_10 (../shared/data/imld/set_10/{train,dev,eval}.csv, rows `label,x,y`)
// into an imld-gen-shaped folder (train/dev/eval.arrow with x, y f32 and label i8).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Float32, Int8, makeVector, Table } from 'apache-arrow';
import { sha256File, sharedDataDir, withMetadata, writeArrowFile, SPLITS } from '@corpus-tune/core';

export const SET10_DIR = sharedDataDir('imld', 'set_10');

export function set10Available(): boolean {
  return existsSync(join(SET10_DIR, 'train.csv'));
}

export function writeSet10Arrow(outDir: string): string {
  for (const split of SPLITS) {
    const csv = join(SET10_DIR, `${split}.csv`);
    const lines = readFileSync(csv, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const xs = new Float32Array(lines.length);
    const ys = new Float32Array(lines.length);
    const labels = new Int8Array(lines.length);
    lines.forEach((line, i) => {
      const [label, x, y] = line.split(',');
      labels[i] = Number(label);
      xs[i] = Number(x);
      ys[i] = Number(y);
    });
    const table = new Table({
      x: makeVector({ type: new Float32(), data: xs }),
      y: makeVector({ type: new Float32(), data: ys }),
      label: makeVector({ type: new Int8(), data: labels }),
    });
    writeArrowFile(
      join(outDir, `${split}.arrow`),
      withMetadata(table, {
        stage: 'imld-gen',
        codeVersion: 'set_10-csv',
        params: { source: 'shared/data/imld/set_10' },
        inputs: { [`${split}.csv`]: sha256File(csv) },
        classNames: ['0', '1'],
        split,
      }),
    );
  }
  return outDir;
}
