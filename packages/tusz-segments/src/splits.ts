import { createRng, InputError, shuffleInPlace } from '@corpus-tune/core';
import type { Rng } from '@corpus-tune/core';
import type { SegmentLabel } from './annotations.ts';
import { SPLITS } from './options.ts';
import type { SplitName } from './options.ts';

// Patient-disjoint splits. TUSZ's own train/dev/eval folders are patient-disjoint by design and are
// used when present; otherwise patients (never recordings) are shuffled with the seed and dealt out
// in proportion to the requested split sizes.

export interface SplitInput {
  recordingId: string;
  patientId: string;
  folderSplit: SplitName | null;
}

export function assignSplits(
  recordings: readonly SplitInput[],
  counts: Record<SplitName, number>,
  seed: number,
): Map<string, SplitName> {
  const out = new Map<string, SplitName>();
  const withFolder = recordings.filter((r) => r.folderSplit !== null).length;
  if (withFolder > 0 && withFolder < recordings.length) {
    throw new InputError(
      `${withFolder} of ${recordings.length} recordings sit in train/dev/eval folders and the rest do not; use one layout`,
    );
  }
  if (withFolder > 0) {
    for (const r of recordings) out.set(r.recordingId, r.folderSplit as SplitName);
  } else {
    const patients = [...new Set(recordings.map((r) => r.patientId))].sort();
    shuffleInPlace(patients, createRng(seed).fork('patient-split'));
    const total = SPLITS.reduce((n, s) => n + counts[s], 0);
    const share = (s: SplitName): number => (total > 0 ? counts[s] / total : 1 / 3);
    const n = patients.length;
    const small = n >= 3 ? 1 : 0;
    const nDev = Math.max(small, Math.round(n * share('dev')));
    const nEval = Math.max(small, Math.round(n * share('eval')));
    const bySplit = new Map<string, SplitName>();
    patients.forEach((p, i) => bySplit.set(p, i < nDev ? 'dev' : i < nDev + nEval ? 'eval' : 'train'));
    for (const r of recordings) out.set(r.recordingId, bySplit.get(r.patientId) as SplitName);
  }
  checkPatientDisjoint(
    recordings.map((r) => ({ patientId: r.patientId, split: out.get(r.recordingId) as SplitName })),
  );
  return out;
}

/** Throws if any patient appears in two splits. */
export function checkPatientDisjoint(rows: Iterable<{ patientId: string; split: SplitName }>): void {
  const seen = new Map<string, SplitName>();
  for (const { patientId, split } of rows) {
    const prior = seen.get(patientId);
    if (prior !== undefined && prior !== split)
      throw new InputError(`patient ${patientId} appears in both ${prior} and ${split}`);
    seen.set(patientId, split);
  }
}

export interface Candidate {
  recordingId: string;
  startSec: number;
  label: SegmentLabel;
}

/**
 * Balanced, seeded selection: `count / 2` per class, or as many as the scarcer class has.
 * Candidates are put in a canonical order first, so the result depends only on the data and seed.
 */
export function selectBalanced<T extends Candidate>(candidates: readonly T[], count: number, rng: Rng): T[] {
  const canonical = [...candidates].sort((a, b) =>
    a.recordingId < b.recordingId ? -1 : a.recordingId > b.recordingId ? 1 : a.startSec - b.startSec,
  );
  const seiz = canonical.filter((c) => c.label === 'seiz');
  const bckg = canonical.filter((c) => c.label === 'bckg');
  const perClass = Math.min(Math.floor(count / 2), seiz.length, bckg.length);
  shuffleInPlace(seiz, rng.fork('seiz'));
  shuffleInPlace(bckg, rng.fork('bckg'));
  const chosen = [...seiz.slice(0, perClass), ...bckg.slice(0, perClass)];
  return chosen.sort((a, b) =>
    a.recordingId < b.recordingId ? -1 : a.recordingId > b.recordingId ? 1 : a.startSec - b.startSec,
  );
}
