import { SPLITS } from '@corpus-tune/core';
import type { Rng } from '@corpus-tune/core';
import { ELECTRODES, ELECTRODE_XY, fieldAround } from './demo-electrodes.ts';
import type { SplitName } from './options.ts';
import { ARTEFACT_RENDERERS } from './demo-artefacts.ts';
import { renderSeizure } from './demo-seizures.ts';

// What the demo generator draws, before any sample is computed: per-patient parameters and, per
// recording, every seizure and artefact as an event. The plan is the manifest's content and the
// only input of the renderers, so every label and every event in the manifest is the truth of
// what the signal holds.

export const ARTEFACT_KINDS = [
  'blink',
  'eye-movement',
  'emg',
  'electrode-pop',
  'drift',
  'spindle',
  'rhythmic-burst',
] as const;
export type ArtefactKind = (typeof ARTEFACT_KINDS)[number];

export interface PatientParams {
  patientId: string;
  split: SplitName;
  /** Posterior dominant rhythm. */
  alphaHz: number;
  /** Alpha amplitude at O1/O2 (µV peak). */
  alphaUv: number;
  /** Background spectrum ∝ 1/f^slopeExponent. */
  slopeExponent: number;
  /** Background RMS in 0.5–25 Hz before channel gains (µV). */
  backgroundRmsUv: number;
  /** Share (amplitude) of the background common to all electrodes. */
  commonFraction: number;
  /** Amplifier / contact gain per electrode (multiplies everything the electrode picks up). */
  channelGains: Record<string, number>;
  /** White electrode (impedance) noise RMS per electrode (µV). */
  impedanceNoiseUv: Record<string, number>;
  /** 60 Hz mains amplitude per electrode (µV peak). */
  lineNoiseUv: Record<string, number>;
  /** Mean events per minute of each artefact kind. */
  artefactRatesPerMin: Record<ArtefactKind, number>;
  /** Chance that a seizure of this patient is generalised (else focal around `focusXY`). */
  generalisedShare: number;
  focusXY: [number, number];
}

export interface SeizureEvent {
  kind: 'seizure';
  generator: string;
  type: 'focal' | 'generalised';
  startSec: number;
  stopSec: number;
  electrodes: string[];
  gains: number[];
  /** Propagation delay per electrode, so the field does not cancel in bipolar derivations. */
  delaysSec: number[];
  onsetHz: number;
  offsetHz: number;
  evolution: 'slowing' | 'steady' | 'quickening';
  amplitudeUv: number;
  amplitudeClass: 'subtle' | 'moderate' | 'large';
  /** 0: sinusoidal, 1: spike-and-wave. */
  sharpness: number;
  rampInSec: number;
  rampOutSec: number;
}

export interface ArtefactEvent {
  kind: ArtefactKind;
  generator: string;
  startSec: number;
  stopSec: number;
  electrodes: string[];
  /** Signed gain per electrode (eye movements are opposite on the two sides). */
  gains: number[];
  /** Peak deflection (blink, eye movement, pop, drift, spindle, burst) or RMS (EMG), in µV. */
  amplitudeUv: number;
  frequencyHz?: number;
  decaySec?: number;
  sharpness?: number;
  delaysSec?: number[];
}

export interface DemoRecordingSpec {
  split: SplitName;
  patientId: string;
  sessionId: string;
  recordingId: string;
  sampleRateHz: number;
  reference: 'REF' | 'LE';
  durationSec: number;
  patient: PatientParams;
  seizures: SeizureEvent[];
  artefacts: ArtefactEvent[];
}

export interface DemoPlanOptions {
  seed: number;
  patients: Record<SplitName, number>;
  durationSec: number;
}

const u = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.float();
const r4 = (x: number): number => Math.round(x * 10000) / 10000;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)];

// Seizure foci a patient may have (focal seizures of one patient start near one place, as in life).
const FOCI: readonly [number, number][] = [
  [-0.9, 0],
  [0.9, 0],
  [-0.8, -0.5],
  [0.8, -0.5],
  [-0.5, 0.6],
  [0.5, 0.6],
  [-0.45, -0.1],
  [0.45, -0.1],
];

