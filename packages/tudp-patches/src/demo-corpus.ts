// The embedded demo corpus: synthetic pyramidal tiled TIFF slides that are hard the ways TUDP is hard.
// Slides differ in stain (per-slide H&E vectors and amounts, glass tint), focus, folds, pen marks, fat
// and tears; the classes differ in structure only (demo-tissue.ts). ImageScope XML annotations, and a
// manifest.json that lists every knob, every artefact and which generator drew each region.
import { existsSync, readFileSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import {
  createRng,
  recordGeneratedFiles,
  tempPathFor,
  writeFileAtomic,
  writeJsonAtomic,
} from '@corpus-tune/core';
import type { Rng } from '@corpus-tune/core';
import { imageScopeXmlFrom } from './annotations-xml.ts';
import { createCanvas } from './demo-canvas.ts';
import { paintDust, paintFat, paintFolds, paintHoles, paintPen } from './demo-artefacts.ts';
import type { FatRecord, FoldRecord, HoleRecord, PenRecord } from './demo-artefacts.ts';
import { layOutSlide } from './demo-layout.ts';
import type { LayoutRegion } from './demo-layout.ts';
import { DEFAULT_STAIN_VARIATION, PEN_COLOURS, composeRgb, drawStainProfile } from './demo-stain.ts';
import type { StainProfile, StainVariation } from './demo-stain.ts';
import { REGION_GENERATORS, paintDcisRegion, paintIndcRegion, paintStroma } from './demo-tissue.ts';
import type { RegionBox, RegionGenerator, StructureCounts } from './demo-tissue.ts';

/** Inclusive [min, max] of an artefact's count per slide. */
type CountRange = readonly [number, number];

export interface ArtefactCounts {
  fat: CountRange;
  holes: CountRange;
  folds: CountRange;
  penMarks: CountRange;
  dust: CountRange;
}

export interface DemoCorpusOptions {
  seed: number;
  widthPx: number;
  heightPx: number;
  /** Level-0 µm per pixel written into the TIFF resolution tags; structure sizes are in µm. */
  mpp: number;
  /** Relative paths (without extension) of the slides: `<split>/<patient>/<slide>`. */
  slides: readonly string[];
  stain: Readonly<StainVariation>;
  artefactsPerSlide: Readonly<ArtefactCounts>;
}

export const DEMO_CORPUS_VERSION = 4;

/** 18 patients, 24 slides: 14 train (10 patients), 5 dev (4), 5 eval (4); some patients have two. */
function demoSlides(): string[] {
  const splits: [string, number, number][] = [
    ['train', 1, 10],
    ['dev', 11, 14],
    ['eval', 15, 18],
  ];
  const twoSlides = new Set([1, 2, 3, 4, 11, 15]);
  const out: string[] = [];
  for (const [split, first, last] of splits) {
    for (let p = first; p <= last; p++) {
      const patient = `p${String(p).padStart(2, '0')}`;
      out.push(`${split}/${patient}/${patient}-s1`);
      if (twoSlides.has(p)) out.push(`${split}/${patient}/${patient}-s2`);
    }
  }
  return out;
}

export const DEFAULT_ARTEFACT_COUNTS: Readonly<ArtefactCounts> = Object.freeze({
  fat: [1, 3] as const,
  holes: [0, 2] as const,
  folds: [0, 2] as const,
  penMarks: [0, 2] as const,
  dust: [2, 5] as const,
});

/**
 * 2304² px at 2 µm/px (4.6 mm square sections): the demo cuts 128-px patches at 2 µm/px, the pixels
 * the poster's CNNs see after resizing its 512-px patches at 0.5 µm/px to 128 px.
 */
export const DEFAULT_DEMO_CORPUS: Readonly<DemoCorpusOptions> = Object.freeze({
  seed: 11,
  widthPx: 2304,
  heightPx: 2304,
  mpp: 2,
  slides: Object.freeze(demoSlides()),
  stain: DEFAULT_STAIN_VARIATION,
  artefactsPerSlide: DEFAULT_ARTEFACT_COUNTS,
});

export interface DemoRegionRecord {
  id: string;
  label: LayoutRegion['label'];
  generator: RegionGenerator;
  structures: StructureCounts;
}

/** What the generator drew on one slide (the manifest's per-slide entry), level-0 px. */
export interface DemoSlideRecord {
  stain: StainProfile;
  regions: DemoRegionRecord[];
  fat: FatRecord[];
  holes: HoleRecord[];
  folds: FoldRecord[];
  penMarks: PenRecord[];
  dust: HoleRecord[];
}

function countIn(rng: Rng, [min, max]: CountRange): number {
  return min + rng.int(max - min + 1);
}

function boxOf(region: Uint8Array, widthPx: number, value: number): RegionBox {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let areaPx = 0;
  for (let i = 0; i < region.length; i++) {
    if (region[i] !== value) continue;
    const x = i % widthPx;
    const y = (i - x) / widthPx;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x + 1);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y + 1);
    areaPx++;
  }
  return { x0, y0, x1, y1, areaPx };
}

