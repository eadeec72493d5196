import type { Rng } from '@corpus-tune/core';
import type { SeizureEvent } from './demo-plan.ts';

// Seizures of the demo: an evolving rhythm (onset frequency → offset frequency with a slow wobble),
// from sinusoidal to spike-and-wave, ramping in and out, on a focal or generalised field with
// per-electrode propagation delays. The same rhythm generator draws the short non-seizure bursts.

/** One cycle's shape at phase φ: sinusoid (sharpness 0) to spike-and-wave (1), peak ≈ 1. */
export function rhythmWave(phase: number, sharpness: number): number {
  const s = Math.sin(phase);
  const p = s > 0 ? s * s : 0;
  const spikeAndWave = 0.65 * p * p * p + 0.55 * Math.sin(phase - 0.8);
  return (1 - sharpness) * s + sharpness * spikeAndWave;
}

export interface Rhythm {
  startSec: number;
  stopSec: number;
  onsetHz: number;
  offsetHz: number;
  amplitudeUv: number;
  sharpness: number;
  rampInSec: number;
  rampOutSec: number;
  electrodes: readonly string[];
  gains: readonly number[];
  delaysSec: readonly number[];
}

/** Adds a rhythm to the electrodes it involves (samples outside the recording are dropped). */
export function addRhythm(
  signals: Map<string, Float64Array>,
  r: Rhythm,
  sampleRateHz: number,
  rng: Rng,
): void {
  const n = signals.values().next().value?.length ?? 0;
  const i0 = Math.max(0, Math.round(r.startSec * sampleRateHz));
  const i1 = Math.min(n, Math.round(r.stopSec * sampleRateHz));
  if (i1 <= i0) return;
  const lengthSec = r.stopSec - r.startSec;
  const wobble = [rng.float() * 2 * Math.PI, rng.float() * 2 * Math.PI, rng.float() * 2 * Math.PI];
  const phase = new Float64Array(i1 - i0);
  const envelope = new Float64Array(i1 - i0);
  let ph = rng.float() * 2 * Math.PI;
  for (let k = 0; k < phase.length; k++) {
    const t = (i0 + k) / sampleRateHz - r.startSec;
    const u = t / lengthSec;
    const jitter =
      0.03 * Math.sin(2 * Math.PI * 0.3 * t + wobble[0]) +
      0.02 * Math.sin(2 * Math.PI * 0.73 * t + wobble[1]);
    ph += (2 * Math.PI * (r.onsetHz + (r.offsetHz - r.onsetHz) * u) * (1 + jitter)) / sampleRateHz;
    phase[k] = ph;
    envelope[k] =
      r.amplitudeUv *
      Math.min(1, t / r.rampInSec, (lengthSec - t) / r.rampOutSec) *
      (1 + 0.2 * Math.sin(2 * Math.PI * 0.2 * t + wobble[2]));
  }
  r.electrodes.forEach((e, j) => {
    const x = signals.get(e);
    if (!x) return;
    const shift = 2 * Math.PI * r.onsetHz * r.delaysSec[j];
    const g = r.gains[j];
    for (let k = 0; k < phase.length; k++)
      x[i0 + k] += g * envelope[k] * rhythmWave(phase[k] - shift, r.sharpness);
  });
}

export function renderSeizure(
  signals: Map<string, Float64Array>,
  s: SeizureEvent,
  sampleRateHz: number,
  rng: Rng,
): void {
  addRhythm(signals, s, sampleRateHz, rng);
}
