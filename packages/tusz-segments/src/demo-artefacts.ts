import type { Rng } from '@corpus-tune/core';
import type { ArtefactEvent, ArtefactKind } from './demo-plan.ts';
import { addRhythm } from './demo-seizures.ts';

// Artefacts and non-seizure rhythms of the demo, added to the referential signals in µV. Every
// one is drawn from its manifest event alone (times, electrodes, gains, amplitude, shape numbers),
// plus a per-event random stream for its noise.

type Shape = (tSec: number, durationSec: number) => number;

function addShaped(
  signals: Map<string, Float64Array>,
  ev: ArtefactEvent,
  sampleRateHz: number,
  shape: Shape,
): void {
  const duration = ev.stopSec - ev.startSec;
  ev.electrodes.forEach((e, j) => {
    const x = signals.get(e);
    if (!x) return;
    const i0 = Math.max(0, Math.round(ev.startSec * sampleRateHz));
    const i1 = Math.min(x.length, Math.round(ev.stopSec * sampleRateHz));
    const a = ev.amplitudeUv * ev.gains[j];
    for (let i = i0; i < i1; i++) x[i] += a * shape(i / sampleRateHz - ev.startSec, duration);
  });
}

const hann = (t: number, d: number): number => 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / d);
const smoothstep = (v: number): number => (v <= 0 ? 0 : v >= 1 ? 1 : v * v * (3 - 2 * v));

/** A blink: one smooth frontal bump (the cornea-positive eye rolls up under the lid). */
export function addBlink(signals: Map<string, Float64Array>, ev: ArtefactEvent, sampleRateHz: number): void {
  addShaped(signals, ev, sampleRateHz, hann);
}

/** A saccade and return: fast 60-ms step, hold, slower 150-ms return; opposite at F7 and F8. */
export function addEyeMovement(
  signals: Map<string, Float64Array>,
  ev: ArtefactEvent,
  sampleRateHz: number,
): void {
  addShaped(signals, ev, sampleRateHz, (t, d) => smoothstep(t / 0.06) * smoothstep((d - t) / 0.15));
}

/** Muscle: broadband noise, first-differenced so its power rises with frequency, per electrode. */
export function addEmg(
  signals: Map<string, Float64Array>,
  ev: ArtefactEvent,
  sampleRateHz: number,
  rng: Rng,
): void {
  ev.electrodes.forEach((e, j) => {
    const x = signals.get(e);
    if (!x) return;
    const i0 = Math.max(0, Math.round(ev.startSec * sampleRateHz));
    const i1 = Math.min(x.length, Math.round(ev.stopSec * sampleRateHz));
    if (i1 <= i0) return;
    const white = new Float64Array(i1 - i0 + 1);
    rng.fork(e).fillNormal(white);
    const a = (ev.amplitudeUv * ev.gains[j]) / Math.SQRT2;
    const d = ev.stopSec - ev.startSec;
    for (let k = 0; k < i1 - i0; k++) {
      const t = k / sampleRateHz;
      const ramp = Math.min(1, t / 0.1, (d - t) / 0.1);
      x[i0 + k] += a * ramp * (white[k + 1] - white[k]);
    }
  });
}

/** An electrode pop: a step on one electrode decaying exponentially. */
export function addPop(signals: Map<string, Float64Array>, ev: ArtefactEvent, sampleRateHz: number): void {
  const tau = ev.decaySec as number;
  addShaped(signals, ev, sampleRateHz, (t) => Math.exp(-t / tau));
}

/**
 * A sine under a Hann window: a slow drift (sweat, movement; sub-hertz, mostly removed by the
 * 0.5 Hz high-pass) or a sleep spindle (11–15 Hz waxing and waning, central).
 */
export function addWindowedSine(
  signals: Map<string, Float64Array>,
  ev: ArtefactEvent,
  sampleRateHz: number,
  rng: Rng,
): void {
  const f = ev.frequencyHz as number;
  const phase = rng.float() * 2 * Math.PI;
  addShaped(signals, ev, sampleRateHz, (t, d) => hann(t, d) * Math.sin(2 * Math.PI * f * t + phase));
}

/** A few seconds of rhythmic activity that is not a seizure (drowsy theta, FIRDA-like delta). */
export function addRhythmicBurst(
  signals: Map<string, Float64Array>,
  ev: ArtefactEvent,
  sampleRateHz: number,
  rng: Rng,
): void {
  const d = ev.stopSec - ev.startSec;
  addRhythm(
    signals,
    {
      startSec: ev.startSec,
      stopSec: ev.stopSec,
      onsetHz: ev.frequencyHz as number,
      offsetHz: ev.frequencyHz as number,
      amplitudeUv: ev.amplitudeUv,
      sharpness: ev.sharpness as number,
      rampInSec: Math.min(0.5, d / 4),
      rampOutSec: Math.min(0.5, d / 4),
      electrodes: ev.electrodes,
      gains: ev.gains,
      delaysSec: ev.delaysSec as number[],
    },
    sampleRateHz,
    rng,
  );
}

export const ARTEFACT_RENDERERS: Readonly<
  Record<ArtefactKind, (s: Map<string, Float64Array>, ev: ArtefactEvent, fs: number, rng: Rng) => void>
> = {
  blink: addBlink,
  'eye-movement': addEyeMovement,
  emg: addEmg,
  'electrode-pop': addPop,
  drift: addWindowedSine,
  spindle: addWindowedSine,
  'rhythmic-burst': addRhythmicBurst,
};

export function renderArtefact(
  signals: Map<string, Float64Array>,
  ev: ArtefactEvent,
  sampleRateHz: number,
  rng: Rng,
): void {
  ARTEFACT_RENDERERS[ev.kind](signals, ev, sampleRateHz, rng);
}
