// Benchmark (not a test): the same 512² grid patches from the same slide, extracted by ours (koffi →
// OpenSlide, sharp PNG) and by python3-openslide + Pillow, in one run. Prints patches/s and ratios,
// plus raw openslide_read_region throughput (the decode bound) for both.
//   node --import tsx tools/bench/tudp/run.ts [--slide PATH] [--passes N]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { sharedDataDir } from '@corpus-tune/core';
import { encodePatch, extractPatches, openSlide, rgbaToRgb } from '../../../packages/tudp-patches/src/index.ts';
import type { PatchEncoding } from '../../../packages/tudp-patches/src/index.ts';

const { values } = parseArgs({ options: { slide: { type: 'string' }, passes: { type: 'string' } } });
const slidePath = values.slide ?? sharedDataDir('slides', 'CMU-1-Small-Region.svs');
const passes = Number(values.passes ?? 3);
const sizePx = 512;

const slide = await openSlide(slidePath, { backend: 'openslide' });
const { width, height } = slide.levels[0];
const positions: { x: number; y: number }[] = [];
for (let y = 0; y + sizePx <= height; y += sizePx) for (let x = 0; x + sizePx <= width; x += sizePx) positions.push({ x, y });
const geometry = { level: 0, readSizePx: sizePx, footprintPx: sizePx, patchSizePx: sizePx, mpp: slide.mppX ?? Number.NaN };

async function rate(fn: () => Promise<void>): Promise<number> {
  await fn(); // warm-up pass: OpenSlide tile cache, libvips/zlib init, JIT
  const start = performance.now();
  for (let p = 0; p < passes; p++) await fn();
  return (passes * positions.length) / ((performance.now() - start) / 1000);
}

const argb = new Uint32Array(sizePx * sizePx);
const raw = slide as unknown as { readRegionArgbSync(d: Uint32Array, x: number, y: number, l: number, w: number, h: number): void };
const ours: Record<string, number> = {};
ours.rawReadPerSec = await rate(async () => {
  for (const { x, y } of positions) raw.readRegionArgbSync(argb, x, y, 0, sizePx, sizePx);
});
const sequential = (encoding: PatchEncoding) => async () => {
  for (const { x, y } of positions) await encodePatch(rgbaToRgb(await slide.readRegion(x, y, 0, sizePx, sizePx)), sizePx, sizePx, encoding);
};
// One core: libvips on one thread, one patch at a time.
sharp.concurrency(1);
ours.pngDefault1CorePerSec = await rate(sequential({ format: 'png', compressionLevel: 6 }));
ours.png1_1CorePerSec = await rate(sequential({ format: 'png', compressionLevel: 1 }));
ours.jpeg1CorePerSec = await rate(sequential({ format: 'jpeg', quality: 90 }));
// The pipeline prepare runs: reads on koffi's worker overlapping sharp encodes (2 cores here).
sharp.concurrency(0);
ours.png1PipelinePerSec = await rate(async () => {
  await extractPatches(slide, geometry, positions, { format: 'png', compressionLevel: 1 }, { concurrency: 3 });
});
slide.close();

const peer = spawnSync('/usr/bin/python3', [fileURLToPath(new URL('./peer.py', import.meta.url)), '--slide', slidePath, '--positions', JSON.stringify(positions.map((p) => [p.x, p.y])), '--size', String(sizePx), '--passes', String(passes)], { encoding: 'utf8' });
if (peer.status !== 0) throw new Error(`peer failed: ${peer.stderr}`);
const py = JSON.parse(peer.stdout) as Record<string, number | string>;

const f = (n: number): string => n.toFixed(1).padStart(7);
const rows: [string, number, number | null][] = [
  ['raw read_region (decode bound)', ours.rawReadPerSec, py.rawReadPerSec as number],
  ['read + PNG level 6, 1 core', ours.pngDefault1CorePerSec, py.pngDefaultPerSec as number],
  ['read + PNG level 1, 1 core', ours.png1_1CorePerSec, py.png1PerSec as number],
  ['read + JPEG q90, 1 core', ours.jpeg1CorePerSec, py.jpegPerSec as number],
  ['read + PNG level 1, pipelined (ours: default)', ours.png1PipelinePerSec, null],
];
console.log(`slide: ${slidePath} (${width}×${height}), ${positions.length} patches of ${sizePx}² × ${passes} passes; python3-openslide ${py.openslidePython} on OpenSlide ${py.openslide}`);
console.log(`${'patches/s'.padEnd(48)}   ours  python  ours/python`);
for (const [name, a, b] of rows) console.log(`${name.padEnd(48)}${f(a)} ${b === null ? '      -' : f(b)}  ${b === null ? '' : `${(a / b).toFixed(2)}×`}`);
console.log(`default extraction vs python3-openslide + Pillow default PNG (level 6): ${(ours.png1PipelinePerSec / (py.pngDefaultPerSec as number)).toFixed(2)}×`);
console.log(`ours lossless 1 core / our raw read_region: ${(ours.png1_1CorePerSec / ours.rawReadPerSec).toFixed(2)} (goal ≥ 0.5: within 2× of the decode bound)`);
