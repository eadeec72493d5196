// Step 1 of `prepare`: every slide of the corpus with its patient and split, and the record each
// later step fills in (hashes, coordinates, patch-cache key, the slide's line in the report).
import { InputError, errorMessage, shardOf } from '@corpus-tune/core';
import type { Logger } from '@corpus-tune/core';
import { discoverSlides } from './discover.ts';
import type { PrepareOptions } from './options.ts';
import { checkPatientDisjoint, identifySlide, splitForPatient } from './splits.ts';
import type { Split } from './splits.ts';
import type { SlideCoordinates } from './tiler.ts';

export type SlideStatus = 'processed' | 'reused' | 'skipped';

export interface SlideReport {
  slideId: string;
  patientId: string;
  split: Split;
  status: SlideStatus;
  /** Why a slide was skipped (one line naming the file and the problem). */
  error?: string;
  counts?: SlideCoordinates['counts'];
  selected?: number;
}

export interface SlideWork {
  slideId: string;
  patientId: string;
  split: Split;
  slidePath: string;
  slideRelPath: string;
  annotationPath: string | null;
  annotationRelPath: string | null;
  slideSha: string;
  annotationSha: string | null;
  coords: SlideCoordinates | null;
  patchKey: string | null;
  report: SlideReport;
}

/** Slides of `root` with their split (by folder, else by a hash of the patient), this shard's only. */
export function identifySlides(root: string, options: Readonly<PrepareOptions>): SlideWork[] {
  const discovered = discoverSlides(root);
  if (discovered.length === 0)
    throw new InputError('no slides found (looked for .svs, .tif(f), .ndpi, .mrxs, …)', { file: root });
  const patientPattern = options.patientPattern === null ? null : new RegExp(options.patientPattern);
  const fractions = {
    train: options.counts.train || 1,
    dev: options.counts.dev || 1,
    eval: options.counts.eval || 1,
  };
  const work: SlideWork[] = discovered.map((d) => {
    const id = identifySlide(root, d.slidePath, patientPattern);
    const split = id.splitFromPath ?? splitForPatient(id.patientId, options.seed, fractions);
    return {
      ...d,
      slideId: id.slideId,
      patientId: id.patientId,
      split,
      slideSha: '',
      annotationSha: null,
      coords: null,
      patchKey: null,
      report: { slideId: id.slideId, patientId: id.patientId, split, status: 'skipped' },
    };
  });
  checkPatientDisjoint(work);
  const shard = options.shard;
  return shard ? work.filter((w) => shardOf(w.slideId, shard.count) === shard.index) : work;
}

/** Marks a slide skipped; the report names files relative to the corpus root (no absolute paths). */
export function skipSlide(w: SlideWork, error: InputError, logger: Logger, root: string): void {
  w.coords = null;
  w.patchKey = null;
  w.report.status = 'skipped';
  w.report.error = errorMessage(error).split(`${root}/`).join('');
  delete w.report.counts;
  logger.warn(`skipped ${w.slideId}: ${w.report.error}`);
}

/** Slides of `split` that still have coordinates (not skipped). */
export function usableSlides(work: readonly SlideWork[], split: Split): SlideWork[] {
  return work.filter((w) => w.split === split && w.coords !== null);
}
