// Small synthetic corpora for prepare tests: demo-style slides, 1536² px at 0.5 µm/px, cut into
// 256² patches (6 × 6 grid per slide), so a whole prepare run takes about a second.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRng } from '@corpus-tune/core';
import { imageScopeXmlFrom } from '../src/annotations-xml.ts';
import { renderDemoSlide, writePyramidalTiff } from '../src/demo-corpus.ts';
import type { PrepareInput, PrepareOptions } from '../src/options.ts';

export const SIZE_PX = 1536;

export async function writeFixtureSlide(
  root: string,
  relPath: string,
  seed: number,
  options: { labelOverride?: string; blank?: boolean; shiftRegionsPx?: number; noAnnotation?: boolean } = {},
): Promise<void> {
  const { rgb, regions } = renderDemoSlide(createRng(seed), SIZE_PX, SIZE_PX);
  if (options.blank) rgb.fill(245);
  const path = join(root, `${relPath}.tiff`);
  mkdirSync(dirname(path), { recursive: true });
  await writePyramidalTiff(path, rgb, SIZE_PX, SIZE_PX, 0.5);
  if (options.noAnnotation) return;
  const shift = options.shiftRegionsPx ?? 0;
  const written = regions.map((r, i) => ({
    id: r.id,
    label: i === 0 && options.labelOverride ? options.labelOverride : r.label,
    vertices: Float64Array.from(r.vertices, (v) => v + shift),
  }));
  writeFileSync(
    join(root, `${relPath}.xml`),
    imageScopeXmlFrom({ micronsPerPixel: 0.5, widthPx: SIZE_PX, heightPx: SIZE_PX, regions: written }),
  );
}

let template: Promise<string> | undefined;

/** The five-slide fixture corpus, rendered once per test file and copied (cheap) for each test. */
export async function writeFixtureCorpus(root: string): Promise<void> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tudp-fixture-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const slides = ['train/pA/a1', 'train/pA/a2', 'train/pB/b1', 'dev/pC/c1', 'eval/pD/d1'];
    for (let i = 0; i < slides.length; i++) await writeFixtureSlide(dir, slides[i], 100 + i);
    return dir;
  })();
  cpSync(await template, root, { recursive: true });
}

export function fixtureOptions(root: string, outDir: string): PrepareInput {
  return {
    root,
    outDir,
    seed: 3,
    counts: { train: 24, dev: 8, eval: 8 },
    tiler: { patchSizePx: 256 } as PrepareOptions['tiler'],
  };
}
