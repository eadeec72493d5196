import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, readArrowFile } from '@corpus-tune/core';
import { loadFeatureSplit, loadPointSplit } from '@corpus-tune/train';
import type { FeatureSplit } from '@corpus-tune/train';

/**
 * One split for tuning: a features file (`x` list column) as is, or an imld-gen file (`x`, `y`
 * f32 columns) turned into a 2-feature FeatureSplit, so `--data` works on any imld-gen folder.
 */
export function loadTuningSplit(path: string): FeatureSplit {
  if (!existsSync(path)) throw new InputError('missing split file', { file: path });
  const table = readArrowFile(path);
  if (!table.getChild('y')) return loadFeatureSplit(path);
  const p = loadPointSplit(path);
  return {
    path,
    sha256: p.sha256,
    n: p.n,
    shape: [2],
    size: 2,
    x: Float32Array.from(p.points),
    labels: p.labels,
    sourceRow: Int32Array.from({ length: p.n }, (_, i) => i),
    classNames: p.classNames,
    metadata: p.metadata,
  };
}

/**
 * Where a corpus's splits are: `<dataDir>/features/<corpus>/` when the features stage ran, else
 * `<dataDir>/imld-gen/<corpus>/`.
 */
export function corpusSplitsDir(dataRoot: string, corpus: string): string {
  const candidates = [join(dataRoot, 'features', corpus), join(dataRoot, 'imld-gen', corpus)];
  const found = candidates.find((d) => existsSync(join(d, 'train.arrow')));
  if (!found)
    throw new InputError(
      `no train.arrow for corpus "${corpus}" (looked in ${candidates.join(', ')}); ` +
        'run the features or imld-gen stage first',
      { file: candidates[0] },
    );
  return found;
}
