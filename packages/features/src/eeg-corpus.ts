import { InputError } from '@corpus-tune/core';
import { openSegmentSplit } from '@corpus-tune/tusz-segments';
import type { SegmentSplit } from '@corpus-tune/tusz-segments';
import { emptyRows, outputPath, splitMetadata } from './corpus-job.ts';
import type { CorpusJob, CorpusOutcome } from './corpus-job.ts';
import { createEegExtractor } from './eeg-features.ts';
import type { EegExtractor } from './eeg-features.ts';
import type { EegFeatureOptions } from './options.ts';
import { SPLITS } from './options.ts';
import { fitNormalization, rowsPerChunk, writeFeatureSplit } from './split-pipeline.ts';
import type { ChunkSource, FeatureChunk } from './split-pipeline.ts';
import { noNormalization } from './standardize.ts';
import type { GroupLayout } from './standardize.ts';

export const EEG_DEFAULT_CLASS_NAMES = ['bckg', 'seiz'];

/** The feature rows of one split, unnormalised, streamed in chunks of bounded size. */
export function eegChunks(source: SegmentSplit, extractor: EegExtractor): ChunkSource {
  const segmentLength = extractor.channels * extractor.geometry.samplesPerChannel;
  const chunkRows = rowsPerChunk(extractor.rowLength * 4);
  return async function* () {
    let row = 0;
    for await (const batch of source.batches()) {
      const { samples, label: labels } = batch;
      for (let start = 0; start < batch.rows; start += chunkRows) {
        const rows = Math.min(chunkRows, batch.rows - start);
        const chunk: FeatureChunk = {
          x: new Float32Array(rows * extractor.rowLength),
          label: labels.slice(start, start + rows),
          sourceRow: new Int32Array(rows),
        };
        for (let r = 0; r < rows; r++) {
          const offset = (start + r) * segmentLength;
          for (let i = offset, end = offset + segmentLength; i < end; i++) {
            if (!Number.isFinite(samples[i])) {
              const channel = Math.floor((i - offset) / extractor.geometry.samplesPerChannel);
              throw new InputError(
                `column "samples" row ${row + start + r} channel ${channel} holds ${samples[i]} (not finite)`,
                { file: source.path },
              );
            }
          }
          extractor.extract(samples, offset, chunk.x as Float32Array, r * extractor.rowLength);
          chunk.sourceRow[r] = row + start + r;
        }
        yield chunk;
      }
      row += batch.rows;
    }
  };
}

/** Standardisation groups: per EEG channel for `raw`, per channel × feature for `spectral`. */
export function eegGroupLayout(extractor: EegExtractor): GroupLayout {
  const [, channels, features] = extractor.shape;
  return extractor.kind === 'raw'
    ? { groupedBy: 'channel', groupStride: features, groupCount: channels }
    : { groupedBy: 'channel×feature', groupStride: 1, groupCount: channels * features };
}

/** tusz-segments → features/tusz/{train,dev,eval}.arrow. */
export async function prepareEegCorpus(
  job: CorpusJob,
  options: Readonly<EegFeatureOptions>,
): Promise<CorpusOutcome> {
  const sources = Object.fromEntries(
    await Promise.all(SPLITS.map(async (s) => [s, await openSegmentSplit(job.inputs[s])])),
  ) as Record<(typeof SPLITS)[number], SegmentSplit>;
  const layout = sources.train.layout;
  for (const split of SPLITS) {
    const other = sources[split].layout;
    if (
      other.sampleRateHz !== layout.sampleRateHz ||
      other.samplesPerChannel !== layout.samplesPerChannel ||
      other.channelNames.join() !== layout.channelNames.join()
    ) {
      throw new InputError(
        `segment layout differs from train (${other.channelNames.length} ch × ${other.samplesPerChannel} at ${other.sampleRateHz} Hz)`,
        { file: sources[split].path },
      );
    }
  }
  const extractor = createEegExtractor(
    layout.channelNames.length,
    layout.samplesPerChannel,
    layout.sampleRateHz,
    options,
  );
  const groups = eegGroupLayout(extractor);
  const normalization =
    options.normalization === 'standard'
      ? await fitNormalization(eegChunks(sources.train, extractor), extractor.rowLength, groups, true)
      : noNormalization(groups);
  const params = {
    eeg: { ...options, fftSize: extractor.spectral?.fftSize ?? null },
    frames: {
      ...extractor.geometry,
      padding: `reflect (numpy.pad mode "reflect", edge not repeated): ${extractor.geometry.padLeftSamples} samples before, ${extractor.geometry.padRightSamples} after; frame f = padded[f·hop : f·hop + window]`,
    },
  };
  const rows = emptyRows();
  for (const split of SPLITS) {
    const source = sources[split];
    const classNames = (source.metadata?.classNames as string[] | undefined) ?? EEG_DEFAULT_CLASS_NAMES;
    const metadata = splitMetadata(job, split, {
      params,
      shape: extractor.shape,
      dtype: 'float32',
      normalization,
      classNames,
      axes: ['frame', 'channel', extractor.kind === 'raw' ? 'sample' : 'feature'],
      channels: layout.channelNames,
      featureNames: extractor.featureNames,
      sampleRateHz: layout.sampleRateHz,
      frameHopSec: options.hopSec,
      frameWindowSec: options.windowSec,
      source: source.metadata,
    });
    rows[split] = await writeFeatureSplit(eegChunks(source, extractor)(), {
      path: outputPath(job, split),
      dtype: 'float32',
      rowLength: extractor.rowLength,
      metadata,
      normalization,
      progressLabel: `features ${job.corpus} ${split}`,
      progress: job.progress,
      labels: { classCount: classNames.length, file: source.path },
    });
  }
  return { corpus: job.corpus, rows, shape: extractor.shape, dtype: 'float32', normalization };
}
