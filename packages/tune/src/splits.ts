import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, STAGE } from '@corpus-tune/core';
import { loadTrainingSplit } from '@corpus-tune/train';
import type { FeatureSplit } from '@corpus-tune/train';

/**
 * One split for tuning: a features file as is, or an imld-gen file as a 2-feature split, so `--data`
 * works on any imld-gen folder (train's loader, over the producers' readers).
 */
export function loadTuningSplit(path: string): FeatureSplit {
  if (!existsSync(path)) throw new InputError('missing split file', { file: path });
  return loadTrainingSplit(path);
}

/**
 * Where a corpus's splits are: `<dataDir>/features/<corpus>/` when the features stage ran, else
 * `<dataDir>/imld-gen/<corpus>/`.
 */
export function corpusSplitsDir(dataRoot: string, corpus: string): string {
  const candidates = [join(dataRoot, STAGE.features, corpus), join(dataRoot, STAGE.imldGen, corpus)];
  const found = candidates.find((d) => existsSync(join(d, 'train.arrow')));
  if (!found)
    throw new InputError(
      `no train.arrow for corpus "${corpus}" (looked in ${candidates.join(', ')}); ` +
        'run the features or imld-gen stage first',
      { file: candidates[0] },
    );
  return found;
}
