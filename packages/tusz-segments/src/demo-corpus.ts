import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, recordGeneratedFiles, sha256, writeFileAtomic, SPLITS } from '@corpus-tune/core';
import type { Rng } from '@corpus-tune/core';
import { encodeEdf } from './edf-writer.ts';
import type { EdfWriteSignal } from './edf-writer.ts';
import type { SplitName } from './options.ts';

// The embedded demo corpus: a small synthetic TUSZ tree (v2 layout, `.csv_bi` annotations) used when
// no TUSZ_ROOT is configured. Background is 1/f ("pink") noise with a shared component plus an
// occipital alpha rhythm; seizures are evolving rhythmic high-amplitude discharges (frequency falling
// from ~7 to ~3 Hz, amplitude rising, spike-and-wave shape) on a focal or generalised field. The
// two classes differ in amplitude and spectrum, so a classifier separates them easily.

const ELECTRODES = [
  'FP1',
  'FP2',
  'F3',
  'F4',
  'C3',
  'C4',
  'P3',
  'P4',
  'O1',
  'O2',
  'F7',
  'F8',
  'T3',
  'T4',
  'T5',
  'T6',
  'A1',
  'A2',
  'FZ',
  'CZ',
  'PZ',
];
const POSTERIOR = new Set(['O1', 'O2', 'P3', 'P4', 'T5', 'T6', 'PZ']);
const LEFT = new Set(['FP1', 'F3', 'C3', 'P3', 'O1', 'F7', 'T3', 'T5', 'A1']);

export interface DemoRecordingSpec {
  split: SplitName;
  patientId: string;
  sessionId: string;
  recordingId: string;
  sampleRateHz: number;
  reference: 'REF' | 'LE';
  durationSec: number;
  seizures: { startSec: number; stopSec: number; focal: 'left' | 'right' | 'generalised' }[];
}

export interface DemoCorpusOptions {
  seed: number;
  /** Patients per split (one recording each, two for every third patient). */
  patients: Record<SplitName, number>;
  durationSec: number;
}

export const DEFAULT_DEMO: Readonly<DemoCorpusOptions> = Object.freeze({
  seed: 20240601,
  patients: Object.freeze({ train: 8, dev: 3, eval: 3 }),
  durationSec: 300,
});

/** The list of demo recordings (deterministic in the seed). */
export function demoRecordings(o: DemoCorpusOptions = DEFAULT_DEMO): DemoRecordingSpec[] {
  const rng = createRng(o.seed);
  const out: DemoRecordingSpec[] = [];
  let patientNo = 0;
  for (const split of SPLITS) {
    for (let p = 0; p < o.patients[split]; p++) {
      const patientId = `demo${String(patientNo).padStart(4, '0')}`;
      const sessions = patientNo % 3 === 0 ? 2 : 1;
      for (let s = 1; s <= sessions; s++) {
        const seizures: DemoRecordingSpec['seizures'] = [];
        // Two seizures of 45–75 s, separated by at least 40 s of background.
        let t = 20 + rng.float() * 30;
        for (let k = 0; k < 2; k++) {
          const len = 45 + rng.float() * 30;
          if (t + len > o.durationSec - 20) break;
          seizures.push({
            startSec: round4(t),
            stopSec: round4(t + len),
            focal: (['left', 'right', 'generalised'] as const)[rng.int(3)],
          });
          t += len + 40 + rng.float() * 60;
        }
        out.push({
          split,
          patientId,
          sessionId: `s${String(s).padStart(3, '0')}`,
          recordingId: `${patientId}_s${String(s).padStart(3, '0')}_t000`,
          sampleRateHz: (patientNo + s) % 2 === 0 ? 250 : 256,
          reference: patientNo % 4 === 1 ? 'LE' : 'REF',
          durationSec: o.durationSec,
          seizures,
        });
      }
      patientNo++;
    }
  }
  return out;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/**
 * Pink noise by Paul Kellet's economy filter. The white input is uniform with unit variance from an
 * inlined mulberry32 stream seeded by the core RNG (a call per sample into the shared generator cost
 * ~100 ns, most of the demo's build time); after the filter it is Gaussian-like anyway.
 */
function pinkNoise(n: number, rng: Rng): Float64Array {
  const out = new Float64Array(n);
  let state = rng.uint32();
  let b0 = 0,
    b1 = 0,
    b2 = 0;
  for (let i = 0; i < n; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let z = Math.imul(state ^ (state >>> 15), 1 | state);
    z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z;
    const w = (((z ^ (z >>> 14)) >>> 0) / 4294967296 - 0.5) * 3.4641016151377544;
    b0 = 0.99765 * b0 + w * 0.099046;
    b1 = 0.963 * b1 + w * 0.2965164;
    b2 = 0.57 * b2 + w * 1.0526913;
    out[i] = (b0 + b1 + b2 + w * 0.1848) * 0.25;
  }
  return out;
}

/** Referential signals (µV) of one synthetic recording. */
export function synthesizeRecording(spec: DemoRecordingSpec, seed: number): Map<string, Float64Array> {
  const rng = createRng(seed).fork(spec.recordingId);
  const fs = spec.sampleRateHz;
  const n = Math.round(spec.durationSec * fs);
  const common = pinkNoise(n, rng.fork('common'));
  const alphaHz = 9 + rng.float() * 2;
  const alphaPhase = rng.float() * 2 * Math.PI;
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    alpha[i] =
      (0.6 + 0.4 * Math.sin(2 * Math.PI * 0.07 * t)) * Math.sin(2 * Math.PI * alphaHz * t + alphaPhase);
  }
  const out = new Map<string, Float64Array>();
  for (const e of ELECTRODES) {
    const x = pinkNoise(n, rng.fork(e));
    const alphaGain = POSTERIOR.has(e) ? 12 : 3;
    for (let i = 0; i < n; i++) x[i] = 18 * x[i] + 10 * common[i] + alphaGain * alpha[i];
    for (const [k, sz] of spec.seizures.entries()) {
      // Each electrode gets its own gain and a propagation delay, so the discharge does not cancel
      // in the bipolar derivations (a perfectly in-phase, equal field would).
      const local = rng.fork(`seizure-${k}-${e}`);
      const field = sz.focal === 'generalised' ? 1 : (sz.focal === 'left') === LEFT.has(e) ? 1 : 0.3;
      const gain = field * (0.3 + 1.2 * local.float());
      const delay = 0.06 * local.float() * 2 * Math.PI * 5; // up to 60 ms at ~5 Hz, in radians
      const i0 = Math.round(sz.startSec * fs);
      const i1 = Math.min(n, Math.round(sz.stopSec * fs));
      const len = (i1 - i0) / fs;
      let phase = -delay;
      for (let i = i0; i < i1; i++) {
        const u = (i - i0) / fs / len; // 0 → 1 through the seizure
        const freqHz = 7 - 4 * u; // evolving: rhythm slows as the seizure goes on
        phase += (2 * Math.PI * freqHz) / fs;
        const envelope = Math.min(1, u * 6) * Math.min(1, (1 - u) * 10);
        // Spike-and-wave shape: a sharp component plus a slower rounded wave.
        const sp = Math.sin(phase);
        const sp2 = sp > 0 ? sp * sp : 0;
        const spike = sp2 * sp2 * sp2;
        const wave = Math.sin(phase - 0.8);
        x[i] += gain * envelope * (150 * spike + 80 * wave);
      }
    }
    out.set(e, x);
  }
  return out;
}

