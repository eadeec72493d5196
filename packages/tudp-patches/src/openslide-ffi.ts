// Minimal koffi binding to the OpenSlide 3.4.1 C API (Debian's libopenslide0 ships
// `libopenslide.so.0`; OpenSlide 4 would be `.so.1`, tried second). koffi is used instead of
// ffi-napi, which no longer builds on Node 20 and is unmaintained. Only the calls this package
// needs are declared; the library is loaded lazily so machines without libopenslide can still use
// the sharp/TIFF backend.
import koffi from 'koffi';
import type { LibraryHandle } from 'koffi';

/** Opaque `openslide_t *` as koffi hands it back (never dereferenced on the JS side). */
export type OpenSlideHandle = unknown;

export interface OpenSlideApi {
  version: string;
  detectVendor(path: string): string | null;
  open(path: string): OpenSlideHandle | null;
  close(handle: OpenSlideHandle): void;
  getError(handle: OpenSlideHandle): string | null;
  levelCount(handle: OpenSlideHandle): number;
  levelDimensions(handle: OpenSlideHandle, level: number): { width: number; height: number };
  levelDownsample(handle: OpenSlideHandle, level: number): number;
  propertyNames(handle: OpenSlideHandle): string[];
  propertyValue(handle: OpenSlideHandle, name: string): string | null;
  /** Fills `dest` (width·height premultiplied ARGB words, native endianness). */
  readRegion(
    handle: OpenSlideHandle,
    dest: Uint32Array,
    x: number,
    y: number,
    level: number,
    width: number,
    height: number,
  ): void;
  /** Same, on koffi's worker thread, so two reads (or a read and a sharp encode) overlap. */
  readRegionAsync(
    handle: OpenSlideHandle,
    dest: Uint32Array,
    x: number,
    y: number,
    level: number,
    width: number,
    height: number,
  ): Promise<void>;
  associatedImageNames(handle: OpenSlideHandle): string[];
  associatedImageDimensions(handle: OpenSlideHandle, name: string): { width: number; height: number };
  readAssociatedImage(handle: OpenSlideHandle, name: string, dest: Uint32Array): void;
}

const LIBRARY_NAMES = ['libopenslide.so.0', 'libopenslide.so.1', 'libopenslide.dylib', 'libopenslide-1.dll'];

let cached: { api: OpenSlideApi } | { error: string } | undefined;

/** The bound API, or `undefined` with the reason when libopenslide cannot be loaded. */
export function loadOpenSlide(): { api: OpenSlideApi } | { error: string } {
  if (cached) return cached;
  if (process.env.TUDP_NO_OPENSLIDE === '1') {
    // Lets tests (and users) exercise the sharp fallback on a machine that has libopenslide.
    cached = { error: 'disabled by TUDP_NO_OPENSLIDE=1' };
    return cached;
  }
  const failures: string[] = [];
  for (const name of LIBRARY_NAMES) {
    try {
      cached = { api: bind(koffi.load(name)) };
      return cached;
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  cached = { error: failures.join('; ') };
  return cached;
}

function bind(lib: LibraryHandle): OpenSlideApi {
  koffi.opaque('openslide_t');
  const getVersion = lib.func('const char *openslide_get_version(void)');
  const detectVendor = lib.func('const char *openslide_detect_vendor(const char *filename)');
  const open = lib.func('openslide_t *openslide_open(const char *filename)');
  const close = lib.func('void openslide_close(openslide_t *osr)');
  const getError = lib.func('const char *openslide_get_error(openslide_t *osr)');
  const levelCount = lib.func('int32_t openslide_get_level_count(openslide_t *osr)');
  const levelDims = lib.func(
    'void openslide_get_level_dimensions(openslide_t *osr, int32_t level, _Out_ int64_t *w, _Out_ int64_t *h)',
  );
  const levelDownsample = lib.func('double openslide_get_level_downsample(openslide_t *osr, int32_t level)');
  const propertyNames = lib.func('const char **openslide_get_property_names(openslide_t *osr)');
  const propertyValue = lib.func(
    'const char *openslide_get_property_value(openslide_t *osr, const char *name)',
  );
  const readRegion = lib.func(
    'void openslide_read_region(openslide_t *osr, _Out_ uint32_t *dest, int64_t x, int64_t y, int32_t level, int64_t w, int64_t h)',
  );
  const associatedNames = lib.func('const char **openslide_get_associated_image_names(openslide_t *osr)');
  const associatedDims = lib.func(
    'void openslide_get_associated_image_dimensions(openslide_t *osr, const char *name, _Out_ int64_t *w, _Out_ int64_t *h)',
  );
  const readAssociated = lib.func(
    'void openslide_read_associated_image(openslide_t *osr, const char *name, _Out_ uint32_t *dest)',
  );

  // OpenSlide returns NULL-terminated `const char **` lists owned by the handle.
  const stringList = (pointer: unknown): string[] => {
    const out: string[] = [];
    if (pointer === null) return out;
    const stride = koffi.sizeof('void *');
    for (let i = 0; ; i++) {
      const value = koffi.decode(pointer, i * stride, 'const char *') as string | null;
      if (value === null) return out;
      out.push(value);
    }
  };
  const dims = (fn: (w: number[], h: number[]) => void): { width: number; height: number } => {
    const w = [0];
    const h = [0];
    fn(w, h);
    return { width: Number(w[0]), height: Number(h[0]) };
  };

  return {
    version: getVersion() as string,
    detectVendor: (path) => detectVendor(path) as string | null,
    open: (path) => open(path) as OpenSlideHandle | null,
    close: (handle) => close(handle),
    getError: (handle) => getError(handle) as string | null,
    levelCount: (handle) => levelCount(handle) as number,
    levelDimensions: (handle, level) => dims((w, h) => levelDims(handle, level, w, h)),
    levelDownsample: (handle, level) => levelDownsample(handle, level) as number,
    propertyNames: (handle) => stringList(propertyNames(handle)),
    propertyValue: (handle, name) => propertyValue(handle, name) as string | null,
    readRegion: (handle, dest, x, y, level, width, height) =>
      readRegion(handle, dest, x, y, level, width, height),
    readRegionAsync: (handle, dest, x, y, level, width, height) =>
      new Promise<void>((resolve, reject) => {
        readRegion.async(handle, dest, x, y, level, width, height, (error: unknown) =>
          error ? reject(error) : resolve(),
        );
      }),
    associatedImageNames: (handle) => stringList(associatedNames(handle)),
    associatedImageDimensions: (handle, name) => dims((w, h) => associatedDims(handle, name, w, h)),
    readAssociatedImage: (handle, name, dest) => readAssociated(handle, name, dest),
  };
}
