// The `prepare` stage: corpus → per-slide coordinate tables (cached) → balanced, slide-disjoint
// sampling per split → pixels (cached per slide) → Arrow per split.
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InputError,
  checkInteger,
  checkOneOf,
  codeVersion,
  createProgress,
  errorMessage,
  sha256,
  silentLogger,
  writeArrowBatches,
  writeFileAtomic,
  writeJsonAtomic,
  shardOf,
  STAGE,
} from '@corpus-tune/core';
import type { Logger, RunMetadata } from '@corpus-tune/core';
import { readAnnotations, validateAnnotations } from './annotations.ts';
import { FileHashIndex, SlideCache, cacheKey } from './cache.ts';
import { DEFAULT_DEMO_CORPUS, writeDemoCorpus } from './demo-corpus.ts';
import { discoverSlides } from './discover.ts';
import { DEFAULT_ENCODING, encodingName } from './encode.ts';
import type { PatchEncoding } from './encode.ts';
import { CLASS_NAMES, classCode } from './labels.ts';
import { patchBatch, patchSchema } from './patch-table.ts';
import type { PatchRow } from './patch-table.ts';
import { extractPatches } from './patches.ts';
import { sampleBalanced } from './sampling.ts';
import type { SampledPatch, SlideCandidate } from './sampling.ts';
import { withSlide } from './slide.ts';
import type { SlideBackend } from './slide.ts';
import { SPLITS, checkPatientDisjoint, identifySlide, splitForPatient } from './splits.ts';
import type { Split } from './splits.ts';
import { DEFAULT_TILER_OPTIONS, coordinatesFor } from './tiler.ts';
import type { SlideCoordinates, TilerOptions } from './tiler.ts';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface PrepareOptions {
  /** TUDP corpus root; null → the embedded demo corpus (written under `demoRoot`). */
  root: string | null;
  /**
   * Where the demo corpus lives when `root` is null (default `outDir/demo-corpus`). The pipeline keeps
   * it outside the outputs (data/demo-corpora/tudp) so Nx hashes it as an input: adding or editing a
   * demo slide reruns prepare, which reprocesses only that slide.
   */
  demoRoot: string | null;
  /** Output folder (`<data>/tudp-patches`). */
  outDir: string;
  seed: number;
  /** Patches per split (balanced between indc and dcis). */
  counts: Record<Split, number>;
  tiler: TilerOptions;
  encoding: PatchEncoding;
  /** Write patches as files under `outDir/patches/` with paths + hashes in the Arrow instead of bytes. */
  patchFiles: boolean;
  /** Labels not in the TUDP set to drop instead of failing on. */
  ignoreLabels: string[];
  /** Regex with one capture group over the slide id giving the patient id (default: folder rule). */
  patientPattern: string | null;
  /** Process only slides with hash(slideId) mod count = index (coordinates only; rerun without to merge). */
  shard: { index: number; count: number } | null;
  backend: SlideBackend | 'auto';
  /** Patches read/encoded concurrently (koffi async reads + sharp's thread pool). */
  concurrency: number;
  logger: Logger;
  /** Progress lines (stderr in the CLI). */
  progress: (line: string) => void;
}

/** The poster's sizes for a real corpus, and demo sizes that prepare in seconds. */
export const FULL_COUNTS: Readonly<Record<Split, number>> = Object.freeze({
  train: 10000,
  dev: 2500,
  eval: 2500,
});
export const DEMO_COUNTS: Readonly<Record<Split, number>> = Object.freeze({ train: 120, dev: 40, eval: 40 });

export function resolvePrepareOptions(
  partial: Partial<PrepareOptions> & { outDir: string },
): Readonly<PrepareOptions> {
  const root = partial.root ?? null;
  const demoRoot = partial.demoRoot ?? null;
  const options: PrepareOptions = {
    root,
    demoRoot,
    outDir: partial.outDir,
    seed: partial.seed ?? 1,
    counts: { ...(root === null ? DEMO_COUNTS : FULL_COUNTS), ...partial.counts },
    tiler: { ...DEFAULT_TILER_OPTIONS, ...partial.tiler },
    encoding: partial.encoding ?? DEFAULT_ENCODING,
    patchFiles: partial.patchFiles ?? false,
    ignoreLabels: [...(partial.ignoreLabels ?? [])].sort(),
    patientPattern: partial.patientPattern ?? null,
    shard: partial.shard ?? null,
    backend: partial.backend ?? 'auto',
    concurrency: partial.concurrency ?? 3,
    logger: partial.logger ?? silentLogger,
    progress: partial.progress ?? (() => {}),
  };
  checkInteger('seed', options.seed, { min: 0, max: 0xffffffff });
  for (const split of SPLITS) checkInteger(`${split} count`, options.counts[split], { min: 0 });
  checkInteger('patchSizePx', options.tiler.patchSizePx, { min: 16, max: 8192 });
  checkOneOf('backend', options.backend, ['auto', 'openslide', 'sharp-tiff']);
  if (options.tiler.minLabelFraction <= 0.5 || options.tiler.minLabelFraction > 1) {
    throw new InputError(
      `minLabelFraction ${options.tiler.minLabelFraction} must be in (0.5, 1] so one patch cannot take two labels`,
    );
  }
  if (
    options.shard &&
    !(options.shard.count >= 1 && options.shard.index >= 0 && options.shard.index < options.shard.count)
  ) {
    throw new InputError(`--shard ${options.shard.index}/${options.shard.count}: need 0 ≤ I < N`);
  }
  return options;
}

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

