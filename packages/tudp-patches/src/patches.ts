import { encodePatch, resizeRgb } from './encode.ts';
import type { PatchEncoding } from './encode.ts';
import type { Slide } from './slide.ts';
import type { PatchGeometry } from './tiler.ts';

/** The RGB pixels of one grid patch at the output resolution. */
export async function readPatchRgb(
  slide: Slide,
  geometry: PatchGeometry,
  x: number,
  y: number,
): Promise<Uint8Array> {
  const rgb = await slide.readRegionRgb(x, y, geometry.level, geometry.readSizePx, geometry.readSizePx);
  return resizeRgb(rgb, geometry.readSizePx, geometry.patchSizePx);
}

/**
 * Reads and encodes patches with `concurrency` in flight: OpenSlide reads run on koffi's async
 * worker and sharp encodes on libuv's pool, so reading one patch overlaps encoding another.
 * Results come back in input order whatever the completion order (determinism).
 */
export async function extractPatches(
  slide: Slide,
  geometry: PatchGeometry,
  positions: readonly { x: number; y: number }[],
  encoding: PatchEncoding,
  options: { concurrency?: number; onPatch?: () => void } = {},
): Promise<Buffer[]> {
  const out: Buffer[] = new Array(positions.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < positions.length) {
      const i = next++;
      const rgb = await readPatchRgb(slide, geometry, positions[i].x, positions[i].y);
      out[i] = await encodePatch(rgb, geometry.patchSizePx, geometry.patchSizePx, encoding);
      options.onPatch?.();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 3) }, worker));
  return out;
}
