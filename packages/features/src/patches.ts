import sharp from 'sharp';

/** Shape of a stored patch: height × width × channels, row-major, channels last (HWC), uint8 RGB. */
export interface PatchShape {
  heightPx: number;
  widthPx: number;
  channels: number;
}

/**
 * Decodes an encoded patch (PNG by default; anything sharp reads), flattens any alpha onto
 * white, converts to sRGB and resizes to sizePx × sizePx (fit "fill", Lanczos-3). Returns HWC
 * uint8 RGB. Throws sharp's error on undecodable bytes (callers name the file and row).
 */
export async function decodePatch(bytes: Uint8Array, sizePx: number): Promise<Uint8Array> {
  const { data, info } = await sharp(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    failOn: 'error',
  })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .resize(sizePx, sizePx, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels === 3) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // Grey or other layouts: take the first channel as grey, or the first three as RGB.
  const pixels = sizePx * sizePx;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) rgb[3 * p + c] = data[p * info.channels + (info.channels >= 3 ? c : 0)];
  }
  return rgb;
}

/** Encodes HWC uint8 RGB pixels as PNG (deterministic: no timestamps in sharp's PNG output). */
export async function encodePng(pixels: Uint8Array, shape: PatchShape): Promise<Buffer> {
  return sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), {
    raw: { width: shape.widthPx, height: shape.heightPx, channels: shape.channels as 3 },
  })
    .png({ compressionLevel: 9 })
    .toBuffer();
}
