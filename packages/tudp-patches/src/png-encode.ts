// A minimal lossless PNG writer (8-bit RGB, "Up" filter on every row, zlib; RLE strategy at level 1), written by
// hand because sharp's PNG path (libvips → libspng) writes unfiltered rows at its fast settings: on a
// 512² H&E patch (CMU-1, CPU time per patch, this machine) sharp level 1 took 10.0 ms for 796 KB —
// larger than the raw pixels — while this writer takes 10.0 ms for 603 KB (−24 %), about Pillow's
// level-1 size (597 KB) at a third of Pillow's time (28.5 ms). Node's zlib does the compression; only
// the row filter and the three chunks are ours. Any PNG decoder reads the result (tests use sharp).
import { constants, crc32, deflate } from 'node:zlib';
import { promisify } from 'node:util';

const deflateAsync = promisify(deflate);
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Rows prefixed with filter type 2 (Up): each byte minus the byte above — small residuals on tissue. */
export function upFilteredRows(rgb: Uint8Array, widthPx: number, heightPx: number): Buffer {
  const stride = widthPx * 3;
  const out = Buffer.alloc((stride + 1) * heightPx);
  for (let y = 0; y < heightPx; y++) {
    const o = y * (stride + 1);
    const row = y * stride;
    out[o] = 2;
    if (y === 0) out.set(rgb.subarray(0, stride), o + 1);
    else for (let i = 0; i < stride; i++) out[o + 1 + i] = (rgb[row + i] - rgb[row - stride + i]) & 0xff;
  }
  return out;
}

/** Encodes 8-bit RGB pixels as PNG; the deflate runs on libuv's pool, so encodes overlap across cores. */
export async function encodePngRgb(
  rgb: Uint8Array,
  widthPx: number,
  heightPx: number,
  zlibLevel = 1,
): Promise<Buffer> {
  if (rgb.length !== widthPx * heightPx * 3)
    throw new RangeError(`expected ${widthPx * heightPx * 3} RGB bytes, got ${rgb.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(widthPx, 0);
  header.writeUInt32BE(heightPx, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  // bytes 10–12: deflate compression, adaptive filter method 0, no interlace
  // Level 1 uses zlib's RLE strategy: on filtered tissue residuals it matches level 1's default-strategy
  // size at about half the time. Higher levels use the default strategy, where level actually matters.
  const strategy = zlibLevel <= 1 ? constants.Z_RLE : constants.Z_DEFAULT_STRATEGY;
  const filtered = upFilteredRows(rgb, widthPx, heightPx);
  // One output chunk: with Node's default 16 KiB chunks the async deflate hops to the thread pool once
  // per chunk, which cost more CPU than the compression itself (measured: 15 → 9.5 ms at level 1).
  const chunkSize = Math.max(64 * 1024, filtered.length + (filtered.length >> 6) + 1024);
  const idat = await deflateAsync(filtered, { level: zlibLevel, strategy, chunkSize });
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
