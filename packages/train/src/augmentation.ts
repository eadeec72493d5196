// The poster's #11 patch augmentation in the training loader: features' augmentPatch (the same draw
// and resampling its `preview` shows) applied to each fit row as its batch is built, fresh per epoch.
import { createRng } from '@corpus-tune/core';
import type { Rng, RunMetadata } from '@corpus-tune/core';
import { augmentPatch } from '@corpus-tune/features/training';
import type { AugmentOptions, ChannelStats, PatchShape } from '@corpus-tune/features/training';

/** What a fit augments with; recorded in FitResult and metrics.json. */
export interface PatchAugmentation {
  options: Readonly<AugmentOptions>;
  /** The fit's seed; each (epoch, row) draws from its own stream, see `augmentationRng`. */
  seed: number;
  /** How the per-draw stream is named, so a reader can redraw any augmentation. */
  stream: string;
}

/** metrics.json's record of the setting: on with what it drew from, or off and why. */
export type AugmentationRecord =
  | ({ on: true } & PatchAugmentation)
  | { on: false; reason: 'turned off (--no-augment)' | 'not a patch split' };

export function augmentationRecord(
  applied: PatchAugmentation | null,
  requested: Readonly<AugmentOptions> | null,
): AugmentationRecord {
  if (applied) return { on: true, ...applied };
  return { on: false, reason: requested ? 'not a patch split' : 'turned off (--no-augment)' };
}

export const AUGMENTATION_STREAM = 'createRng(seed).fork(`augment/epoch-${epoch}/row-${row}`)';

/**
 * One stream per (epoch, row of the split), independent of batch order and of the other rows, so a
 * row's augmentation in an epoch does not depend on which rows were drawn before it.
 */
export function augmentationRng(seed: number, epoch: number, row: number): Rng {
  return createRng(seed).fork(`augment/epoch-${epoch}/row-${row}`);
}

interface PatchSource {
  x: Float32Array | Uint8Array;
  shape: number[];
  size: number;
  metadata?: RunMetadata;
}

/** The shape and normalisation of an HWC uint8 RGB patch split (features' tudp rows); null otherwise. */
export function patchInputOf(split: PatchSource): { shape: PatchShape; stats: ChannelStats } | null {
  if (!(split.x instanceof Uint8Array) || split.shape.length !== 3 || split.shape[2] !== 3) return null;
  const shape: PatchShape = { heightPx: split.shape[0], widthPx: split.shape[1], channels: 3 };
  const n = split.metadata?.normalization as
    { method?: string; applied?: boolean; mean?: number[]; std?: number[]; groupCount?: number } | undefined;
  // The same two readings as the unaugmented loader (batches.ts): pending train statistics, or /255.
  const pending =
    n?.method === 'standard' && n.applied === false && n.groupCount === 3 && n.mean && n.std
      ? { mean: n.mean, std: n.std }
      : null;
  return { shape, stats: pending ?? { mean: [0, 0, 0], std: [255, 255, 255] } };
}

/**
 * The normalised, augmented rows `rows` of a patch split as one HWC float32 buffer: row r of the
 * split in epoch e is augmentPatch(pixels, shape, augmentationRng(seed, e, r), stats, options).
 */
export function augmentedRows(
  split: PatchSource,
  rows: ArrayLike<number>,
  epoch: number,
  augmentation: Pick<PatchAugmentation, 'options' | 'seed'>,
): Float32Array {
  const patch = patchInputOf(split);
  if (!patch) throw new TypeError('augmentation needs uint8 [h, w, 3] patches');
  const { size } = split;
  const pixels = split.x as Uint8Array;
  const out = new Float32Array(rows.length * size);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const rng = augmentationRng(augmentation.seed, epoch, row);
    const values = augmentPatch(
      pixels.subarray(row * size, (row + 1) * size),
      patch.shape,
      rng,
      patch.stats,
      augmentation.options,
    );
    out.set(values, r * size);
  }
  return out;
}
