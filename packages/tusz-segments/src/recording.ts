import { InputError } from '@corpus-tune/core';
import { labelTimeline, readAnnotations } from './annotations.ts';
import { designBandpass, sosArray } from './butterworth.ts';
import { isContinuous, readEdf } from './edf-reader.ts';
import { planChannels, REFERENTIAL19, TCP20 } from './montage.ts';
import type { BipolarChannel } from './montage.ts';
import type { SegmentOptions } from './options.ts';
import { createResampler, resampleRatio } from './resample-poly.ts';
import { cutSegments, segmentWindows } from './segments.ts';
import type { SegmentWindow } from './segments.ts';
import { sosfiltfilt } from './sosfiltfilt.ts';

export interface RecordingRef {
  recordingId: string;
  patientId: string;
  sessionId: string;
  edfPath: string;
  annotationPath: string;
}

export interface RecordingSegments {
  sourceSampleRateHz: number;
  durationSec: number;
  channels: string[];
  windows: SegmentWindow[];
  /** windows × channels × segmentSamples, channel-major per window. */
  samples: Float32Array;
  /** Second-order sections of the band-pass that ran (null when no window needed filtering). */
  filterSos: number[][] | null;
}

export function montageChannels(o: SegmentOptions): readonly BipolarChannel[] {
  return o.montage === 'tcp20' ? TCP20 : REFERENTIAL19;
}

/**
 * One recording through the whole path: read → montage → band-pass (continuous recording, before
 * cutting, so segment edges carry no filter transients) → resample → cut. Channels are processed
 * one at a time so memory stays at a few copies of one channel plus the 50-Hz output.
 */
export function processRecording(ref: RecordingRef, o: SegmentOptions): RecordingSegments {
  const edf = readEdf(ref.edfPath);
  const file = ref.edfPath;
  if (!isContinuous(edf))
    throw new InputError(
      'EDF+D recording with gaps between records; only continuous recordings can be filtered',
      { file },
    );
  const channels = montageChannels(o);
  const plan = planChannels(edf.header.signals, channels, file);
  const durationSec = edf.header.records * edf.header.recordDurationSec;
  const timeline = labelTimeline(readAnnotations(ref.annotationPath), durationSec, o.annotationToleranceSec);
  const windows = segmentWindows(timeline, o.segmentSec, o.minStretchSec);
  const sourceSampleRateHz = plan.sampleRateHz;
  const segmentSamples = Math.round(o.segmentSec * o.targetRateHz);
  if (windows.length === 0)
    return {
      sourceSampleRateHz,
      durationSec,
      channels: channels.map((c) => c.name),
      windows,
      samples: new Float32Array(0),
      filterSos: null,
    };

  if (o.highCutHz >= sourceSampleRateHz / 2) {
    throw new InputError(
      `highCutHz ${o.highCutHz} is not below the Nyquist frequency (${sourceSampleRateHz / 2} Hz)`,
      { file },
    );
  }
  const design = designBandpass(o.filterOrder, o.lowCutHz, o.highCutHz, sourceSampleRateHz);
  const sos = sosArray(design.sos);
  const { up, down } = resampleRatio(sourceSampleRateHz, o.targetRateHz);
  const resampler = createResampler(up, down);
  const out: Float64Array[] = [];
  for (let c = 0; c < channels.length; c++) {
    const derived =
      plan.minusSignal[c] >= 0
        ? edf.readDifference(plan.plusSignal[c], plan.minusSignal[c])
        : edf.readSignal(plan.plusSignal[c]);
    let filtered: Float64Array;
    try {
      filtered = sosfiltfilt(sos, derived);
    } catch (error) {
      throw new InputError(`recording too short to filter: ${(error as Error).message}`, {
        file,
        cause: error,
      });
    }
    out.push(resampler.resample(filtered));
  }
  const { kept, samples } = cutSegments(out, windows, o.targetRateHz, segmentSamples);
  return {
    sourceSampleRateHz,
    durationSec,
    channels: channels.map((c) => c.name),
    windows: kept,
    samples,
    filterSos: design.sos,
  };
}
