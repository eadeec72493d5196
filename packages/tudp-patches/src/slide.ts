// Whole-slide image access behind one small interface, so the tiler, the tissue mask and most tests
// do not care whether pixels come from OpenSlide (koffi FFI) or from sharp's bundled libvips.
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import sharp from 'sharp';
import type { Metadata } from 'sharp';
import { InputError } from '@corpus-tune/core';
import { loadOpenSlide } from './openslide-ffi.ts';
import type { OpenSlideApi, OpenSlideHandle } from './openslide-ffi.ts';

export interface SlideLevel {
  width: number;
  height: number;
  /** Level-0 pixels per pixel of this level (OpenSlide's definition: mean of the x and y ratios). */
  downsample: number;
}

/** RGBA pixels, straight (not premultiplied) alpha, row-major: what openslide-python returns. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export type SlideBackend = 'openslide' | 'sharp-tiff';

export interface Slide {
  readonly path: string;
  readonly backend: SlideBackend;
  readonly vendor: string;
  readonly levels: readonly SlideLevel[];
  readonly properties: Readonly<Record<string, string>>;
  /** µm per level-0 pixel, or null when the slide does not say. */
  readonly mppX: number | null;
  readonly mppY: number | null;
  readonly objectivePower: number | null;
  readonly associatedImageNames: readonly string[];
  /** A region at `level`, with (x, y) in level-0 pixels as in openslide_read_region; outside the slide is transparent. */
  readRegion(x: number, y: number, level: number, width: number, height: number): Promise<RgbaImage>;
  /** The same region as packed RGB bytes, alpha dropped as Pillow's `convert('RGB')` does (the patch path). */
  readRegionRgb(x: number, y: number, level: number, width: number, height: number): Promise<Uint8Array>;
  readAssociatedImage(name: string): Promise<RgbaImage>;
  close(): void;
}

/** What `inspect` prints: the contract of `npx tudp-patches inspect SLIDE --json`. */
export interface SlideInfo {
  vendor: string;
  levels: SlideLevel[];
  mppX: number | null;
  mppY: number | null;
  objectivePower: number | null;
  properties: Record<string, string>;
  associatedImages: string[];
  backend: SlideBackend;
}

export function slideInfo(slide: Slide): SlideInfo {
  return {
    vendor: slide.vendor,
    levels: slide.levels.map((l) => ({ ...l })),
    mppX: slide.mppX,
    mppY: slide.mppY,
    objectivePower: slide.objectivePower,
    properties: { ...slide.properties },
    associatedImages: [...slide.associatedImageNames],
    backend: slide.backend,
  };
}

/** The level whose downsample is the largest not above `downsample` (OpenSlide's rule). */
export function bestLevelForDownsample(levels: readonly SlideLevel[], downsample: number): number {
  let best = 0;
  for (let i = 0; i < levels.length; i++) if (levels[i].downsample <= downsample * (1 + 1e-9)) best = i;
  return best;
}

/** Drops alpha (as Pillow's `convert('RGB')`): transparent pixels become black, like openslide-python. */
export function rgbaToRgb(image: RgbaImage): Uint8Array {
  const n = image.width * image.height;
  const out = new Uint8Array(n * 3);
  const src = image.data;
  for (let i = 0, j = 0; i < n * 4; i += 4, j += 3) {
    out[j] = src[i];
    out[j + 1] = src[i + 1];
    out[j + 2] = src[i + 2];
  }
  return out;
}

/**
 * OpenSlide's premultiplied ARGB words straight to RGB bytes in one pass (the hot path of patch
 * extraction: separate ARGB → RGBA → RGB passes cost more than the PNG filter). Same arithmetic as
 * argbToRgba; transparent pixels become black, as Pillow's `convert('RGB')` leaves them.
 */
