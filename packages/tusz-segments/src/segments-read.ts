// Reading tusz-segments/{train,dev,eval}.arrow back (the one reader of the files arrow-output.ts
// writes; the features stage streams them through it): the segment layout from the metadata, the
// columns checked against it, then the samples and labels batch by batch in bounded memory.
import {
  InputError,
  listValues,
  openArrowBatches,
  requireFixedSizeList,
  requireScalar,
  scalarValues,
} from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';

/** Segment layout from the metadata (`channels`, `sampleRateHz`, `segmentSec`). */
export interface SegmentLayout {
  channelNames: string[];
  sampleRateHz: number;
  samplesPerChannel: number;
}

/** One record batch of segments: row r's samples are samples[r·n, (r+1)·n), n = channels × samplesPerChannel, channel-major. */
export interface SegmentBatch {
  rows: number;
  /** A view into the batch (zero-copy); copy what you keep. */
  samples: Float32Array;
  label: Int8Array;
}

/** A segments split opened for streaming: metadata and layout now, batches on demand. */
export interface SegmentSplit {
  path: string;
  metadata: RunMetadata;
  layout: SegmentLayout;
  batches(): AsyncGenerator<SegmentBatch>;
}

function layoutOf(meta: RunMetadata | null, file: string): SegmentLayout {
  if (!meta)
    throw new InputError('no "corpus-tune" schema metadata (need channels, sampleRateHz, segmentSec)', {
      file,
    });
  const { channels, sampleRateHz, segmentSec } = meta;
  if (!Array.isArray(channels) || channels.length === 0 || !channels.every((c) => typeof c === 'string')) {
    throw new InputError(
      `metadata "channels" must be a non-empty list of channel names, got ${JSON.stringify(channels)}`,
      { file },
    );
  }
  if (typeof sampleRateHz !== 'number' || !(sampleRateHz > 0))
    throw new InputError(
      `metadata "sampleRateHz" must be a positive number, got ${JSON.stringify(sampleRateHz)}`,
      { file },
    );
  if (typeof segmentSec !== 'number' || !(segmentSec > 0))
    throw new InputError(
      `metadata "segmentSec" must be a positive number, got ${JSON.stringify(segmentSec)}`,
      { file },
    );
  const samples = segmentSec * sampleRateHz;
  if (Math.abs(samples - Math.round(samples)) > 1e-6)
    throw new InputError(
      `segmentSec ${segmentSec} × sampleRateHz ${sampleRateHz} is not a whole number of samples`,
      { file },
    );
  return { channelNames: channels as string[], sampleRateHz, samplesPerChannel: Math.round(samples) };
}

/** Opens a segments split; a missing or inconsistent layout or column is an InputError naming the file. */
export async function openSegmentSplit(path: string): Promise<SegmentSplit> {
  const source = await openArrowBatches(path);
  const layout = layoutOf(source.metadata, path);
  requireFixedSizeList(
    source.schema,
    'samples',
    'float32',
    path,
    layout.channelNames.length * layout.samplesPerChannel,
  );
  requireScalar(source.schema, 'label', 'int8', path);
  return {
    path,
    metadata: source.metadata as RunMetadata,
    layout,
    async *batches() {
      for await (const batch of source.batches()) {
        yield {
          rows: batch.numRows,
          samples: listValues(batch, 'samples', path) as Float32Array,
          label: scalarValues<Int8Array>(batch, 'label', path),
        };
      }
    },
  };
}