function drawPatient(patientId: string, split: SplitName, rng: Rng): PatientParams {
  const bad = new Set([pick(rng, ELECTRODES), pick(rng, ELECTRODES)].slice(0, 1 + rng.int(2)));
  const channelGains: Record<string, number> = {};
  const impedanceNoiseUv: Record<string, number> = {};
  const lineNoiseUv: Record<string, number> = {};
  const impedanceBase = u(rng, 0.5, 4);
  const lineBase = u(rng, 3, 40);
  for (const e of ELECTRODES) {
    channelGains[e] = r4(u(rng, 0.75, 1.3));
    impedanceNoiseUv[e] = r4(impedanceBase * u(rng, 0.6, 1.6) * (bad.has(e) ? 3 : 1));
    lineNoiseUv[e] = r4(lineBase * u(rng, 0.5, 2) * (bad.has(e) ? 3 : 1));
  }
  return {
    patientId,
    split,
    alphaHz: r4(u(rng, 8, 12.5)),
    alphaUv: r4(u(rng, 4, 35)),
    slopeExponent: r4(u(rng, 0.9, 2)),
    backgroundRmsUv: r4(u(rng, 15, 30)),
    commonFraction: r4(u(rng, 0.2, 0.7)),
    channelGains,
    impedanceNoiseUv,
    lineNoiseUv,
    artefactRatesPerMin: {
      blink: r4(u(rng, 3, 20)),
      'eye-movement': r4(u(rng, 1, 6)),
      emg: r4(u(rng, 0.5, 5)),
      'electrode-pop': r4(u(rng, 0.2, 2)),
      drift: r4(u(rng, 0.1, 0.6)),
      spindle: r4(u(rng, 0.3, 8)),
      'rhythmic-burst': r4(u(rng, 0.5, 4)),
    },
    generalisedShare: r4(rng.float() < 0.3 ? u(rng, 0.6, 0.9) : u(rng, 0, 0.2)),
    focusXY: pick(rng, FOCI),
  };
}

const SEIZURE_GENERATOR = `demo-seizures.ts#${renderSeizure.name}`;

function drawSeizure(p: PatientParams, startSec: number, stopSec: number, rng: Rng): SeizureEvent {
  const generalised = rng.float() < p.generalisedShare;
  let field: { electrodes: string[]; gains: number[] };
  let delaysSec: number[];
  if (generalised) {
    const electrodes = ELECTRODES.filter((e) => e !== 'A1' && e !== 'A2');
    field = { electrodes, gains: electrodes.map((e) => u(rng, 0.5, 1) * (1 + 0.3 * ELECTRODE_XY[e][1])) };
    delaysSec = electrodes.map(() => u(rng, 0, 0.03));
  } else {
    const centre: [number, number] = [p.focusXY[0] + u(rng, -0.15, 0.15), p.focusXY[1] + u(rng, -0.15, 0.15)];
    // Small radii leave a seizure in a few channels only.
    field = fieldAround(centre, rng.float() < 0.35 ? u(rng, 0.18, 0.3) : u(rng, 0.3, 0.8), 0.08);
    delaysSec = field.electrodes.map((e) => {
      const [x, y] = ELECTRODE_XY[e];
      return 0.06 * Math.hypot(x - centre[0], y - centre[1]) + u(rng, 0, 0.02);
    });
  }
  const onsetHz = u(rng, 2.5, 9);
  const ev = rng.float();
  const evolution = ev < 0.55 ? 'slowing' : ev < 0.8 ? 'steady' : 'quickening';
  const offsetHz = Math.min(
    12,
    onsetHz *
      (evolution === 'slowing'
        ? u(rng, 0.4, 0.8)
        : evolution === 'steady'
          ? u(rng, 0.9, 1.1)
          : u(rng, 1.1, 1.5)),
  );
  const a = rng.float();
  const amplitudeClass = a < 0.2 ? 'subtle' : a < 0.65 ? 'moderate' : 'large';
  const ratio =
    amplitudeClass === 'subtle'
      ? u(rng, 0.6, 1)
      : amplitudeClass === 'moderate'
        ? u(rng, 1.2, 2.5)
        : u(rng, 2.5, 5);
  const len = stopSec - startSec;
  return {
    kind: 'seizure',
    generator: SEIZURE_GENERATOR,
    type: generalised ? 'generalised' : 'focal',
    startSec: r4(startSec),
    stopSec: r4(stopSec),
    electrodes: field.electrodes,
    gains: field.gains.map(r4),
    delaysSec: delaysSec.map(r4),
    onsetHz: r4(onsetHz),
    offsetHz: r4(offsetHz),
    evolution,
    amplitudeUv: r4(ratio * p.backgroundRmsUv),
    amplitudeClass,
    sharpness: r4(u(rng, 0.2, 1)),
    rampInSec: r4(u(rng, 1, Math.min(8, 0.25 * len))),
    rampOutSec: r4(u(rng, 1, 4)),
  };
}

