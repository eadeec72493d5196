// The embedded demo corpus: small synthetic pyramidal tiled TIFF "slides" with two visibly different
// tissue textures standing for indc (dense, disordered small dark nuclei in pink stroma) and dcis
// (round ducts: rings of nuclei around pale lumens), white background, ImageScope XML annotations.
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
import { fillPolygon } from './polygons.ts';

export interface DemoCorpusOptions {
  seed: number;
  widthPx: number;
  heightPx: number;
  /** Level-0 µm per pixel written into the TIFF resolution tags (0.5 ≈ a 20× scan). */
  mpp: number;
  /** Relative paths (without extension) of the slides: `<split>/<patient>/<slide>`. */
  slides: readonly string[];
}

export const DEMO_CORPUS_VERSION = 3;

export const DEFAULT_DEMO_CORPUS: Readonly<DemoCorpusOptions> = Object.freeze({
  seed: 11,
  widthPx: 4096,
  heightPx: 4096,
  mpp: 0.5,
  slides: [
    'train/p01/p01-s1',
    'train/p01/p01-s2',
    'train/p02/p02-s1',
    'train/p03/p03-s1',
    'train/p04/p04-s1',
    'dev/p05/p05-s1',
    'dev/p06/p06-s1',
    'eval/p07/p07-s1',
    'eval/p08/p08-s1',
  ],
});

interface DemoRegion {
  id: string;
  label: 'indc' | 'dcis';
  vertices: Float64Array;
}

/** A wobbly ellipse: tissue outlines are never clean geometric shapes. */
function blob(rng: Rng, cx: number, cy: number, rx: number, ry: number, vertexCount = 72): Float64Array {
  const phase1 = rng.float() * Math.PI * 2;
  const phase2 = rng.float() * Math.PI * 2;
  const out = new Float64Array(vertexCount * 2);
  for (let i = 0; i < vertexCount; i++) {
    const t = (i / vertexCount) * Math.PI * 2;
    const r = 1 + 0.05 * Math.sin(3 * t + phase1) + 0.03 * Math.sin(7 * t + phase2);
    out[2 * i] = Math.round(cx + rx * r * Math.cos(t));
    out[2 * i + 1] = Math.round(cy + ry * r * Math.sin(t));
  }
  return out;
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Renders one slide's RGB pixels and its annotation regions (pure given the rng). */
export function renderDemoSlide(
  rng: Rng,
  widthPx: number,
  heightPx: number,
): { rgb: Uint8Array; regions: DemoRegion[] } {
  const grid = { width: widthPx, height: heightPx, cellPx: 1 };
  const labelMap = new Uint8Array(widthPx * heightPx);
  // Two tissue pieces side by side; which class is left is drawn at random so position is no cue.
  const indcLeft = rng.float() < 0.5;
  const half = widthPx / 2;
  const regions: DemoRegion[] = [];
  (['indc', 'dcis'] as const).forEach((label, k) => {
    const left = (k === 0) === indcLeft;
    const cx = (left ? 0.5 : 1.5) * half + (rng.float() - 0.5) * 0.04 * widthPx;
    const cy = heightPx / 2 + (rng.float() - 0.5) * 0.04 * heightPx;
    // Radii leave a margin: the wobble adds up to 8 %, and annotations must stay inside the slide.
    const vertices = blob(rng, cx, cy, half * 0.42, heightPx * 0.42);
    fillPolygon(grid, labelMap, vertices, k + 1);
    regions.push({ id: String(k + 1), label, vertices });
  });
  // An unannotated speck of tissue, small enough that the mask's small-object removal drops it.
  fillPolygon(grid, labelMap, blob(rng, half, heightPx * 0.06, 40, 30, 24), 3);

  const rgb = new Uint8Array(widthPx * heightPx * 3);
  // Pixel noise from a prime-length table: one RNG draw per pixel made rendering the slowest step.
  const noiseTable = new Float32Array(65521);
  for (let i = 0; i < noiseTable.length; i++) noiseTable[i] = (rng.float() - 0.5) * 2;
  let cursor = rng.int(noiseTable.length);
  const noise = (): number => {
    cursor = cursor + 7 < noiseTable.length ? cursor + 7 : cursor + 7 - noiseTable.length;
    return noiseTable[cursor];
  };
  const base = [
    [246, 245, 247],
    [226, 150, 196],
    [225, 160, 198],
    [210, 140, 185],
  ];
  // Mild noise so flat areas look scanned. (Patch PNG size is set by the JPEG tile artifacts, not by this.)
  const amplitude = [1, 2, 2, 2];
  for (let i = 0, j = 0; i < labelMap.length; i++, j += 3) {
    const k = labelMap[i];
    const c = base[k];
    const n = noise() * amplitude[k];
    rgb[j] = clamp(c[0] + n);
    rgb[j + 1] = clamp(c[1] + n);
    rgb[j + 2] = clamp(c[2] + n);
  }
  const paintDisk = (
    cx: number,
    cy: number,
    radius: number,
    only: number,
    color: [number, number, number],
    inner = 0,
    innerColor?: [number, number, number],
  ): void => {
    const x0 = Math.max(0, Math.floor(cx - radius));
    const x1 = Math.min(widthPx - 1, Math.ceil(cx + radius));
    const y0 = Math.max(0, Math.floor(cy - radius));
    const y1 = Math.min(heightPx - 1, Math.ceil(cy + radius));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const i = y * widthPx + x;
        if (labelMap[i] !== only) continue;
        const d2 = (x - cx) ** 2 + (y - cy) ** 2;
        if (d2 > radius * radius) continue;
        const c = d2 < inner * inner && innerColor ? innerColor : color;
        const n = noise() * 2;
        rgb[3 * i] = clamp(c[0] + n);
        rgb[3 * i + 1] = clamp(c[1] + n);
        rgb[3 * i + 2] = clamp(c[2] + n);
      }
    }
  };
  // indc: many small, dark, irregularly placed nuclei.
  const nuclei = Math.round((widthPx * heightPx) / 260);
  for (let k = 0; k < nuclei; k++) {
    const x = rng.float() * widthPx;
    const y = rng.float() * heightPx;
    if (labelMap[Math.floor(y) * widthPx + Math.floor(x)] !== 1) continue;
    paintDisk(x, y, 3 + rng.float() * 4, 1, [78 + rng.int(30), 30 + rng.int(20), 120 + rng.int(30)]);
  }
  // dcis: ducts on a jittered lattice, a purple rim of cells around a pale lumen.
  const stepPx = 170;
  for (let gy = stepPx / 2; gy < heightPx; gy += stepPx) {
    for (let gx = stepPx / 2; gx < widthPx; gx += stepPx) {
      const x = gx + (rng.float() - 0.5) * 50;
      const y = gy + (rng.float() - 0.5) * 50;
      const radius = 50 + rng.float() * 22;
      paintDisk(x, y, radius, 2, [128, 62, 160], radius - 13, [236, 205, 224]);
    }
  }
  return { rgb, regions };
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
        quality: 85,
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

