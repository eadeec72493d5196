import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, errorMessage } from '@corpus-tune/core';
import { openPatchSplit } from '@corpus-tune/tudp-patches';
import type { PatchSplit } from '@corpus-tune/tudp-patches';
import { emptyRows, outputPath, splitMetadata } from './corpus-job.ts';
import type { CorpusJob, CorpusOutcome } from './corpus-job.ts';
import { featureChunksOf } from './load.ts';
import type { PatchFeatureOptions } from './options.ts';
import { SPLITS } from './options.ts';
import { decodePatch } from './patches.ts';
import { rowsPerChunk, writeFeatureSplit } from './split-pipeline.ts';
import type { ChunkSource } from './split-pipeline.ts';
import { createStatsAccumulator, noNormalization } from './standardize.ts';
import type { GroupLayout } from './standardize.ts';

export const PATCH_DEFAULT_CLASS_NAMES = ['indc', 'dcis'];
const RGB_LAYOUT: GroupLayout = { groupedBy: 'rgb channel', groupStride: 1, groupCount: 3 };
/** Patches decoded at once (sharp works on libuv's thread pool). */
const DECODE_CONCURRENCY = 4;

/** tudp-patches rows → resized uint8 HWC rows, streamed. */
export function patchChunks(source: PatchSplit, sizePx: number): ChunkSource {
  const rowLength = sizePx * sizePx * 3;
  const chunkRows = rowsPerChunk(rowLength);
  return async function* () {
    let row = 0;
    for await (const batch of source.batches()) {
      const { images, label: labels } = batch;
      for (let start = 0; start < batch.rows; start += chunkRows) {
        const rows = Math.min(chunkRows, batch.rows - start);
        const x = new Uint8Array(rows * rowLength);
        const sourceRow = new Int32Array(rows);
        for (let first = 0; first < rows; first += DECODE_CONCURRENCY) {
          const group = Array.from(
            { length: Math.min(DECODE_CONCURRENCY, rows - first) },
            (_, k) => first + k,
          );
          await Promise.all(
            group.map(async (r) => {
              const at = row + start + r;
              let pixels: Uint8Array;
              try {
                pixels = await decodePatch(images[start + r], sizePx);
              } catch (error) {
                throw new InputError(
                  `column "image" row ${at} is not a decodable image: ${errorMessage(error)}`,
                  { file: source.path, cause: error },
                );
              }
              x.set(pixels, r * rowLength);
              sourceRow[r] = at;
            }),
          );
        }
        yield { x, label: labels.slice(start, start + rows), sourceRow };
      }
      row += batch.rows;
    }
  };
}

/**
 * tudp-patches → features/tudp: uint8 HWC patches of sizePx², with per-channel mean/std of the
 * train pixels (0–255 units) in metadata; the loader normalises (and augments) on the fly.
 * Train is decoded once into a temp file while its statistics are fitted, then copied into the
 * final file whose schema carries them.
 */
export async function preparePatchCorpus(
  job: CorpusJob,
  options: Readonly<PatchFeatureOptions>,
): Promise<CorpusOutcome> {
  const sources = Object.fromEntries(
    await Promise.all(SPLITS.map(async (s) => [s, await openPatchSplit(job.inputs[s])])),
  ) as Record<(typeof SPLITS)[number], PatchSplit>;
  const { sizePx } = options;
  const rowLength = sizePx * sizePx * 3;
  const shape = [sizePx, sizePx, 3];
  const params = {
    patch: options,
    resize: { fit: 'fill', kernel: 'lanczos3', alpha: 'flattened onto white', colourspace: 'srgb' },
  };
  const classNamesOf = (split: (typeof SPLITS)[number]): string[] =>
    (sources[split].metadata?.classNames as string[] | undefined) ?? PATCH_DEFAULT_CLASS_NAMES;
  const metadataFor = (split: (typeof SPLITS)[number], normalization: ReturnType<typeof noNormalization>) =>
    splitMetadata(job, split, {
      params,
      shape,
      dtype: 'uint8',
      normalization,
      classNames: classNamesOf(split),
      axes: ['y', 'x', 'channel'],
      channels: ['r', 'g', 'b'],
      source: sources[split].metadata,
    });
  const labelCheck = (split: (typeof SPLITS)[number]) => ({
    classCount: classNamesOf(split).length,
    file: sources[split].path,
  });
  const tempTrain = join(job.outputDir, '.train.unfitted.tmp.arrow');
  const accumulator = createStatsAccumulator(RGB_LAYOUT);
  const rows = emptyRows();
  try {
    await writeFeatureSplit(patchChunks(sources.train, sizePx)(), {
      path: tempTrain,
      dtype: 'uint8',
      rowLength,
      metadata: metadataFor('train', noNormalization(RGB_LAYOUT)),
      normalization: noNormalization(RGB_LAYOUT),
      progressLabel: `features ${job.corpus} train (decode)`,
      progress: job.progress,
      labels: labelCheck('train'),
      onChunk: (chunk) => accumulator.add(chunk.x, 0, rowLength, chunk.label.length),
    });
    const normalization = accumulator.finish(false);
    rows.train = await writeFeatureSplit(await featureChunksOf(tempTrain), {
      path: outputPath(job, 'train'),
      dtype: 'uint8',
      rowLength,
      metadata: metadataFor('train', normalization),
      normalization,
      progressLabel: `features ${job.corpus} train`,
      progress: job.progress,
    });
    for (const split of ['dev', 'eval'] as const) {
      rows[split] = await writeFeatureSplit(patchChunks(sources[split], sizePx)(), {
        path: outputPath(job, split),
        dtype: 'uint8',
        rowLength,
        metadata: metadataFor(split, normalization),
        normalization,
        progressLabel: `features ${job.corpus} ${split}`,
        progress: job.progress,
        labels: labelCheck(split),
      });
    }
    return { corpus: job.corpus, rows, shape, dtype: 'uint8', normalization };
  } finally {
    rmSync(tempTrain, { force: true });
  }
}