function drawSeizures(p: PatientParams, durationSec: number, rng: Rng): SeizureEvent[] {
  const out: SeizureEvent[] = [];
  let t = u(rng, 15, 45);
  for (;;) {
    // Durations from 16 s (one 10-s segment) up, most under a minute, a few long ones.
    const len = Math.min(150, 16 - 35 * Math.log(1 - rng.float()));
    if (t + len > durationSec - 15) break;
    out.push(drawSeizure(p, t, t + len, rng));
    t += len + u(rng, 25, 85);
  }
  return out;
}

const FRONTAL_BLINK: Record<string, number> = {
  FP1: 1,
  FP2: 1,
  F7: 0.45,
  F8: 0.45,
  F3: 0.35,
  F4: 0.35,
  FZ: 0.35,
  C3: 0.1,
  C4: 0.1,
  CZ: 0.1,
};
const LATERAL_EYE: Record<string, number> = { F7: 1, F8: -1, FP1: 0.4, FP2: -0.4, F3: 0.15, F4: -0.15 };
const VERTICAL_EYE: Record<string, number> = { FP1: 1, FP2: 1, F7: 0.3, F8: 0.3, F3: 0.3, F4: 0.3, FZ: 0.3 };
const TEMPORAL_EMG: Record<'left' | 'right', Record<string, number>> = {
  left: { T3: 1, T5: 0.7, F7: 0.8, A1: 0.6, FP1: 0.3 },
  right: { T4: 1, T6: 0.7, F8: 0.8, A2: 0.6, FP2: 0.3 },
};
const BURST_CENTRES: readonly [number, number][] = [
  [-0.9, 0],
  [0.9, 0],
  [0, 0.5],
  [0, -0.6],
  [0, 0],
];

function fromTable(t: Record<string, number>): { electrodes: string[]; gains: number[] } {
  return { electrodes: Object.keys(t), gains: Object.values(t) };
}

function drawArtefact(
  kind: ArtefactKind,
  p: PatientParams,
  rng: Rng,
): Omit<ArtefactEvent, 'startSec' | 'stopSec' | 'generator'> & { durationSec: number } {
  switch (kind) {
    case 'blink':
      return {
        kind,
        durationSec: u(rng, 0.2, 0.45),
        ...fromTable(FRONTAL_BLINK),
        amplitudeUv: u(rng, 60, 250),
      };
    case 'eye-movement': {
      const lateral = rng.float() < 0.7;
      const field = fromTable(lateral ? LATERAL_EYE : VERTICAL_EYE);
      const sign = rng.float() < 0.5 ? -1 : 1;
      return {
        kind,
        durationSec: u(rng, 0.4, 2.5),
        electrodes: field.electrodes,
        gains: field.gains.map((g) => sign * g),
        amplitudeUv: u(rng, 40, 150),
      };
    }
    case 'emg': {
      const side = rng.float();
      const tables =
        side < 0.4
          ? [TEMPORAL_EMG.left]
          : side < 0.8
            ? [TEMPORAL_EMG.right]
            : [TEMPORAL_EMG.left, TEMPORAL_EMG.right];
      const field = fromTable(Object.assign({}, ...tables) as Record<string, number>);
      return { kind, durationSec: u(rng, 0.5, 4), ...field, amplitudeUv: u(rng, 10, 60) };
    }
    case 'electrode-pop': {
      const decaySec = u(rng, 0.15, 1.2);
      return {
        kind,
        durationSec: 5 * decaySec,
        electrodes: [pick(rng, ELECTRODES)],
        gains: [rng.float() < 0.5 ? -1 : 1],
        amplitudeUv: u(rng, 80, 400),
        decaySec,
      };
    }
    case 'drift': {
      const field = fieldAround([u(rng, -1, 1), u(rng, -1, 1)], 0.5, 0.1);
      return {
        kind,
        durationSec: u(rng, 8, 40),
        ...field,
        amplitudeUv: u(rng, 40, 250),
        frequencyHz: u(rng, 0.05, 0.4),
      };
    }
    case 'spindle': {
      const field = fieldAround([0, 0.15], 0.45, 0.1);
      return {
        kind,
        durationSec: u(rng, 0.5, 2),
        ...field,
        amplitudeUv: u(rng, 10, 40),
        frequencyHz: u(rng, 11, 15),
      };
    }
    case 'rhythmic-burst': {
      const centre = pick(rng, BURST_CENTRES);
      const field = fieldAround(centre, u(rng, 0.35, 0.7), 0.08);
      return {
        kind,
        durationSec: u(rng, 1, 6),
        ...field,
        delaysSec: field.electrodes.map(() => u(rng, 0, 0.03)),
        amplitudeUv: u(rng, 0.5, 3) * p.backgroundRmsUv,
        frequencyHz: rng.float() < 0.75 ? u(rng, 4, 7) : u(rng, 1.5, 3),
        sharpness: u(rng, 0, 0.6),
      };
    }
  }
}