/**
 * Writes the demo corpus under `root` unless a manifest with the same version and options is already
 * there (the slides' bytes then stay identical, so the per-slide cache keeps hitting).
 */
export async function writeDemoCorpus(
  root: string,
  options: DemoCorpusOptions = DEFAULT_DEMO_CORPUS,
  log: (line: string) => void = () => {},
): Promise<DemoCorpusResult> {
  const manifestPath = join(root, 'manifest.json');
  const manifest = { version: DEMO_CORPUS_VERSION, ...options, slides: [...options.slides] };
  if (
    existsSync(manifestPath) &&
    readFileSync(manifestPath, 'utf8') === `${JSON.stringify(manifest, null, 2)}\n`
  ) {
    if (
      options.slides.every((s) => existsSync(join(root, `${s}.tiff`)) && existsSync(join(root, `${s}.xml`)))
    ) {
      return { root, generated: 0, reused: true };
    }
  }
  // Regenerating: start from an empty folder so slides of an older demo layout cannot linger.
  rmSync(root, { recursive: true, force: true });
  const rng = createRng(options.seed);
  let generated = 0;
  // Render the next slide (JS, main thread) while sharp encodes the previous one (libuv pool).
  let pending: Promise<void> = Promise.resolve();
  for (const slide of options.slides) {
    const { rgb, regions } = renderDemoSlide(rng.fork(slide), options.widthPx, options.heightPx);
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
  writeJsonAtomic(manifestPath, manifest);
  recordGeneratedFiles(root, ['manifest.json', ...options.slides.flatMap((s) => [`${s}.tiff`, `${s}.xml`])]);
  return { root, generated, reused: false };
}
