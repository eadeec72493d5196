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
import { defaultPadLen, sosfiltfiltPairs } from './sosfiltfilt.ts';

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
 * CPU milliseconds of this process per step of montageFilterResample, added to (for benchmarks; CPU
 * rather than wall time because a shared machine stretches wall time, not our CPU seconds).
 */
export interface DspTimings {
  /** Decoding int16 samples into physical values, and the bipolar differences at the output rate. */
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
 * processRecording. Filter and resampler are linear and the same for every channel, so each
 * electrode is filtered and resampled once and the bipolar channels are differences at the output
 * rate: 17 signals instead of 20 for TCP20 (equal to filtering each difference up to rounding; the
 * golden tests hold it to 1e-9 relative against scipy run on the differences). Electrodes go in
 * pairs through the WebAssembly kernels (dsp-kernel.wat): decoded straight into the two lanes of
 * one reused padded buffer in the kernel's memory, filtered there in place, both lanes in one
 * f64x2, and resampled from there.
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
  // One reused buffer of interleaved pairs in the resampler's memory: two electrodes are decoded
  // into its lanes, filtered there together and resampled from there.
  const pairs = resampler.pairBuffer(n + 2 * padLen);
  // Each electrode once (TCP20's 20 channels use 17), two at a time (the last alone in both lanes).
  const electrodes = [...new Set([...plan.plusSignal, ...plan.minusSignal.filter((i) => i >= 0)])];
  const resampled = new Map<number, Float64Array>();
  for (let e = 0; e < electrodes.length; e += 2) {
    const a = electrodes[e];
    const b = electrodes[Math.min(e + 1, electrodes.length - 1)];
    const t0 = clock();
    edf.readPair(a, b, pairs, 2 * padLen);
    const t1 = clock();
    sosfiltfiltPairs(resampler.kernel, sos, pairs, n, padLen);
    const t2 = clock();
    const [ya, yb] = resampler.resamplePairs(pairs.subarray(2 * padLen, 2 * (padLen + n)));
    if (timings) {
      timings.montageCpuMs += t1 - t0;
      timings.filterCpuMs += t2 - t1;
      timings.resampleCpuMs += clock() - t2;
    }
    resampled.set(a, ya).set(b, yb);
  }
  const t = clock();
  const out = plan.channels.map((_, c) => {
    const plus = resampled.get(plan.plusSignal[c]) as Float64Array;
    if (plan.minusSignal[c] < 0) return Float64Array.from(plus);
    const minus = resampled.get(plan.minusSignal[c]) as Float64Array;
    const y = new Float64Array(plus.length);
    for (let i = 0; i < y.length; i++) y[i] = plus[i] - minus[i];
    return y;
  });
  if (timings) timings.montageCpuMs += clock() - t;
  return out;
}

/**
 * One recording through the whole path: read → montage → band-pass (continuous recording, before
 * cutting, so segment edges carry no filter transients) → resample → cut. Electrodes are filtered
 * two at a time in one reused full-rate pair buffer, so memory stays at the file, two full-rate channels
 * and the 50-Hz signals.
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
  const samplesPerChannel = edf.header.records * edf.header.signals[plan.plusSignal[0]].samplesPerRecord;
  if (samplesPerChannel <= defaultPadLen(sos))
    throw new InputError(
      `recording too short to filter: ${samplesPerChannel} samples per channel, zero-phase filtering needs more than ${defaultPadLen(sos)}`,
      { file },
    );
  const out = montageFilterResample(edf, plan, sos, resampler);
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
