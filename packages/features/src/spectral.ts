import FFT from 'fft.js';
import { InputError } from '@corpus-tune/core';
import { readFrame } from './framing.ts';
import type { FrameGeometry } from './framing.ts';

/** Which FFT bins each band sums, fixed once per corpus. */
export interface SpectralPlan {
  fftSize: number;
  binSpacingHz: number;
  bandEdgesHz: readonly number[];
  /** Band b sums |X[k]|² for firstBin[b] ≤ k < endBin[b]. */
  firstBin: Int32Array;
  endBin: Int32Array;
  deltaWindowFrames: number;
  logFloor: number;
  /** log band powers, then log frame energy, then its first derivative. */
  featuresPerChannel: number;
  featureNames: string[];
}

export function nextPowerOfTwo(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

export function spectralPlan(
  geometry: FrameGeometry,
  options: { fftSize: number; bandEdgesHz: readonly number[]; deltaWindowFrames: number; logFloor: number },
): SpectralPlan {
  const fftSize = options.fftSize === 0 ? nextPowerOfTwo(geometry.windowSamples) : options.fftSize;
  if (fftSize < geometry.windowSamples)
    throw new InputError(`fftSize ${fftSize} is shorter than the window (${geometry.windowSamples} samples)`);
  const binSpacingHz = geometry.sampleRateHz / fftSize;
  const nyquistHz = geometry.sampleRateHz / 2;
  const edges = options.bandEdgesHz;
  if (edges[edges.length - 1] > nyquistHz + 1e-9) {
    throw new InputError(
      `band edge ${edges[edges.length - 1]} Hz is above the Nyquist frequency (${nyquistHz} Hz)`,
    );
  }
  const bands = edges.length - 1;
  const firstBin = new Int32Array(bands);
  const endBin = new Int32Array(bands);
  const eps = 1e-9 * binSpacingHz;
  for (let b = 0; b < bands; b++) {
    const last = b === bands - 1;
    firstBin[b] = Math.ceil(edges[b] / binSpacingHz - eps);
    endBin[b] = last
      ? Math.floor(edges[b + 1] / binSpacingHz + eps) + 1
      : Math.ceil(edges[b + 1] / binSpacingHz - eps);
    endBin[b] = Math.min(endBin[b], fftSize / 2 + 1);
    if (endBin[b] <= firstBin[b]) {
      throw new InputError(
        `band ${edges[b]}–${edges[b + 1]} Hz holds no FFT bin at fftSize ${fftSize} (bins every ${binSpacingHz} Hz); widen the band or raise fftSize`,
      );
    }
  }
  const featureNames = [
    ...Array.from({ length: bands }, (_, b) => `logPower_${edges[b]}-${edges[b + 1]}Hz`),
    'logEnergy',
    'deltaLogEnergy',
  ];
  return {
    fftSize,
    binSpacingHz,
    bandEdgesHz: [...edges],
    firstBin,
    endBin,
    deltaWindowFrames: options.deltaWindowFrames,
    logFloor: options.logFloor,
    featuresPerChannel: bands + 2,
    featureNames,
  };
}

/** Reusable buffers for one extraction thread (the FFT object and its in/out arrays). */
export interface SpectralScratch {
  fft: FFT;
  frame: Float64Array;
  spectrum: number[];
  energy: Float64Array;
}

export function spectralScratch(plan: SpectralPlan, geometry: FrameGeometry): SpectralScratch {
  const fft = new FFT(plan.fftSize);
  return {
    fft,
    frame: new Float64Array(plan.fftSize),
    spectrum: fft.createComplexArray() as number[],
    energy: new Float64Array(geometry.frameCount),
  };
}

/**
 * Spectral features of a channel-major segment into `out`, laid out [frame][channel][feature]:
 * per channel and frame, ln(Σ_{k∈band}|X[k]|² + floor) for each band (X = the real FFT of the
 * tapered window zero-padded to fftSize, unnormalised, one-sided bins without doubling),
 * ln(Σ tapered² + floor) (frame energy), and the regression delta of that log energy across
 * frames, d_t = Σ_{n=1..N} n·(e_{t+n} − e_{t−n}) / (2·Σ n²), frames beyond the ends clamped
 * to the first/last frame.
 */
export function spectralSegment(
  segment: Float32Array,
  segmentOffset: number,
  channels: number,
  geometry: FrameGeometry,
  taper: Float64Array,
  plan: SpectralPlan,
  scratch: SpectralScratch,
  out: Float32Array,
  outOffset: number,
): void {
  const { frameCount, samplesPerChannel, windowSamples } = geometry;
  const { firstBin, endBin, logFloor, featuresPerChannel: p } = plan;
  const bands = firstBin.length;
  const { fft, frame, spectrum, energy } = scratch;
  const rowStride = channels * p;
  for (let c = 0; c < channels; c++) {
    const channelOffset = segmentOffset + c * samplesPerChannel;
    for (let f = 0; f < frameCount; f++) {
      readFrame(segment, channelOffset, geometry, f, taper, frame, 0);
      let e = 0;
      for (let k = 0; k < windowSamples; k++) e += frame[k] * frame[k];
      fft.realTransform(spectrum, frame);
      const o = outOffset + f * rowStride + c * p;
      for (let b = 0; b < bands; b++) {
        let power = 0;
        for (let k = firstBin[b]; k < endBin[b]; k++) {
          const re = spectrum[2 * k];
          const im = spectrum[2 * k + 1];
          power += re * re + im * im;
        }
        out[o + b] = Math.log(power + logFloor);
      }
      energy[f] = Math.log(e + logFloor);
      out[o + bands] = energy[f];
    }
    const n = plan.deltaWindowFrames;
    let denominator = 0;
    for (let k = 1; k <= n; k++) denominator += k * k;
    denominator *= 2;
    const last = frameCount - 1;
    for (let f = 0; f < frameCount; f++) {
      let sum = 0;
      for (let k = 1; k <= n; k++) {
        const ahead = f + k > last ? last : f + k;
        const behind = f - k < 0 ? 0 : f - k;
        sum += k * (energy[ahead] - energy[behind]);
      }
      out[outOffset + f * rowStride + c * p + bands + 1] = sum / denominator;
    }
  }
}
