import { sha256 } from '@corpus-tune/core';
import { CLASS_NAMES } from './labels.ts';
import type { ClassName } from './labels.ts';
import type { PatchCandidate } from './tiler.ts';

export interface SlideCandidate extends PatchCandidate {
  slideId: string;
}

export interface SampledPatch extends SlideCandidate {
  /** Seeded priority the sample was drawn by (lowest first). */
  priority: number;
}

/** Seeded uniform key per patch, independent of enumeration order (a hash, not a sequential RNG). */
export function patchPriority(seed: number, slideId: string, x: number, y: number): number {
  return parseInt(sha256(`${seed}\0${slideId}\0${x}\0${y}`).slice(0, 13), 16) / 2 ** 52;
}

/**
 * Balanced bottom-k sampling: for each class, the `countPerClass` candidates with the smallest
 * seeded priority — a uniform sample without replacement that is stable when slides are added
 * (existing picks only give way to new candidates with smaller keys), so few patches need re-extraction.
 * Output order: by priority (a seeded shuffle), ties broken by slide id and position.
 */
export function sampleBalanced(
  candidates: readonly SlideCandidate[],
  total: number,
  seed: number,
): {
  patches: SampledPatch[];
  perClass: Record<ClassName, { wanted: number; available: number; taken: number }>;
} {
  const wanted = Math.floor(total / CLASS_NAMES.length);
  const perClass = {} as Record<ClassName, { wanted: number; available: number; taken: number }>;
  const patches: SampledPatch[] = [];
  for (const label of CLASS_NAMES) {
    const pool = candidates
      .filter((c) => c.label === label)
      .map((c) => ({ ...c, priority: patchPriority(seed, c.slideId, c.x, c.y) }))
      .sort(comparePatches);
    const taken = pool.slice(0, wanted);
    perClass[label] = { wanted, available: pool.length, taken: taken.length };
    patches.push(...taken);
  }
  patches.sort(comparePatches);
  return { patches, perClass };
}

function comparePatches(a: SampledPatch, b: SampledPatch): number {
  return (
    a.priority - b.priority ||
    (a.slideId < b.slideId ? -1 : a.slideId > b.slideId ? 1 : 0) ||
    a.y - b.y ||
    a.x - b.x
  );
}
