// The real IMLD sets as a corpus source: `$IMLD_ROOT/<set>/{train,dev,eval}.csv`, one folder per set,
// named as the course data names them (`set_08`, `set_09`, `set_10`) or as the pipeline does (`ds08`…).
// A set found complete is imported (its CSVs' sha256 in the metadata); any other is left to its recipe,
// with the reason, so the run line and the report can say per set where its points came from.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, sha256, sha256File, writeJsonAtomic } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import { readImldCsv } from './imld-csv.ts';
import type { LabelledPoints } from './imld-csv.ts';
import { SPLIT_NAMES } from './recipe-types.ts';
import type { SplitName } from './recipe-types.ts';
import { readManifestIfCurrent } from './corpus.ts';
import type { CorpusManifest, CorpusSource } from './corpus.ts';
import { writePointsArrow } from './split-table.ts';
import { codeVersionOfPackage } from './version.ts';

/** Where one corpus's points come from under an IMLD root. */
export type ImldSetLookup =
  | { corpus: string; kind: 'found'; dir: string; setName: string; files: Record<SplitName, string> }
  | { corpus: string; kind: 'absent'; reason: string };

/** Folder names tried for a corpus id `dsNN`, in order. */
export function setFolderNames(corpus: string): string[] {
  const digits = /^ds(\d+)$/.exec(corpus)?.[1];
  return digits ? [`set_${digits}`, corpus] : [corpus];
}

/** Finds `corpus`'s set under `root`: found only when all three split CSVs exist. */
export function findImldSet(root: string, corpus: string): ImldSetLookup {
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new InputError(`IMLD_ROOT ${root} is not a folder`, { file: root });
  const names = setFolderNames(corpus);
  const setName = names.find((n) => existsSync(join(root, n)) && statSync(join(root, n)).isDirectory());
  if (!setName) return { corpus, kind: 'absent', reason: `no ${names.join(' or ')} folder in IMLD_ROOT` };
  const dir = join(root, setName);
  const missing = SPLIT_NAMES.filter((s) => !existsSync(join(dir, `${s}.csv`)));
  if (missing.length > 0)
    return {
      corpus,
      kind: 'absent',
      reason: `${setName} lacks ${missing.map((s) => `${s}.csv`).join(', ')}`,
    };
  const files = Object.fromEntries(SPLIT_NAMES.map((s) => [s, join(dir, `${s}.csv`)])) as Record<
    SplitName,
    string
  >;
  return { corpus, kind: 'found', dir, setName, files };
}

export interface ImportResult {
  status: 'imported' | 'reused';
  dir: string;
  manifest: CorpusManifest;
}

/**
 * Imports a found set as `<outDir>/<corpus>/{train,dev,eval}.arrow` + manifest.json. All three CSVs
 * are parsed before anything is written, so a malformed one (named with its line) leaves the previous
 * outputs as they were. Reuses the outputs when the CSVs' hashes and the code version are unchanged.
 */
export function importImldSet(set: Extract<ImldSetLookup, { kind: 'found' }>, outDir: string): ImportResult {
  const version = codeVersionOfPackage();
  const hashes = Object.fromEntries(SPLIT_NAMES.map((s) => [s, sha256File(set.files[s])])) as Record<
    SplitName,
    string
  >;
  const key = sha256(JSON.stringify({ source: 'imld-csv', hashes, version }));
  const dir = join(outDir, set.corpus);
  const current = readManifestIfCurrent(dir, key);
  if (current) return { status: 'reused', dir, manifest: current };

  const points = {} as Record<SplitName, LabelledPoints>;
  for (const s of SPLIT_NAMES) points[s] = readImldCsv(set.files[s]);
  const classNames = [...new Set(SPLIT_NAMES.flatMap((s) => points[s].classNames))];
  for (const s of SPLIT_NAMES) {
    if (points[s].classNames.join() !== classNames.join())
      throw new InputError(
        `${s}.csv has classes ${points[s].classNames.join(', ')}, the set has ${classNames.join(', ')}`,
        { file: set.files[s] },
      );
  }
  const source: CorpusSource = {
    kind: 'imld-csv',
    set: set.setName,
    files: Object.fromEntries(SPLIT_NAMES.map((s) => [`${s}.csv`, hashes[s]])),
  };
  const splits = {} as CorpusManifest['splits'];
  for (const s of SPLIT_NAMES) {
    const metadata: RunMetadata = {
      stage: 'imld-gen',
      codeVersion: version,
      params: { source },
      inputs: { [`${set.setName}/${s}.csv`]: hashes[s] },
      corpus: set.corpus,
      split: s,
      bayesError: null,
    };
    const file = `${s}.arrow`;
    writePointsArrow(join(dir, file), points[s], metadata);
    splits[s] = { file, rows: points[s].label.length, sha256: sha256File(join(dir, file)), bayesError: null };
  }
  const manifest: CorpusManifest = {
    corpus: set.corpus,
    key,
    codeVersion: version,
    source,
    classNames,
    splits,
  };
  writeJsonAtomic(join(dir, 'manifest.json'), manifest);
  return { status: 'imported', dir, manifest };
}