/** Brain rhythms that the background may show, but not during a seizure (they are the mimics). */
const BACKGROUND_ONLY: ReadonlySet<ArtefactKind> = new Set(['spindle', 'rhythmic-burst']);

function drawArtefacts(
  p: PatientParams,
  durationSec: number,
  seizures: SeizureEvent[],
  rng: Rng,
): ArtefactEvent[] {
  const out: ArtefactEvent[] = [];
  for (const kind of ARTEFACT_KINDS) {
    const ratePerSec = p.artefactRatesPerMin[kind] / 60;
    const krng = rng.fork(kind);
    let t = -Math.log(1 - krng.float()) / ratePerSec;
    while (t < durationSec) {
      const { durationSec: len, ...rest } = drawArtefact(kind, p, krng);
      const stop = Math.min(durationSec, t + len);
      const inSeizure = seizures.some((s) => t < s.stopSec && stop > s.startSec);
      if (!(BACKGROUND_ONLY.has(kind) && inSeizure))
        out.push({
          ...rest,
          generator: `demo-artefacts.ts#${ARTEFACT_RENDERERS[kind].name}`,
          startSec: r4(t),
          stopSec: r4(stop),
          gains: rest.gains.map(r4),
          amplitudeUv: r4(rest.amplitudeUv),
          ...(rest.frequencyHz !== undefined ? { frequencyHz: r4(rest.frequencyHz) } : {}),
          ...(rest.decaySec !== undefined ? { decaySec: r4(rest.decaySec) } : {}),
          ...(rest.sharpness !== undefined ? { sharpness: r4(rest.sharpness) } : {}),
          ...(rest.delaysSec !== undefined ? { delaysSec: rest.delaysSec.map(r4) } : {}),
        });
      t = stop + -Math.log(1 - krng.float()) / ratePerSec;
    }
  }
  return out.sort((a, b) => a.startSec - b.startSec || (a.kind < b.kind ? -1 : 1));
}

/** Every demo recording with its patient and events (deterministic in the seed). */
export function planDemo(o: DemoPlanOptions, rng: Rng): DemoRecordingSpec[] {
  const out: DemoRecordingSpec[] = [];
  let patientNo = 0;
  for (const split of SPLITS) {
    for (let k = 0; k < o.patients[split]; k++) {
      const patientId = `demo${String(patientNo).padStart(4, '0')}`;
      const prng = rng.fork(patientId);
      const patient = drawPatient(patientId, split, prng.fork('patient'));
      const sessions = patientNo % 3 === 0 ? 2 : 1;
      for (let s = 1; s <= sessions; s++) {
        const sessionId = `s${String(s).padStart(3, '0')}`;
        const recordingId = `${patientId}_${sessionId}_t000`;
        const rrng = prng.fork(recordingId);
        const seizures = drawSeizures(patient, o.durationSec, rrng.fork('seizures'));
        out.push({
          split,
          patientId,
          sessionId,
          recordingId,
          sampleRateHz: (patientNo + s) % 2 === 0 ? 250 : 256,
          reference: patientNo % 4 === 1 ? 'LE' : 'REF',
          durationSec: o.durationSec,
          patient,
          seizures,
          artefacts: drawArtefacts(patient, o.durationSec, seizures, rrng.fork('artefacts')),
        });
      }
      patientNo++;
    }
  }
  return out;
}