export function argbToRgb(argb: Uint32Array, out: Uint8Array): void {
  const n = argb.length;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const v = argb[i];
    const a = v >>> 24;
    if (a === 255) {
      out[j] = (v >>> 16) & 0xff;
      out[j + 1] = (v >>> 8) & 0xff;
      out[j + 2] = v & 0xff;
    } else if (a === 0) {
      out[j] = 0;
      out[j + 1] = 0;
      out[j + 2] = 0;
    } else {
      out[j] = Math.floor((255 * ((v >>> 16) & 0xff)) / a);
      out[j + 1] = Math.floor((255 * ((v >>> 8) & 0xff)) / a);
      out[j + 2] = Math.floor((255 * (v & 0xff)) / a);
    }
  }
}

/**
 * OpenSlide's premultiplied native-endian ARGB words → straight RGBA bytes, with exactly the integer
 * arithmetic of openslide-python's `_convert.argb2rgba` (255·c / a, truncated), so pixels match it.
 */
export function argbToRgba(argb: Uint32Array, out: Uint8Array): void {
  for (let i = 0, j = 0; i < argb.length; i++, j += 4) {
    const v = argb[i];
    const a = v >>> 24;
    if (a === 255) {
      out[j] = (v >>> 16) & 0xff;
      out[j + 1] = (v >>> 8) & 0xff;
      out[j + 2] = v & 0xff;
      out[j + 3] = 255;
    } else if (a === 0) {
      out[j] = out[j + 1] = out[j + 2] = out[j + 3] = 0;
    } else {
      out[j] = Math.floor((255 * ((v >>> 16) & 0xff)) / a);
      out[j + 1] = Math.floor((255 * ((v >>> 8) & 0xff)) / a);
      out[j + 2] = Math.floor((255 * (v & 0xff)) / a);
      out[j + 3] = a;
    }
  }
}

