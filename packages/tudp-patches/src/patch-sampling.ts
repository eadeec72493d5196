// Step 3 of `prepare`: sample each split, then make sure every picked patch is in the patch cache.
// A slide that fails only now (a truncated file whose low-resolution level still decoded) is
// skipped and the split is sampled again without it.
import { existsSync } from 'node:fs';
import { InputError } from '@corpus-tune/core';
import type { PrepareContext } from './prepare-context.ts';
import { extractPatches } from './patches.ts';
import { sampleBalanced } from './sampling.ts';
import type { SampledPatch, SlideCandidate } from './sampling.ts';
import { withSlide } from './slide.ts';
import { skipSlide, usableSlides } from './slide-work.ts';
import type { SlideWork } from './slide-work.ts';
import { SPLITS } from './splits.ts';
import type { Split } from './splits.ts';

export type SplitSample = ReturnType<typeof sampleBalanced>;

export interface SampledSplits {
  samples: Map<Split, SplitSample>;
  /** Patches read from slides (the rest were in the patch cache). */
  patchesExtracted: number;
}

export async function sampleSplits(
  work: readonly SlideWork[],
  context: PrepareContext,
): Promise<SampledSplits> {
  const samples = new Map<Split, SplitSample>();
  let patchesExtracted = 0;
  for (const split of SPLITS) {
    for (;;) {
      const pool: SlideCandidate[] = usableSlides(work, split).flatMap((w) =>
        w.coords!.candidates.map((c) => ({ ...c, slideId: w.slideId })),
      );
      const sample = sampleBalanced(pool, context.options.counts[split], context.options.seed);
      const failed = await extractMissing(
        work,
        split,
        sample.patches,
        context,
        (n) => (patchesExtracted += n),
      );
      if (!failed) {
        samples.set(split, sample);
        break;
      }
    }
  }
  return { samples, patchesExtracted };
}

/** Extracts the picked patches missing from the cache; returns true when a slide failed (resample). */
async function extractMissing(
  work: readonly SlideWork[],
  split: Split,
  patches: readonly SampledPatch[],
  { options, cache, ext, root }: PrepareContext,
  onPatches: (n: number) => void,
): Promise<boolean> {
  const todo = usableSlides(work, split)
    .filter((w) => w.patchKey !== null)
    .map((w) => ({
      w,
      missing: patches
        .filter(
          (p) =>
            p.slideId === w.slideId && !existsSync(cache.patchFile(w.slideId, w.patchKey!, p.x, p.y, ext)),
        )
        .sort((a, b) => a.y - b.y || a.x - b.x),
    }))
    .filter((t) => t.missing.length > 0);
  const total = todo.reduce((n, t) => n + t.missing.length, 0);
  if (total === 0) return false;
  const progress = options.progress({ label: `${split} patches`, total, unit: 'patches' });
  for (const { w, missing } of todo) {
    const key = w.patchKey!;
    try {
      await withSlide(
        w.slidePath,
        async (slide) => {
          const encoded = await extractPatches(slide, w.coords!.geometry, missing, options.encoding, {
            concurrency: options.concurrency,
            onPatch: () => {
              onPatches(1);
              progress.tick(1, w.slideId);
            },
          });
          encoded.forEach((bytes, i) =>
            cache.writePatch(w.slideId, key, missing[i].x, missing[i].y, ext, bytes),
          );
        },
        { backend: options.backend },
      );
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      skipSlide(w, error, options.logger, root);
      progress.done(`stopped: ${w.slideId} failed`);
      return true;
    }
  }
  progress.done();
  return false;
}
