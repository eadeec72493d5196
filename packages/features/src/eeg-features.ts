import { frameGeometry, frameSegment } from './framing.ts';
import type { FrameGeometry } from './framing.ts';
import type { EegFeatureOptions, EegKind } from './options.ts';
import { spectralPlan, spectralScratch, spectralSegment } from './spectral.ts';
import type { SpectralPlan } from './spectral.ts';
import { taperWeights } from './window.ts';

/** Turns one channel-major EEG segment into one feature row of shape [frames, channels, features]. */
export interface EegExtractor {
  kind: EegKind;
  geometry: FrameGeometry;
  channels: number;
  /** [frameCount, channels, featuresPerChannel]. */
  shape: [number, number, number];
  rowLength: number;
  featureNames: string[];
  spectral: SpectralPlan | null;
  extract(segment: Float32Array, segmentOffset: number, out: Float32Array, outOffset: number): void;
}

export function createEegExtractor(
  channels: number,
  samplesPerChannel: number,
  sampleRateHz: number,
  options: Readonly<EegFeatureOptions>,
): EegExtractor {
  const geometry = frameGeometry(samplesPerChannel, sampleRateHz, options.hopSec, options.windowSec);
  const taper = taperWeights(options.taper, geometry.windowSamples);
  if (options.kind === 'raw') {
    const shape: [number, number, number] = [geometry.frameCount, channels, geometry.windowSamples];
    return {
      kind: 'raw',
      geometry,
      channels,
      shape,
      rowLength: shape[0] * shape[1] * shape[2],
      featureNames: Array.from({ length: geometry.windowSamples }, (_, k) => `sample_${k}`),
      spectral: null,
      extract: (segment, segmentOffset, out, outOffset) =>
        frameSegment(segment, segmentOffset, channels, geometry, taper, out, outOffset),
    };
  }
  const plan = spectralPlan(geometry, options);
  const scratch = spectralScratch(plan, geometry);
  const shape: [number, number, number] = [geometry.frameCount, channels, plan.featuresPerChannel];
  return {
    kind: 'spectral',
    geometry,
    channels,
    shape,
    rowLength: shape[0] * shape[1] * shape[2],
    featureNames: plan.featureNames,
    spectral: plan,
    extract: (segment, segmentOffset, out, outOffset) =>
      spectralSegment(segment, segmentOffset, channels, geometry, taper, plan, scratch, out, outOffset),
  };
}
