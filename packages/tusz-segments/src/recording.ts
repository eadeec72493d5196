import { InputError } from '@corpus-tune/core';
import { labelTimeline, readAnnotations } from './annotations.ts';
import { designBandpass, sosArray } from './butterworth.ts';
import type { Sos } from './butterworth.ts';
import { isContinuous, readEdf } from './edf-reader.ts';
import type { EdfFile } from './edf-reader.ts';
import { planChannels, REFERENTIAL19, TCP20 } from './montage.ts';
import type { BipolarChannel, ChannelPlan } from './montage.ts';
import type { SegmentOptions } from './options.ts';
import { createResampler, resampleRatio } from './resample-poly.ts';
import type { Resampler } from './resample-poly.ts';
import { cutSegments, segmentWindows } from './segments.ts';
import type { SegmentWindow } from './segments.ts';
import { defaultPadLen, sosfiltfiltPadded } from './sosfiltfilt.ts';

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
}

export function montageChannels(o: SegmentOptions): readonly BipolarChannel[] {
  return o.montage === 'tcp20' ? TCP20 : REFERENTIAL19;
}

/**
 * CPU milliseconds of this process per step of montageFilterResample, added to (for benchmarks; CPU
 * rather than wall time because a shared machine stretches wall time, not our CPU seconds).
 */
export interface DspTimings {
  /** Decoding int16 samples into physical plus − minus values. */
  montageCpuMs: number;
  /** The zero-phase SOS cascade, both passes. */
  filterCpuMs: number;
  resampleCpuMs: number;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * The montage channels of `plan`, band-passed zero-phase by `sos` and resampled: the DSP core of
 * processRecording. Each channel is decoded (montage difference and all) straight into the middle of
 * a reused padded buffer, filtered there in place and resampled from a view of it: no per-channel
 * copies. Channels go in pairs so the resampler loads each coefficient once for two of them.
 */
export function montageFilterResample(
  edf: EdfFile,
  plan: ChannelPlan,
  sos: Sos,
  resampler: Resampler,
  timings?: DspTimings,
): Float64Array[] {
  const clock = timings ? cpuMs : (): number => 0;
  const n = edf.header.records * edf.header.signals[plan.plusSignal[0]].samplesPerRecord;
  const padLen = defaultPadLen(sos);
  const buffers = [new Float64Array(n + 2 * padLen), new Float64Array(n + 2 * padLen)];
  const filtered = (c: number, buffer: Float64Array): Float64Array => {
    const t0 = clock();
    if (plan.minusSignal[c] >= 0) edf.readDifference(plan.plusSignal[c], plan.minusSignal[c], buffer, padLen);
    else edf.readSignal(plan.plusSignal[c], buffer, padLen);
    const t1 = clock();
    sosfiltfiltPadded(sos, buffer, n, padLen);
    if (timings) {
      timings.montageCpuMs += t1 - t0;
      timings.filterCpuMs += clock() - t1;
    }
    return buffer.subarray(padLen, padLen + n);
  };
  const out: Float64Array[] = [];
  const count = plan.channels.length;
  let c = 0;
  for (; c + 1 < count; c += 2) {
    const a = filtered(c, buffers[0]);
    const b = filtered(c + 1, buffers[1]);
    const t = clock();
    out.push(...resampler.resamplePair(a, b));
    if (timings) timings.resampleCpuMs += clock() - t;
  }
  if (c < count) {
    const a = filtered(c, buffers[0]);
    const t = clock();
    out.push(resampler.resample(a));
    if (timings) timings.resampleCpuMs += clock() - t;
  }
  return out;
}

/**
 * One recording through the whole path: read → montage → band-pass (continuous recording, before
 * cutting, so segment edges carry no filter transients) → resample → cut. Channels are processed
 * two at a time so memory stays at a few copies of two channels plus the 50-Hz output.
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
  const samplesPerChannel = edf.header.records * edf.header.signals[plan.plusSignal[0]].samplesPerRecord;
  if (samplesPerChannel <= defaultPadLen(sos))
    throw new InputError(
      `recording too short to filter: ${samplesPerChannel} samples per channel, zero-phase filtering needs more than ${defaultPadLen(sos)}`,
      { file },
    );
  const out = montageFilterResample(edf, plan, sos, resampler);
  const { kept, samples } = cutSegments(out, windows, o.targetRateHz, segmentSamples);
  return { sourceSampleRateHz, durationSec, channels: channels.map((c) => c.name), windows: kept, samples };
}
