import { InputError, createRng, writeFileAtomic } from '@corpus-tune/core';
import { DEFAULT_AUGMENT_OPTIONS, applyAugmentation, drawAugmentation } from './augment.ts';
import type { AugmentOptions } from './augment.ts';
import { openFeatureSplit } from './load.ts';
import { encodePng } from './patches.ts';
import type { PatchShape } from './patches.ts';

export interface PreviewOptions {
  /** A tudp features split (uint8 [h, w, 3] rows). */
  inputPath: string;
  outputPath: string;
  /** How many patches to show (each as original | augmented). */
  count: number;
  seed: number;
  augment?: Readonly<AugmentOptions>;
}

export interface PreviewResult {
  rows: number[];
  gridWidthPx: number;
  gridHeightPx: number;
}

const GAP_PX = 4;
const PAIR_GAP_PX = 2;
/** Mid grey, so white slide background stays distinct from the gaps. */
const BACKGROUND = 128;

/**
 * A deterministic PNG grid: `count` patches picked by seeded reservoir sampling, each shown
 * as the stored patch (left) beside one seeded augmentation of it (right), ⌈√count⌉ pairs per row.
 */
export async function writePreview(options: PreviewOptions): Promise<PreviewResult> {
  const split = await openFeatureSplit(options.inputPath);
  if (split.dtype !== 'uint8' || split.shape.length !== 3 || split.shape[2] !== 3) {
    throw new InputError(
      `preview needs uint8 RGB patches (shape [h, w, 3]), got ${split.dtype} ${JSON.stringify(split.shape)}`,
      { file: options.inputPath },
    );
  }
  const shape: PatchShape = { heightPx: split.shape[0], widthPx: split.shape[1], channels: 3 };
  const rng = createRng(options.seed);
  const pickRng = rng.fork('pick');
  const picked: { row: number; pixels: Uint8Array }[] = [];
  let seen = 0;
  for await (const chunk of split.chunks()) {
    for (let r = 0; r < chunk.label.length; r++, seen++) {
      const slot = seen < options.count ? seen : pickRng.int(seen + 1);
      if (slot < options.count) {
        picked[slot] = {
          row: chunk.sourceRow[r],
          pixels: chunk.x.slice(r * split.size, (r + 1) * split.size) as Uint8Array,
        };
      }
    }
  }
  if (picked.length === 0) throw new InputError('no patches to preview', { file: options.inputPath });
  const columns = Math.ceil(Math.sqrt(picked.length));
  const gridRows = Math.ceil(picked.length / columns);
  const cellW = 2 * shape.widthPx + PAIR_GAP_PX;
  const gridWidthPx = GAP_PX + columns * (cellW + GAP_PX);
  const gridHeightPx = GAP_PX + gridRows * (shape.heightPx + GAP_PX);
  const canvas = new Uint8Array(gridWidthPx * gridHeightPx * 3).fill(BACKGROUND);
  const blit = (values: ArrayLike<number>, left: number, top: number): void => {
    for (let i = 0; i < shape.heightPx; i++) {
      for (let j = 0; j < shape.widthPx; j++) {
        const src = (i * shape.widthPx + j) * 3;
        const dst = ((top + i) * gridWidthPx + left + j) * 3;
        for (let c = 0; c < 3; c++) canvas[dst + c] = Math.max(0, Math.min(255, Math.round(values[src + c])));
      }
    }
  };
  const augmentRng = rng.fork('augment');
  picked.forEach((item, k) => {
    const left = GAP_PX + (k % columns) * (cellW + GAP_PX);
    const top = GAP_PX + Math.floor(k / columns) * (shape.heightPx + GAP_PX);
    blit(item.pixels, left, top);
    blit(
      applyAugmentation(
        item.pixels,
        shape,
        drawAugmentation(augmentRng, options.augment ?? DEFAULT_AUGMENT_OPTIONS),
      ),
      left + shape.widthPx + PAIR_GAP_PX,
      top,
    );
  });
  const png = await encodePng(canvas, { heightPx: gridHeightPx, widthPx: gridWidthPx, channels: 3 });
  writeFileAtomic(options.outputPath, png);
  return { rows: picked.map((p) => p.row), gridWidthPx, gridHeightPx };
}