export interface PrepareResult {
  outDir: string;
  corpus: 'demo' | 'tudp';
  slides: SlideReport[];
  processed: number;
  reused: number;
  skipped: number;
  /** Patches read from slides this run (the rest came from the patch cache). */
  patchesExtracted: number;
  splits: Partial<
    Record<
      Split,
      { rows: number; perClass: Record<string, { wanted: number; available: number; taken: number }> }
    >
  >;
  files: string[];
}

interface SlideWork {
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

export async function prepare(input: Partial<PrepareOptions> & { outDir: string }): Promise<PrepareResult> {
  const options = resolvePrepareOptions(input);
  const { logger, outDir } = options;
  const corpus = options.root === null ? 'demo' : 'tudp';
  let root = options.root;
  if (root === null) {
    root = options.demoRoot ?? join(outDir, 'demo-corpus');
    const demo = await writeDemoCorpus(root, DEFAULT_DEMO_CORPUS, (line) => logger.info(line));
    logger.info(
      demo.reused ? `demo corpus: reusing ${root}` : `demo corpus: wrote ${demo.generated} slides to ${root}`,
    );
  } else if (!existsSync(root)) {
    throw new InputError('TUDP root does not exist', { file: root });
  }
  const code = codeVersion(PACKAGE_DIR);
  const cache = new SlideCache(join(outDir, 'cache'));
  cache.ensure();
  const hashes = new FileHashIndex(join(cache.root, 'file-hashes.json'));
  const patientPattern = options.patientPattern === null ? null : new RegExp(options.patientPattern);
  const fractions = {
    train: options.counts.train || 1,
    dev: options.counts.dev || 1,
    eval: options.counts.eval || 1,
  };

  // 1. Identify every slide and its split (by folder, else by a hash of the patient).
  const discovered = discoverSlides(root);
  if (discovered.length === 0)
    throw new InputError('no slides found (looked for .svs, .tif(f), .ndpi, .mrxs, …)', { file: root });
  let work: SlideWork[] = discovered.map((d) => {
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
  if (options.shard)
    work = work.filter((w) => shardOf(w.slideId, options.shard!.count) === options.shard!.index);

  // 2. Coordinates per slide, from the cache when slide, annotation, parameters and code are unchanged.
  const slideProgress = createProgress({
    label: 'slides',
    total: work.length,
    unit: 'slides',
    write: options.progress,
  });
  const tilerParams = {
    tiler: options.tiler,
    ignoreLabels: options.ignoreLabels,
    backend: options.backend,
    code,
  };
  for (const w of work) {
    try {
      if (w.annotationPath === null)
        throw new InputError('no annotation file (.xml or .csv with the same name) beside the slide', {
          file: w.slidePath,
        });
      w.slideSha = hashes.hash(w.slidePath, w.slideRelPath);
      w.annotationSha = hashes.hash(w.annotationPath, w.annotationRelPath ?? w.annotationPath);
      const key = cacheKey({ slide: w.slideSha, annotation: w.annotationSha, ...tilerParams });
      const cached = cache.readCoords<SlideCoordinates>(w.slideId, key);
      if (cached) {
        w.coords = cached;
        w.report.status = 'reused';
      } else {
        const annotations = readAnnotations(w.annotationPath);
        w.coords = await withSlide(
          w.slidePath,
          async (slide) => {
            const regions = validateAnnotations(
              annotations,
              { widthPx: slide.levels[0].width, heightPx: slide.levels[0].height },
              options.ignoreLabels,
            );
            return coordinatesFor(slide, regions, options.tiler);
          },
          { backend: options.backend },
        );
        cache.writeCoords(w.slideId, key, w.coords);
        w.report.status = 'processed';
      }
      w.report.counts = w.coords.counts;
      w.patchKey = cacheKey({
        slide: w.slideSha,
        geometry: w.coords.geometry,
        encoding: options.encoding,
        backend: options.backend,
        code,
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      skip(w, error, logger, root);
    }
    slideProgress.tick(1, w.slideId);
  }
  slideProgress.done();
  hashes.save();

  const result: PrepareResult = {
    outDir,
    corpus,
    slides: work.map((w) => w.report),
    processed: 0,
    reused: 0,
    skipped: 0,
    patchesExtracted: 0,
    splits: {},
    files: [],
  };
  const tally = (): void => {
    result.processed = work.filter((w) => w.report.status === 'processed').length;
    result.reused = work.filter((w) => w.report.status === 'reused').length;
    result.skipped = work.filter((w) => w.report.status === 'skipped').length;
  };
  if (options.shard) {
    tally();
    return result;
  }

  // 3. Sample per split, then make sure every picked patch is in the patch cache. A slide that fails
  //    only now (a truncated file whose low-resolution level still decoded) is skipped and the split
  //    is sampled again without it.
  const samples = new Map<Split, ReturnType<typeof sampleBalanced>>();
  const ext = options.encoding.format === 'png' ? 'png' : 'jpg';
  for (const split of SPLITS) {
    for (;;) {
      const pool: SlideCandidate[] = work
        .filter((w) => w.split === split && w.coords !== null)
        .flatMap((w) => w.coords!.candidates.map((c) => ({ ...c, slideId: w.slideId })));
      const sample = sampleBalanced(pool, options.counts[split], options.seed);
      const failed = await extractMissing(
        work,
        split,
        sample.patches,
        cache,
        ext,
        options,
        (n) => (result.patchesExtracted += n),
      );
      if (!failed) {
        samples.set(split, sample);
        break;
      }
    }
  }

  // 4. Arrow per split, rows in sampling order (a seeded shuffle); metadata records provenance.
  const bySlide = new Map(work.map((w) => [w.slideId, w]));
  const keep = new Map<string, { key: string | null; keep: Set<string> }>(
    work.map((w) => [w.slideId, { key: w.patchKey, keep: new Set<string>() }]),
  );
  if (options.patchFiles) rmSync(join(outDir, 'patches'), { recursive: true, force: true });
  for (const split of SPLITS) {
    const sample = samples.get(split)!;
    const slides = work.filter((w) => w.split === split && w.coords !== null);
    for (const p of sample.patches) keep.get(p.slideId)!.keep.add(`${p.x}_${p.y}.${ext}`);
    for (const w of slides) w.report.selected = sample.patches.filter((p) => p.slideId === w.slideId).length;
    const inputs: Record<string, string> = {};
    for (const w of slides) {
      inputs[w.slideRelPath] = w.slideSha;
      if (w.annotationRelPath && w.annotationSha) inputs[w.annotationRelPath] = w.annotationSha;
    }
    const metadata: RunMetadata = {
      stage: STAGE.tudpPatches,
      codeVersion: code,
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
    const schema = patchSchema(metadata, options.patchFiles);
    const path = join(outDir, `${split}.arrow`);
    const batchRows = 128;
    const batches = function* () {
      for (let start = 0; start < sample.patches.length; start += batchRows) {
        yield patchBatch(
          schema,
          sample.patches
            .slice(start, start + batchRows)
            .map((p) => rowFor(p, bySlide.get(p.slideId)!, cache, ext, options, outDir, split)),
        );
      }
    };
    const rows = await writeArrowBatches(path, schema, batches());
    result.splits[split] = { rows, perClass: sample.perClass };
    result.files.push(path);
    for (const label of CLASS_NAMES) {
      const c = sample.perClass[label];
      if (c.taken < c.wanted)
        logger.warn(`${split}: only ${c.available} ${label} patches available, wanted ${c.wanted}`);
    }
  }
  cache.prune(keep);
  tally();
  const reportPath = join(outDir, 'report.json');
  writeJsonAtomic(reportPath, {
    corpus,
    codeVersion: code,
    seed: options.seed,
    params: publicParams(options, corpus),
    processed: result.processed,
    reused: result.reused,
    skipped: result.skipped,
    splits: result.splits,
    slides: result.slides,
  });
  result.files.push(reportPath);
  return result;
}

function skip(w: SlideWork, error: InputError, logger: Logger, root: string): void {
  w.coords = null;
  w.patchKey = null;
  w.report.status = 'skipped';
  // The report names files relative to the corpus root (outputs hold no absolute paths).
  w.report.error = errorMessage(error).split(`${root}/`).join('');
  delete w.report.counts;
  logger.warn(`skipped ${w.slideId}: ${w.report.error}`);
}

/** Extracts the picked patches missing from the cache; returns true when a slide failed (resample). */
async function extractMissing(
  work: SlideWork[],
  split: Split,
  patches: readonly SampledPatch[],
  cache: SlideCache,
  ext: string,
  options: PrepareOptions,
  onPatches: (n: number) => void,
): Promise<boolean> {
  const todo = work
    .filter((w) => w.split === split && w.coords !== null && w.patchKey !== null)
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
  const progress = createProgress({
    label: `${split} patches`,
    total,
    unit: 'patches',
    write: options.progress,
  });
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
      skip(w, error, options.logger, options.root ?? join(options.outDir, 'demo-corpus'));
      progress.done(`stopped: ${w.slideId} failed`);
      return true;
    }
  }
  progress.done();
  return false;
}

function rowFor(
  p: SampledPatch,
  w: SlideWork,
  cache: SlideCache,
  ext: string,
  options: PrepareOptions,
  outDir: string,
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
    writeFileAtomic(join(outDir, rel), image);
    row.image = null;
    row.path = rel;
    row.sha256 = sha256(image);
  }
  return row;
}

/** Resolved parameters for metadata: everything that shaped the output, no absolute paths. */
function publicParams(options: PrepareOptions, corpus: 'demo' | 'tudp'): Record<string, unknown> {
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
