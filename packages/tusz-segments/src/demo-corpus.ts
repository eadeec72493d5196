import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkInteger,
  createRng,
  recordGeneratedFiles,
  SPLITS,
  sha256,
  writeFileAtomic,
  writeJsonAtomic,
} from '@corpus-tune/core';
import { encodeEdf } from './edf-writer.ts';
import type { EdfWriteSignal } from './edf-writer.ts';
import type { SplitName } from './options.ts';
import { ARTEFACT_KINDS, planDemo } from './demo-plan.ts';
import type { ArtefactKind, DemoRecordingSpec, PatientParams, SeizureEvent } from './demo-plan.ts';
import { addAmplifier, renderBackground } from './demo-background.ts';
import { renderArtefact } from './demo-artefacts.ts';
import { renderSeizure } from './demo-seizures.ts';

// The embedded demo corpus: a synthetic TUSZ tree (v2 layout, `.csv_bi` annotations) used when no
// TUSZ_ROOT is configured. It is meant to be hard in the ways TUSZ is: patients differ (background
// spectrum and amplitude, alpha, channel gains, electrode noise, mains), artefacts sit on top of
// background and seizures, short rhythmic bursts mimic seizure onsets, and seizures range from
// subtle to large, focal to generalised. `demo-manifest.json` lists every drawn parameter and event.

export type { DemoRecordingSpec } from './demo-plan.ts';

export interface DemoCorpusOptions {
  seed: number;
  /** Patients per split (one recording each, two for every third patient). */
  patients: Record<SplitName, number>;
  durationSec: number;
}

export const DEFAULT_DEMO: Readonly<DemoCorpusOptions> = Object.freeze({
  seed: 20240601,
  patients: Object.freeze({ train: 32, dev: 8, eval: 8 }),
  durationSec: 420,
});

export const DEMO_MANIFEST = 'demo-manifest.json';

/** Checks demo options (an InputError naming the option); returns them frozen. */
export function resolveDemoOptions(o: DemoCorpusOptions): Readonly<DemoCorpusOptions> {
  checkInteger('demo seed', o.seed, { min: 0, max: 0xffffffff });
  for (const s of SPLITS) checkInteger(`demo patients.${s}`, o.patients[s], { min: 0 });
  // Whole seconds: the EDF has 1-s records and a 1-Hz channel. Seizures need about a minute, so
  // shorter recordings are all background.
  checkInteger('demo durationSec', o.durationSec, { min: 20 });
  return Object.freeze({
    seed: o.seed,
    patients: Object.freeze({ ...o.patients }),
    durationSec: o.durationSec,
  });
}

/** The demo recordings with their patients and events (deterministic in the seed). */
export function demoRecordings(o: DemoCorpusOptions = DEFAULT_DEMO): DemoRecordingSpec[] {
  const resolved = resolveDemoOptions(o);
  return planDemo(resolved, createRng(resolved.seed).fork('plan'));
}

/** Referential signals (µV) of one synthetic recording: background, seizures, artefacts, amplifier. */
export function synthesizeRecording(spec: DemoRecordingSpec, seed: number): Map<string, Float64Array> {
  const rng = createRng(seed).fork(spec.recordingId);
  const fs = spec.sampleRateHz;
  const n = Math.round(spec.durationSec * fs);
  const signals = renderBackground(spec.patient, n, fs, rng.fork('background'));
  spec.seizures.forEach((s, k) => renderSeizure(signals, s, fs, rng.fork(`seizure-${k}`)));
  spec.artefacts.forEach((a, k) => renderArtefact(signals, a, fs, rng.fork(`artefact-${k}`)));
  addAmplifier(signals, spec.patient, fs, rng.fork('amplifier'));
  return signals;
}

export interface DemoManifest {
  generator: string;
  generatorFingerprint: string;
  options: DemoCorpusOptions;
  counts: {
    patients: Record<SplitName, number>;
    recordings: number;
    seizures: Record<string, number>;
    artefacts: Record<ArtefactKind, number>;
    lineNoiseRecordings: number;
  };
  patients: PatientParams[];
  recordings: (Omit<DemoRecordingSpec, 'patient'> & { relPath: string })[];
}

/** Seizures with at most this many electrodes count as "few channels" in the manifest. */
export const FEW_CHANNELS = 6;

function seizureCounts(seizures: readonly SeizureEvent[]): Record<string, number> {
  const counts: Record<string, number> = { total: seizures.length };
  const add = (k: string): void => {
    counts[k] = (counts[k] ?? 0) + 1;
  };
  for (const s of seizures) {
    add(s.type);
    add(s.evolution);
    add(s.amplitudeClass);
    if (s.electrodes.length <= FEW_CHANNELS) add('fewChannels');
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function demoManifest(o: DemoCorpusOptions, specs: readonly DemoRecordingSpec[]): DemoManifest {
  const patients = new Map<string, PatientParams>();
  for (const s of specs) patients.set(s.patientId, s.patient);
  const artefacts = Object.fromEntries(ARTEFACT_KINDS.map((k) => [k, 0])) as Record<ArtefactKind, number>;
  for (const s of specs) for (const a of s.artefacts) artefacts[a.kind]++;
  return {
    generator: 'tusz-segments demo corpus (src/demo-*.ts)',
    generatorFingerprint: demoFingerprint(o),
    options: o,
    counts: {
      patients: o.patients,
      recordings: specs.length,
      seizures: seizureCounts(specs.flatMap((s) => s.seizures)),
      artefacts,
      lineNoiseRecordings: specs.filter((s) => Object.values(s.patient.lineNoiseUv).some((v) => v > 0))
        .length,
    },
    patients: [...patients.values()],
    recordings: specs.map(({ patient: _patient, ...rest }) => ({ ...rest, relPath: demoRelPath(rest) })),
  };
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

export function demoRelPath(
  spec: Pick<DemoRecordingSpec, 'reference' | 'split' | 'patientId' | 'sessionId' | 'recordingId'>,
): string {
  const montage = spec.reference === 'LE' ? '02_tcp_le' : '01_tcp_ar';
  return `edf/${spec.split}/${spec.patientId}/${spec.sessionId}_2020/${montage}/${spec.recordingId}`;
}

/** Identifies what the generator would write: its options and the source of the generator itself. */
function demoFingerprint(o: DemoCorpusOptions): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const sources = [
    'demo-corpus.ts',
    'demo-plan.ts',
    'demo-electrodes.ts',
    'demo-background.ts',
    'demo-seizures.ts',
    'demo-artefacts.ts',
    'edf-writer.ts',
  ]
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
        physicalMin: -3000,
        physicalMax: 3000,
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
  if (stale || !existsSync(join(root, DEMO_MANIFEST))) {
    writeJsonAtomic(join(root, DEMO_MANIFEST), demoManifest(o, specs));
    written.push(DEMO_MANIFEST);
  }
  if (stale) writeFileAtomic(fingerprintPath, `${fingerprint}\n`);
  recordGeneratedFiles(root, written);
  return { written: written.length, recordings: specs.length };
}