/** Renders one slide's RGB pixels, its annotation regions and its record (pure given the rng). */
export function renderDemoSlide(
  rng: Rng,
  widthPx: number,
  heightPx: number,
  options: Pick<DemoCorpusOptions, 'mpp' | 'stain' | 'artefactsPerSlide'> = DEFAULT_DEMO_CORPUS,
): { rgb: Uint8Array; regions: LayoutRegion[]; record: DemoSlideRecord } {
  const canvas = createCanvas(widthPx, heightPx, options.mpp);
  const stain = drawStainProfile(rng.fork('stain'), options.stain);
  const layout = layOutSlide(canvas, rng.fork('layout'));
  paintStroma(canvas, rng.fork('stroma'));
  const counts = options.artefactsPerSlide;
  const artefactRng = rng.fork('artefacts');
  const fat = paintFat(canvas, artefactRng, countIn(artefactRng, counts.fat));
  const tissueRng = rng.fork('tumour');
  const regions: DemoRegionRecord[] = layout.map((r, k) => {
    const box = boxOf(canvas.region, widthPx, k + 1);
    const paint = r.label === 'dcis' ? paintDcisRegion : paintIndcRegion;
    const structures =
      box.areaPx === 0 ? { tumourNuclei: 0 } : paint(canvas, tissueRng.fork(r.id), box, k + 1);
    return { id: r.id, label: r.label, generator: REGION_GENERATORS[r.label], structures };
  });
  const holes = paintHoles(canvas, artefactRng, countIn(artefactRng, counts.holes));
  const folds = paintFolds(canvas, artefactRng, countIn(artefactRng, counts.folds));
  const dust = paintDust(canvas, artefactRng, countIn(artefactRng, counts.dust));
  const penMarks = paintPen(canvas, artefactRng, countIn(artefactRng, counts.penMarks));
  const rgb = composeRgb(canvas, stain, rng.fork('scanner'));
  return { rgb, regions: layout, record: { stain, regions, fat, holes, folds, penMarks, dust } };
}