function parseNumber(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/**
 * µm/px from TIFF resolution tags. OpenSlide 3.4.1 reports `openslide.mpp-x` for vendor formats only,
 * not for generic TIFF (measured on a sharp-written pyramid), so we derive it as OpenSlide 4 does:
 * only from a centimetre unit — inch resolutions are mostly the 72 dpi writer default, not a scan.
 */
export function mppFromTiffResolution(
  resolution: string | undefined,
  unit: string | undefined,
): number | null {
  const r = parseNumber(resolution);
  return r !== null && unit === 'centimeter' ? 10000 / r : null;
}

const INSTALL_HINT = 'install libopenslide (Debian/Ubuntu: apt-get install libopenslide0)';

/**
 * Opens a slide with OpenSlide when libopenslide loads, else plain TIFF through sharp. Errors are
 * InputErrors naming the file: missing, unsupported format, OpenSlide's own error text.
 */
export async function openSlide(
  path: string,
  options: { backend?: SlideBackend | 'auto' } = {},
): Promise<Slide> {
  if (!existsSync(path)) throw new InputError('slide not found', { file: path });
  if (!statSync(path).isFile()) throw new InputError('not a file', { file: path });
  const backend = options.backend ?? 'auto';
  if (backend !== 'sharp-tiff') {
    const loaded = loadOpenSlide();
    if ('api' in loaded) return openWithOpenSlide(loaded.api, path);
    if (backend === 'openslide')
      throw new InputError(`libopenslide is not available (${loaded.error}); ${INSTALL_HINT}`, {
        file: path,
      });
  }
  if (!isPlainTiff(path)) {
    throw new InputError(`only plain tiled TIFF can be read without OpenSlide; ${INSTALL_HINT}`, {
      file: path,
    });
  }
  return openWithSharp(path);
}

function openWithOpenSlide(api: OpenSlideApi, path: string): Slide {
  const handle = api.open(path);
  if (handle === null) {
    const vendor = api.detectVendor(path);
    if (extname(path).toLowerCase() === '.dcm') {
      throw new InputError(`DICOM whole-slide images need OpenSlide ≥ 4.0 (this is ${api.version})`, {
        file: path,
      });
    }
    throw new InputError(
      vendor
        ? `OpenSlide ${api.version} detects vendor "${vendor}" but cannot open it`
        : `not a slide format OpenSlide ${api.version} can read (unsupported or missing image file)`,
      { file: path },
    );
  }
  const error = api.getError(handle);
  if (error !== null) {
    api.close(handle);
    throw new InputError(`OpenSlide cannot open it: ${error}`, { file: path });
  }
  return new OpenSlideSlide(api, handle, path);
}

class OpenSlideSlide implements Slide {
  readonly backend = 'openslide' as const;
  readonly vendor: string;
  readonly levels: SlideLevel[];
  readonly properties: Record<string, string>;
  readonly mppX: number | null;
  readonly mppY: number | null;
  readonly objectivePower: number | null;
  readonly associatedImageNames: string[];
  private handle: OpenSlideHandle | null;
  private argbPool: Uint32Array[] = [];

  constructor(
    private readonly api: OpenSlideApi,
    handle: OpenSlideHandle,
    readonly path: string,
  ) {
    this.handle = handle;
    const count = api.levelCount(handle);
    this.levels = [];
    for (let level = 0; level < count; level++) {
      this.levels.push({
        ...api.levelDimensions(handle, level),
        downsample: api.levelDownsample(handle, level),
      });
    }
    this.properties = {};
    for (const name of api.propertyNames(handle))
      this.properties[name] = api.propertyValue(handle, name) ?? '';
    this.vendor = this.properties['openslide.vendor'] ?? 'unknown';
    this.mppX =
      parseNumber(this.properties['openslide.mpp-x']) ??
      mppFromTiffResolution(this.properties['tiff.XResolution'], this.properties['tiff.ResolutionUnit']);
    this.mppY =
      parseNumber(this.properties['openslide.mpp-y']) ??
      mppFromTiffResolution(this.properties['tiff.YResolution'], this.properties['tiff.ResolutionUnit']);
    this.objectivePower = parseNumber(this.properties['openslide.objective-power']);
    this.associatedImageNames = api.associatedImageNames(handle);
    this.check('reading metadata');
  }

  private live(): OpenSlideHandle {
    if (this.handle === null) throw new Error(`${this.path}: slide already closed`);
    return this.handle;
  }

  private check(what: string): void {
    const error = this.api.getError(this.live());
    if (error !== null) throw new InputError(`OpenSlide failed ${what}: ${error}`, { file: this.path });
  }

  async readRegion(x: number, y: number, level: number, width: number, height: number): Promise<RgbaImage> {
    checkRegion(this, level, width, height);
    const argb = new Uint32Array(width * height);
    await this.api.readRegionAsync(this.live(), argb, x, y, level, width, height);
    this.check(`reading region (${x}, ${y}) level ${level} ${width}×${height}`);
    const data = new Uint8Array(width * height * 4);
    argbToRgba(argb, data);
    return { width, height, data };
  }

  async readRegionRgb(
    x: number,
    y: number,
    level: number,
    width: number,
    height: number,
  ): Promise<Uint8Array> {
    checkRegion(this, level, width, height);
    // Reused scratch buffers: a fresh 1 MiB typed array per 512² patch (zero-fill, page faults, GC of
    // external memory) cost about as much CPU as half the read itself (measured 3.6 vs 5.4–6.7 ms).
    const argb = this.argbPool.find((b) => b.length === width * height) ?? new Uint32Array(width * height);
    this.argbPool = this.argbPool.filter((b) => b !== argb);
    try {
      await this.api.readRegionAsync(this.live(), argb, x, y, level, width, height);
      this.check(`reading region (${x}, ${y}) level ${level} ${width}×${height}`);
      const rgb = new Uint8Array(width * height * 3);
      argbToRgb(argb, rgb);
      return rgb;
    } finally {
      if (this.argbPool.length < 4) this.argbPool.push(argb);
    }
  }

  /** Synchronous read for the benchmark's raw-throughput baseline. */
  readRegionArgbSync(
    argb: Uint32Array,
    x: number,
    y: number,
    level: number,
    width: number,
    height: number,
  ): void {
    this.api.readRegion(this.live(), argb, x, y, level, width, height);
    this.check(`reading region (${x}, ${y}) level ${level}`);
  }

  async readAssociatedImage(name: string): Promise<RgbaImage> {
    if (!this.associatedImageNames.includes(name)) {
      throw new InputError(
        `no associated image "${name}" (has: ${this.associatedImageNames.join(', ') || 'none'})`,
        { file: this.path },
      );
    }
    const { width, height } = this.api.associatedImageDimensions(this.live(), name);
    const argb = new Uint32Array(width * height);
    this.api.readAssociatedImage(this.live(), name, argb);
    this.check(`reading associated image "${name}"`);
    const data = new Uint8Array(width * height * 4);
    argbToRgba(argb, data);
    return { width, height, data };
  }

  close(): void {
    // Deterministic release of the C handle (its tile cache can be hundreds of MB).
    if (this.handle !== null) this.api.close(this.handle);
    this.handle = null;
    this.argbPool = [];
  }
}

function checkRegion(slide: Slide, level: number, width: number, height: number): void {
  if (!Number.isInteger(level) || level < 0 || level >= slide.levels.length) {
    throw new InputError(`level ${level} does not exist (slide has ${slide.levels.length})`, {
      file: slide.path,
    });
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new InputError(`region size ${width}×${height} must be positive integers`, { file: slide.path });
  }
}

/** TIFF or BigTIFF magic and a .tif/.tiff name: the only thing the sharp fallback accepts. */
function isPlainTiff(path: string): boolean {
  const ext = extname(path).toLowerCase();
  if (ext !== '.tif' && ext !== '.tiff') return false;
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  const magic = head.toString('latin1', 0, 2);
  const version = magic === 'II' ? head.readUInt16LE(2) : magic === 'MM' ? head.readUInt16BE(2) : 0;
  return version === 42 || version === 43;
}

async function openWithSharp(path: string): Promise<Slide> {
  let pages: number;
  try {
    pages = (await sharp(path, { limitInputPixels: false }).metadata()).pages ?? 1;
  } catch (error) {
    throw new InputError(`not a TIFF sharp can read: ${(error as Error).message}`, {
      file: path,
      cause: error,
    });
  }
  // libvips writes pyramid levels as successive pages; keep the leading run of halving pages.
  const levels: SlideLevel[] = [];
  const properties: Record<string, string> = {};
  let mpp: number | null = null;
  for (let page = 0; page < pages; page++) {
    let meta: Metadata;
    try {
      meta = await sharp(path, { page, limitInputPixels: false }).metadata();
    } catch (error) {
      throw new InputError(`cannot read TIFF page ${page}: ${(error as Error).message}`, {
        file: path,
        cause: error,
      });
    }
    const width = meta.width ?? 0;
    const height = meta.height ?? 0;
    if (page === 0) {
      if (meta.density && meta.resolutionUnit === 'cm') {
        mpp = 25400 / meta.density; // sharp reports density in pixels per inch whatever the TIFF unit
        properties['tiff.XResolution'] = String(meta.density / 2.54);
        properties['tiff.ResolutionUnit'] = 'centimeter';
      }
    } else if (width >= levels[levels.length - 1].width) break;
    const base = levels[0] ?? { width, height };
    levels.push({
      width,
      height,
      downsample: page === 0 ? 1 : (base.width / width + base.height / height) / 2,
    });
  }
  properties['openslide.vendor'] = 'generic-tiff';
  properties['openslide.level-count'] = String(levels.length);
  levels.forEach((l, i) => {
    properties[`openslide.level[${i}].width`] = String(l.width);
    properties[`openslide.level[${i}].height`] = String(l.height);
    properties[`openslide.level[${i}].downsample`] = String(l.downsample);
  });
  return new SharpTiffSlide(path, levels, properties, mpp);
}

class SharpTiffSlide implements Slide {
  readonly backend = 'sharp-tiff' as const;
  readonly vendor = 'generic-tiff';
  readonly objectivePower = null;
  readonly associatedImageNames: string[] = [];
  readonly mppX: number | null;
  readonly mppY: number | null;

  constructor(
    readonly path: string,
    readonly levels: SlideLevel[],
    readonly properties: Record<string, string>,
    mpp: number | null,
  ) {
    this.mppX = mpp;
    this.mppY = mpp;
  }

  async readRegion(x: number, y: number, level: number, width: number, height: number): Promise<RgbaImage> {
    checkRegion(this, level, width, height);
    const { width: levelWidth, height: levelHeight, downsample } = this.levels[level];
    // Same coordinate rule as OpenSlide: (x, y) are level-0 pixels, scaled down to the level.
    const left = Math.floor(x / downsample);
    const top = Math.floor(y / downsample);
    const data = new Uint8Array(width * height * 4);
    const x0 = Math.max(0, left);
    const y0 = Math.max(0, top);
    const x1 = Math.min(levelWidth, left + width);
    const y1 = Math.min(levelHeight, top + height);
    if (x1 <= x0 || y1 <= y0) return { width, height, data };
    let raw: Buffer;
    try {
      raw = await sharp(this.path, { page: level, limitInputPixels: false })
        .extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
        .ensureAlpha()
        .raw()
        .toBuffer();
    } catch (error) {
      throw new InputError(`cannot read region (${x}, ${y}) level ${level}: ${(error as Error).message}`, {
        file: this.path,
        cause: error,
      });
    }
    // Paste the in-bounds part; the rest stays transparent, as OpenSlide does.
    const rowBytes = (x1 - x0) * 4;
    for (let row = 0; row < y1 - y0; row++) {
      data.set(
        raw.subarray(row * rowBytes, (row + 1) * rowBytes),
        ((row + y0 - top) * width + (x0 - left)) * 4,
      );
    }
    return { width, height, data };
  }

  async readRegionRgb(
    x: number,
    y: number,
    level: number,
    width: number,
    height: number,
  ): Promise<Uint8Array> {
    return rgbaToRgb(await this.readRegion(x, y, level, width, height));
  }

  async readAssociatedImage(name: string): Promise<RgbaImage> {
    throw new InputError(`no associated image "${name}" (the sharp TIFF reader has none)`, {
      file: this.path,
    });
  }

  close(): void {
    // sharp opens the file per call; nothing to release.
  }
}

/** Runs `fn` with an open slide and always closes it (handles are released deterministically). */
export async function withSlide<T>(
  path: string,
  fn: (slide: Slide) => Promise<T>,
  options: { backend?: SlideBackend | 'auto' } = {},
): Promise<T> {
  const slide = await openSlide(path, options);
  try {
    return await fn(slide);
  } finally {
    slide.close();
  }
}

/**
 * Reads the whole lowest-resolution level (in strips, bounded area) to prove the pixel data decodes:
 * files that open but whose tiles are corrupt or truncated fail here, at inspection time.
 */
export async function probeSlide(slide: Slide, maxAreaPx = 4096 * 4096): Promise<void> {
  const level = slide.levels.length - 1;
  const { width, height, downsample } = slide.levels[level];
  const stripRows = Math.max(1, Math.min(height, Math.floor(1048576 / Math.max(1, width))));
  const rows = Math.min(height, Math.max(1, Math.floor(maxAreaPx / Math.max(1, width))));
  for (let row = 0; row < rows; row += stripRows) {
    await slide.readRegion(0, Math.round(row * downsample), level, width, Math.min(stripRows, rows - row));
  }
}
