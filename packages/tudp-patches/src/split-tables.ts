// Step 4 of `prepare`: one Arrow file per split, rows in sampling order (a seeded shuffle), with
// provenance in the schema metadata; then the run's report.json.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sha256, writeArrowBatches, writeFileAtomic, writeJsonAtomic } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import { DEFAULT_DEMO_CORPUS } from './demo-corpus.ts';
import { encodingName } from './encode.ts';
import { CLASS_NAMES, classCode } from './labels.ts';
import type { PrepareOptions } from './options.ts';
import { patchBatch, patchSchema } from './patch-table.ts';
import type { PatchRow } from './patch-table.ts';
import type { PrepareContext } from './prepare-context.ts';
import type { SplitSample } from './patch-sampling.ts';
import type { SampledPatch } from './sampling.ts';
import { usableSlides } from './slide-work.ts';
import type { SlideReport, SlideWork } from './slide-work.ts';
import { SPLITS } from './splits.ts';
import type { Split } from './splits.ts';

export type CorpusKind = 'demo' | 'tudp';

export type SplitSummaries = Partial<
  Record<
    Split,
    { rows: number; perClass: Record<string, { wanted: number; available: number; taken: number }> }
  >
>;

const BATCH_ROWS = 128;

/** Writes `<split>.arrow` for every split; sets each slide's `selected` count; returns the files. */
export async function writeSplitTables(
  work: readonly SlideWork[],
  samples: ReadonlyMap<Split, SplitSample>,
  context: PrepareContext,
  corpus: CorpusKind,
): Promise<{ splits: SplitSummaries; files: string[] }> {
  const { options } = context;
  const bySlide = new Map(work.map((w) => [w.slideId, w]));
  const splits: SplitSummaries = {};
  const files: string[] = [];
  if (options.patchFiles) rmSync(join(options.outDir, 'patches'), { recursive: true, force: true });
  for (const split of SPLITS) {
    const sample = samples.get(split)!;
    const slides = usableSlides(work, split);
    for (const w of slides) w.report.selected = sample.patches.filter((p) => p.slideId === w.slideId).length;
    const schema = patchSchema(splitMetadata(split, slides, sample, context, corpus), options.patchFiles);
    const path = join(options.outDir, `${split}.arrow`);
    const batches = function* () {
      for (let start = 0; start < sample.patches.length; start += BATCH_ROWS) {
        yield patchBatch(
          schema,
          sample.patches
            .slice(start, start + BATCH_ROWS)
            .map((p) => rowFor(p, bySlide.get(p.slideId)!, context, split)),
        );
      }
    };
    const rows = await writeArrowBatches(path, schema, batches());
    splits[split] = { rows, perClass: sample.perClass };
    files.push(path);
    for (const label of CLASS_NAMES) {
      const c = sample.perClass[label];
      if (c.taken < c.wanted)
        options.logger.warn(`${split}: only ${c.available} ${label} patches available, wanted ${c.wanted}`);
    }
  }
  return { splits, files };
}

/** The cache entries this run uses: per slide its patch key and the picked patch files. */
export function livePatches(
  work: readonly SlideWork[],
  samples: ReadonlyMap<Split, SplitSample>,
  ext: string,
): Map<string, { key: string | null; keep: Set<string> }> {
  const keep = new Map<string, { key: string | null; keep: Set<string> }>(
    work.map((w) => [w.slideId, { key: w.patchKey, keep: new Set<string>() }]),
  );
  for (const sample of samples.values())
    for (const p of sample.patches) keep.get(p.slideId)!.keep.add(`${p.x}_${p.y}.${ext}`);
  return keep;
}

function splitMetadata(
  split: Split,
  slides: readonly SlideWork[],
  sample: SplitSample,
  { options, codeVersion }: PrepareContext,
  corpus: CorpusKind,
): RunMetadata {
  const inputs: Record<string, string> = {};
  for (const w of slides) {
    inputs[w.slideRelPath] = w.slideSha;
    if (w.annotationRelPath && w.annotationSha) inputs[w.annotationRelPath] = w.annotationSha;
  }
  return {
    stage: 'tudp-patches',
    codeVersion,
    seed: options.seed,
    params: publicParams(options, corpus),
    inputs,
    classNames: [...CLASS_NAMES],
    split,
    patchSizePx: options.tiler.patchSizePx,
    encoding: options.patchFiles
      ? `${encodingName(options.encoding)}, files`
      : encodingName(options.encoding),
    slides: slides.map((w) => w.slideId),
    patients: [...new Set(slides.map((w) => w.patientId))].sort(),
    perClass: sample.perClass,
  };
}

function rowFor(
  p: SampledPatch,
  w: SlideWork,
  { options, cache, ext }: PrepareContext,
  split: Split,
): PatchRow {
  const image = cache.readPatch(w.slideId, w.patchKey!, p.x, p.y, ext);
  if (image === null) throw new Error(`patch cache lost ${w.slideId} (${p.x}, ${p.y})`);
  const geometry = w.coords!.geometry;
  const row: PatchRow = {
    slideId: w.slideId,
    patientId: w.patientId,
    x: p.x,
    y: p.y,
    level: geometry.level,
    mpp: geometry.mpp,
    tissueFraction: p.tissueFraction,
    label: classCode(p.label),
    image,
  };
  if (options.patchFiles) {
    const rel = `patches/${split}/${w.slideId.replace(/\//g, '_')}_${p.x}_${p.y}.${ext}`;
    writeFileAtomic(join(options.outDir, rel), image);
    row.image = null;
    row.path = rel;
    row.sha256 = sha256(image);
  }
  return row;
}

export interface RunTally {
  processed: number;
  reused: number;
  skipped: number;
}

export function tallySlides(work: readonly SlideWork[]): RunTally {
  const count = (status: SlideReport['status']) => work.filter((w) => w.report.status === status).length;
  return { processed: count('processed'), reused: count('reused'), skipped: count('skipped') };
}

/** `report.json`: what ran, on what, and each slide's fate. */
export function writeRunReport(
  context: PrepareContext,
  corpus: CorpusKind,
  tally: RunTally,
  splits: SplitSummaries,
  slides: readonly SlideReport[],
): string {
  const path = join(context.options.outDir, 'report.json');
  writeJsonAtomic(path, {
    corpus,
    codeVersion: context.codeVersion,
    seed: context.options.seed,
    params: publicParams(context.options, corpus),
    ...tally,
    splits,
    slides,
  });
  return path;
}

/** Resolved parameters for metadata: everything that shaped the output, no absolute paths. */
function publicParams(options: Readonly<PrepareOptions>, corpus: CorpusKind): Record<string, unknown> {
  return {
    corpus,
    counts: options.counts,
    tiler: options.tiler,
    encoding: options.encoding,
    patchFiles: options.patchFiles,
    ignoreLabels: options.ignoreLabels,
    patientPattern: options.patientPattern,
    backend: options.backend,
    demoCorpus:
      corpus === 'demo' ? { ...DEFAULT_DEMO_CORPUS, slides: DEFAULT_DEMO_CORPUS.slides.length } : null,
  };
}
