import sharp from 'sharp';
import { encodePngRgb } from './png-encode.ts';

export type PatchEncoding = { format: 'png'; compressionLevel: number } | { format: 'jpeg'; quality: number };

/**
 * Default: lossless PNG, zlib level 1, through our small writer (src/png-encode.ts). Encoding, not
 * decoding, dominates extraction (one core, 512² patches through OpenSlide: raw reads 118/s, with
 * PNG encoding 36/s). CPU per 512² H&E patch here: read_region ≈ 4–12 ms; Pillow PNG level 6 38.8 ms, level 1 28.5 ms; sharp PNG level 1 10.0 ms but
 * 796 KB (unfiltered); ours 10.0 ms at 603 KB. zlib level 6 took about twice the CPU for the same
 * size on noisy tissue. JPEG (lossy, ~100 KB, 2 ms with mozjpeg's extras off) is behind --encoding jpeg.
 */
export const DEFAULT_ENCODING: PatchEncoding = Object.freeze({
  format: 'png',
  compressionLevel: 1,
}) as PatchEncoding;

/** Encodes RGB bytes; compression runs on libuv's thread pool, so several encodes overlap on several cores. */
export async function encodePatch(
  rgb: Uint8Array,
  widthPx: number,
  heightPx: number,
  encoding: PatchEncoding,
): Promise<Buffer> {
  if (encoding.format === 'png') return encodePngRgb(rgb, widthPx, heightPx, encoding.compressionLevel);
  // mozjpeg's trellis quantisation and scan optimisation triple the time for ~15 % fewer bytes: off.
  return sharp(rgb, { raw: { width: widthPx, height: heightPx, channels: 3 } })
    .jpeg({
      quality: encoding.quality,
      optimiseCoding: false,
      trellisQuantisation: false,
      overshootDeringing: false,
      optimiseScans: false,
    })
    .toBuffer();
}

/** Area-downscales (or rescales) an RGB patch to the output size when the read size differs. */
export async function resizeRgb(rgb: Uint8Array, fromPx: number, toPx: number): Promise<Uint8Array> {
  if (fromPx === toPx) return rgb;
  const out = await sharp(rgb, { raw: { width: fromPx, height: fromPx, channels: 3 } })
    .resize(toPx, toPx, { kernel: 'lanczos3', fit: 'fill' })
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export function encodingName(encoding: PatchEncoding): string {
  return encoding.format === 'png'
    ? `png (lossless, Up filter, zlib level ${encoding.compressionLevel})`
    : `jpeg (quality ${encoding.quality})`;
}