export function demoCsvBi(spec: DemoRecordingSpec): string {
  const lines = [
    '# version = csv_v1.0.0',
    `# bname = ${spec.recordingId}`,
    `# duration = ${spec.durationSec.toFixed(2)} secs`,
    '# montage_file = demo',
    '#',
    'channel,start_time,stop_time,label,confidence',
  ];
  let t = 0;
  for (const s of spec.seizures) {
    if (s.startSec > t) lines.push(`TERM,${t.toFixed(4)},${s.startSec.toFixed(4)},bckg,1.0000`);
    lines.push(`TERM,${s.startSec.toFixed(4)},${s.stopSec.toFixed(4)},seiz,1.0000`);
    t = s.stopSec;
  }
  if (t < spec.durationSec) lines.push(`TERM,${t.toFixed(4)},${spec.durationSec.toFixed(4)},bckg,1.0000`);
  return `${lines.join('\n')}\n`;
}

export function demoRelPath(spec: DemoRecordingSpec): string {
  const montage = spec.reference === 'LE' ? '02_tcp_le' : '01_tcp_ar';
  return `edf/${spec.split}/${spec.patientId}/${spec.sessionId}_2020/${montage}/${spec.recordingId}`;
}

/** Identifies what the generator would write: its options and the source of the generator itself. */
function demoFingerprint(o: DemoCorpusOptions): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const sources = ['demo-corpus.ts', 'edf-writer.ts']
    .map((f) => readFileSync(join(here, f), 'utf8'))
    .join('\0');
  return sha256(`${JSON.stringify(o)}\0${sources}`);
}

/**
 * Writes the demo corpus under `root` (EDF + csv_bi per recording). Files that already exist are
 * left alone, so an edited demo file survives the next run (and is reprocessed because its hash
 * changed) — unless the generator or its options changed (fingerprint in `.demo-fingerprint`), in which
 * case every file is written again.
 */
export function writeDemoCorpus(
  root: string,
  o: DemoCorpusOptions = DEFAULT_DEMO,
): { written: number; recordings: number } {
  const written: string[] = [];
  const fingerprintPath = join(root, '.demo-fingerprint');
  const fingerprint = demoFingerprint(o);
  const stale = !existsSync(fingerprintPath) || readFileSync(fingerprintPath, 'utf8').trim() !== fingerprint;
  const specs = demoRecordings(o);
  for (const spec of specs) {
    const base = join(root, demoRelPath(spec));
    if (stale || !existsSync(`${base}.edf`)) {
      const refs = synthesizeRecording(spec, o.seed);
      const signals: EdfWriteSignal[] = [...refs].map(([e, samples]) => ({
        label: `EEG ${e}-${spec.reference}`,
        sampleRateHz: spec.sampleRateHz,
        physicalMin: -2000,
        physicalMax: 2000,
        samples,
      }));
      // A 1-Hz channel, as TUH files carry (IBI/BURSTS/SUPPR), so mixed rates are exercised.
      signals.push({
        label: 'IBI',
        sampleRateHz: 1,
        physicalDimension: '',
        physicalMin: 0,
        physicalMax: 1,
        samples: new Float64Array(spec.durationSec),
      });
      writeFileAtomic(
        `${base}.edf`,
        encodeEdf(signals, {
          patientId: `${spec.patientId} X 01-JAN-1980 ${spec.patientId} Age:40`,
          recordingId: `Startdate 01-JAN-2020 ${spec.patientId}_${spec.sessionId} 00 X`,
          startDate: '01.01.20',
        }),
      );
      written.push(`${demoRelPath(spec)}.edf`);
    }
    if (stale || !existsSync(`${base}.csv_bi`)) {
      writeFileAtomic(`${base}.csv_bi`, demoCsvBi(spec));
      written.push(`${demoRelPath(spec)}.csv_bi`);
    }
  }
  if (stale) writeFileAtomic(fingerprintPath, `${fingerprint}\n`);
  recordGeneratedFiles(root, written);
  return { written: written.length, recordings: specs.length };
}
