import { basename, extname, relative, sep } from 'node:path';
import { InputError, sha256 } from '@corpus-tune/core';

import type { SplitName } from '@corpus-tune/core';

export { SPLITS } from '@corpus-tune/core';
export type Split = SplitName;

const SPLIT_DIR_NAMES: Record<string, Split> = {
  train: 'train',
  dev: 'dev',
  val: 'dev',
  valid: 'dev',
  eval: 'eval',
  test: 'eval',
};

export interface SlideIdentity {
  /** Stable id: the path under the corpus root without extension, `/`-separated. */
  slideId: string;
  patientId: string;
  /** From a train/dev/eval directory in the path, or null (assigned by patient hash). */
  splitFromPath: Split | null;
}

/**
 * Identity of a slide from its place in the corpus tree `<root>/[<split>/]<patient>/…/<slide>`:
 * the first directory under the split (or root) names the patient; a slide directly in it is its own
 * patient. `patientPattern` (a regex with one capture group over the slide id) overrides that.
 */
export function identifySlide(
  root: string,
  path: string,
  patientPattern: RegExp | null = null,
): SlideIdentity {
  const rel = relative(root, path).split(sep);
  const slideId = [...rel.slice(0, -1), basename(path, extname(path))].join('/');
  let parts = rel.slice(0, -1);
  let splitFromPath: Split | null = null;
  const splitIndex = parts.findIndex((p) => SPLIT_DIR_NAMES[p.toLowerCase()] !== undefined);
  if (splitIndex >= 0) {
    splitFromPath = SPLIT_DIR_NAMES[parts[splitIndex].toLowerCase()];
    parts = parts.slice(splitIndex + 1);
  }
  let patientId = parts.length > 0 ? parts[0] : basename(path, extname(path));
  if (patientPattern) {
    const match = patientPattern.exec(slideId);
    if (!match || match[1] === undefined)
      throw new InputError(`slide id does not match --patient-pattern ${patientPattern.source}`, {
        file: path,
      });
    patientId = match[1];
  }
  return { slideId, patientId, splitFromPath };
}

/**
 * Split of a patient with no split directory: a hash of (seed, patient id) against cumulative split
 * fractions. Hash-based, not shuffle-based, so adding a slide never moves other patients.
 */
export function splitForPatient(
  patientId: string,
  seed: number,
  fractions: Readonly<Record<Split, number>>,
): Split {
  const u = parseInt(sha256(`${seed}\0${patientId}`).slice(0, 12), 16) / 2 ** 48;
  const total = fractions.train + fractions.dev + fractions.eval;
  if (u < fractions.train / total) return 'train';
  if (u < (fractions.train + fractions.dev) / total) return 'dev';
  return 'eval';
}

/** Fails when one patient would land in two splits (a split directory disagreeing with another). */
export function checkPatientDisjoint(
  assignments: readonly { slideId: string; patientId: string; split: Split }[],
): void {
  const seen = new Map<string, { split: Split; slideId: string }>();
  for (const a of assignments) {
    const prior = seen.get(a.patientId);
    if (prior && prior.split !== a.split) {
      throw new InputError(
        `patient ${a.patientId} is in two splits: ${prior.slideId} (${prior.split}) and ${a.slideId} (${a.split})`,
      );
    }
    seen.set(a.patientId, { split: a.split, slideId: a.slideId });
  }
}
