import { InputError } from '@corpus-tune/core';

/**
 * How a segment is cut into frames. Frame f owns the hop interval [f·hop, (f+1)·hop) and its
 * window covers [f·hop − padLeft, f·hop − padLeft + window): the window is centred on the hop
 * interval (padLeft = ⌊(window − hop)/2⌋). Samples outside the segment come from reflection
 * about the edge samples without repeating them (numpy.pad mode "reflect": x[−k] = x[k],
 * x[n−1+k] = x[n−1−k]), so at 50 Hz, hop 5, window 15: pad 5 each side, 100 frames per 500
 * samples, frame f = padded[5f : 5f + 15].
 */
export interface FrameGeometry {
  sampleRateHz: number;
  samplesPerChannel: number;
  hopSamples: number;
  windowSamples: number;
  frameCount: number;
  padLeftSamples: number;
  padRightSamples: number;
}

function samplesOf(name: string, sec: number, sampleRateHz: number): number {
  const exact = sec * sampleRateHz;
  const n = Math.round(exact);
  if (n < 1 || Math.abs(exact - n) > 1e-6) {
    throw new InputError(
      `${name} ${sec} s is not a whole number of samples at ${sampleRateHz} Hz (${exact})`,
    );
  }
  return n;
}

export function frameGeometry(
  samplesPerChannel: number,
  sampleRateHz: number,
  hopSec: number,
  windowSec: number,
): FrameGeometry {
  const hopSamples = samplesOf('hopSec', hopSec, sampleRateHz);
  const windowSamples = samplesOf('windowSec', windowSec, sampleRateHz);
  const frameCount = Math.floor(samplesPerChannel / hopSamples);
  if (frameCount < 1)
    throw new InputError(`a segment of ${samplesPerChannel} samples is shorter than one hop (${hopSamples})`);
  const padLeftSamples = Math.floor((windowSamples - hopSamples) / 2);
  const padRightSamples = Math.max(
    0,
    (frameCount - 1) * hopSamples - padLeftSamples + windowSamples - samplesPerChannel,
  );
  if (padLeftSamples >= samplesPerChannel || padRightSamples >= samplesPerChannel) {
    throw new InputError(
      `reflection padding of ${Math.max(padLeftSamples, padRightSamples)} samples needs a segment longer than ${samplesPerChannel}`,
    );
  }
  return {
    sampleRateHz,
    samplesPerChannel,
    hopSamples,
    windowSamples,
    frameCount,
    padLeftSamples,
    padRightSamples,
  };
}

/** Index into [0, n) of sample i after reflection padding (numpy "reflect"). */
export function reflectIndex(i: number, n: number): number {
  if (i < 0) return -i;
  if (i >= n) return 2 * (n - 1) - i;
  return i;
}

/**
 * Copies frame `frame` of one channel (samples at `signal[offset … offset + n)`) into
 * `out[outOffset …]`, multiplied by `taper` (window-length weights).
 */
export function readFrame(
  signal: Float32Array,
  offset: number,
  geometry: FrameGeometry,
  frame: number,
  taper: Float64Array,
  out: Float32Array | Float64Array,
  outOffset: number,
): void {
  const { samplesPerChannel: n, windowSamples: w } = geometry;
  const start = frame * geometry.hopSamples - geometry.padLeftSamples;
  if (start >= 0 && start + w <= n) {
    const base = offset + start;
    for (let k = 0; k < w; k++) out[outOffset + k] = signal[base + k] * taper[k];
  } else {
    for (let k = 0; k < w; k++) out[outOffset + k] = signal[offset + reflectIndex(start + k, n)] * taper[k];
  }
}

/**
 * Frames a channel-major segment (`channels` × `samplesPerChannel`) into `out` laid out
 * [frame][channel][sample-in-window] (the `raw` feature kind, shape [frames, channels, window]).
 */
export function frameSegment(
  segment: Float32Array,
  segmentOffset: number,
  channels: number,
  geometry: FrameGeometry,
  taper: Float64Array,
  out: Float32Array,
  outOffset: number,
): void {
  const { frameCount, windowSamples, samplesPerChannel } = geometry;
  for (let c = 0; c < channels; c++) {
    const channelOffset = segmentOffset + c * samplesPerChannel;
    for (let f = 0; f < frameCount; f++) {
      readFrame(
        segment,
        channelOffset,
        geometry,
        f,
        taper,
        out,
        outOffset + (f * channels + c) * windowSamples,
      );
    }
  }
}
