import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { createRng } from '@corpus-tune/core';
import { encodePngRgb } from '../src/png-encode.ts';
import { encodePatch } from '../src/encode.ts';

function noisyImage(widthPx: number, heightPx: number, seed: number, noise = 40): Uint8Array {
  const rng = createRng(seed);
  const rgb = new Uint8Array(widthPx * heightPx * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (Math.floor(i / 3) % widthPx) * 2 + rng.int(noise);
  return rgb;
}

test('our PNG decodes (sharp/libspng) to exactly the input pixels, at several sizes and levels', async () => {
  for (const [w, h, level] of [
    [512, 512, 1],
    [17, 3, 6],
    [1, 1, 1],
    [300, 7, 9],
  ]) {
    const rgb = noisyImage(w, h, w + h);
    const png = await encodePngRgb(rgb, w, h, level);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [w, h, 3]);
    assert.ok(Buffer.from(rgb).equals(data), `${w}×${h} level ${level}`);
  }
});

test(
  'our PNG is read identically by Pillow (an independent decoder)',
  { skip: existsSync('/usr/bin/python3') ? false : 'no /usr/bin/python3' },
  async () => {
    const rgb = noisyImage(64, 48, 9);
    const png = await encodePngRgb(rgb, 64, 48);
    const out = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        'import sys, io, hashlib; from PIL import Image; im = Image.open(io.BytesIO(sys.stdin.buffer.read())); im.load(); print(im.mode, im.size[0], im.size[1], hashlib.sha256(im.tobytes()).hexdigest())',
      ],
      { input: png, encoding: 'utf8' },
    );
    const { createHash } = await import('node:crypto');
    assert.equal(out.trim(), `RGB 64 48 ${createHash('sha256').update(rgb).digest('hex')}`);
  },
);

test('encodePatch: PNG is deterministic; JPEG is lossy but close', async () => {
  const rgb = noisyImage(128, 128, 2);
  const a = await encodePatch(rgb, 128, 128, { format: 'png', compressionLevel: 1 });
  const b = await encodePatch(rgb, 128, 128, { format: 'png', compressionLevel: 1 });
  assert.ok(a.equals(b));
  const smooth = noisyImage(128, 128, 2, 4);
  const jpeg = await encodePatch(smooth, 128, 128, { format: 'jpeg', quality: 95 });
  assert.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8]);
  const decoded = await sharp(jpeg).raw().toBuffer();
  let sum = 0;
  for (let i = 0; i < decoded.length; i++) sum += Math.abs(decoded[i] - smooth[i]);
  assert.ok(sum / decoded.length < 4, `mean abs error ${sum / decoded.length}`);
});

test('encodePngRgb rejects a buffer of the wrong size', async () => {
  await assert.rejects(encodePngRgb(new Uint8Array(10), 2, 2), /expected 12 RGB bytes, got 10/);
});
