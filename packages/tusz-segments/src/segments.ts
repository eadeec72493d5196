import type { LabelStretch, SegmentLabel } from './annotations.ts';

// Poster §Dataset #12: keep annotated stretches longer than 15 s and cut non-overlapping 10-s
// segments inside them, from the stretch start; what remains at a stretch's end is dropped.

export interface SegmentWindow {
  startSec: number;
  stopSec: number;
  label: SegmentLabel;
}

export function segmentWindows(
  stretches: readonly LabelStretch[],
  segmentSec = 10,
  minStretchSec = 15,
): SegmentWindow[] {
  const out: SegmentWindow[] = [];
  for (const s of stretches) {
    if (s.stopSec - s.startSec <= minStretchSec) continue;
    // A tiny epsilon so 3 × 10 s fits a 30.0000 s stretch despite float rounding.
    for (let t = s.startSec; t + segmentSec <= s.stopSec + 1e-9; t += segmentSec) {
      out.push({ startSec: t, stopSec: t + segmentSec, label: s.label });
    }
  }
  return out;
}

/**
 * Copies each window out of the channels (all at `sampleRateHz`) as one channel-major float32
 * block of channels × segmentSamples. Windows start at the sample nearest their start time.
 * Windows that do not fit in the signal are dropped (returned `kept` says which survived).
 */
export function cutSegments(
  channels: readonly Float64Array[],
  windows: readonly SegmentWindow[],
  sampleRateHz: number,
  segmentSamples: number,
): { kept: SegmentWindow[]; samples: Float32Array } {
  const n = channels.length > 0 ? channels[0].length : 0;
  const kept = windows.filter((w) => Math.round(w.startSec * sampleRateHz) + segmentSamples <= n);
  const block = channels.length * segmentSamples;
  const samples = new Float32Array(kept.length * block);
  kept.forEach((w, k) => {
    const start = Math.round(w.startSec * sampleRateHz);
    channels.forEach((ch, c) =>
      samples.set(ch.subarray(start, start + segmentSamples), k * block + c * segmentSamples),
    );
  });
  return { kept, samples };
}