/** Writes a pyramidal tiled TIFF (JPEG tiles, 256² tiles, resolution tags) atomically. */
export async function writePyramidalTiff(
  path: string,
  rgb: Uint8Array,
  widthPx: number,
  heightPx: number,
  mpp: number,
): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${tempPathFor(path)}.tiff`;
  try {
    await sharp(rgb, { raw: { width: widthPx, height: heightPx, channels: 3 }, limitInputPixels: false })
      .tiff({
        tile: true,
        tileWidth: 256,
        tileHeight: 256,
        pyramid: true,
        compression: 'jpeg',
        quality: 90,
        // sharp takes pixels per millimetre; OpenSlide reads tiff.XResolution per centimetre.
        xres: 1000 / mpp,
        yres: 1000 / mpp,
        resolutionUnit: 'cm',
      })
      .toFile(tmp);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

export interface DemoCorpusResult {
  root: string;
  generated: number;
  reused: boolean;
}

export interface DemoManifest {
  version: number;
  options: DemoCorpusOptions;
  /** Totals over the corpus of every variation kind (tests check each occurs). */
  counts: Record<string, number>;
  slides: Record<string, { split: string; patient: string } & DemoSlideRecord>;
}

function totalsOf(slides: DemoManifest['slides']): Record<string, number> {
  const records = Object.values(slides);
  const sum = (f: (r: DemoSlideRecord) => number): number => records.reduce((n, r) => n + f(r), 0);
  const counts: Record<string, number> = {
    slides: records.length,
    patients: new Set(records.map((r) => r.patient)).size,
    fat: sum((r) => r.fat.length),
    holes: sum((r) => r.holes.length),
    folds: sum((r) => r.folds.length),
    penMarks: sum((r) => r.penMarks.length),
    dust: sum((r) => r.dust.length),
    blurredSlides: sum((r) => (r.stain.blurSigmaPx > 0.5 ? 1 : 0)),
  };
  for (const colour of PEN_COLOURS)
    counts[`penMarks.${colour}`] = sum((r) => r.penMarks.filter((p) => p.colour === colour).length);
  for (const generator of Object.values(REGION_GENERATORS))
    counts[`regions.${generator}`] = sum((r) => r.regions.filter((g) => g.generator === generator).length);
  return counts;
}

function optionsRecord(options: DemoCorpusOptions): DemoCorpusOptions {
  return { ...options, slides: [...options.slides] };
}

/**
 * Writes the demo corpus under `root` unless a manifest with the same version and options is already
 * there (the slides' bytes then stay identical, so the per-slide cache keeps hitting).
 */
export async function writeDemoCorpus(
  root: string,
  options: Readonly<DemoCorpusOptions> = DEFAULT_DEMO_CORPUS,
  log: (line: string) => void = () => {},
): Promise<DemoCorpusResult> {
  const manifestPath = join(root, 'manifest.json');
  const wanted = JSON.stringify({ version: DEMO_CORPUS_VERSION, options: optionsRecord(options) });
  if (existsSync(manifestPath)) {
    let found = '';
    try {
      const old = JSON.parse(readFileSync(manifestPath, 'utf8')) as Partial<DemoManifest>;
      found = JSON.stringify({ version: old.version, options: old.options });
    } catch {
      // An unreadable manifest means regenerate.
    }
    if (
      found === wanted &&
      options.slides.every((s) => existsSync(join(root, `${s}.tiff`)) && existsSync(join(root, `${s}.xml`)))
    ) {
      return { root, generated: 0, reused: true };
    }
  }
  // Regenerating: start from an empty folder so slides of an older demo layout cannot linger.
  rmSync(root, { recursive: true, force: true });
  const rng = createRng(options.seed);
  const slides: DemoManifest['slides'] = {};
  let generated = 0;
  // Render the next slide (JS, main thread) while sharp encodes the previous one (libuv pool).
  let pending: Promise<void> = Promise.resolve();
  for (const slide of options.slides) {
    const [split, patient] = slide.split('/');
    const { rgb, regions, record } = renderDemoSlide(
      rng.fork(slide),
      options.widthPx,
      options.heightPx,
      options,
    );
    slides[slide] = { split, patient, ...record };
    await pending;
    writeFileAtomic(
      join(root, `${slide}.xml`),
      imageScopeXmlFrom({
        micronsPerPixel: options.mpp,
        widthPx: options.widthPx,
        heightPx: options.heightPx,
        regions,
      }),
    );
    pending = writePyramidalTiff(
      join(root, `${slide}.tiff`),
      rgb,
      options.widthPx,
      options.heightPx,
      options.mpp,
    ).then(() => {
      generated++;
      log(`demo corpus: wrote ${slide}.tiff (${generated}/${options.slides.length})`);
    });
  }
  await pending;
  const manifest: DemoManifest = {
    version: DEMO_CORPUS_VERSION,
    options: optionsRecord(options),
    counts: totalsOf(slides),
    slides,
  };
  writeJsonAtomic(manifestPath, manifest);
  recordGeneratedFiles(root, ['manifest.json', ...options.slides.flatMap((s) => [`${s}.tiff`, `${s}.xml`])]);
  return { root, generated, reused: false };
}
