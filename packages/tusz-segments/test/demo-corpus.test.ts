import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { designBandpass, sosArray } from '../src/butterworth.ts';
import { discoverRecordings } from '../src/corpus.ts';
import { DEMO_MANIFEST, demoRecordings, writeDemoCorpus } from '../src/demo-corpus.ts';
import type { DemoCorpusOptions, DemoManifest } from '../src/demo-corpus.ts';
import { ARTEFACT_KINDS } from '../src/demo-plan.ts';
import type { ArtefactEvent } from '../src/demo-plan.ts';
import { readEdf } from '../src/edf-reader.ts';
import type { EdfFile } from '../src/edf-reader.ts';
import { DEFAULT_OPTIONS } from '../src/options.ts';
import { sosfiltfilt } from '../src/sosfiltfilt.ts';

// Everything here reads what the generator wrote (EDF through our reader, the manifest JSON, the
// folder tree), never the generator's own arrays.

const SMALL: DemoCorpusOptions = { seed: 11, patients: { train: 3, dev: 1, eval: 2 }, durationSec: 240 };
const tmp = (): string => mkdtempSync(join(tmpdir(), 'tusz-demo-'));
const root = tmp();
writeDemoCorpus(root, SMALL);
const manifest = JSON.parse(readFileSync(join(root, DEMO_MANIFEST), 'utf8')) as DemoManifest;

function openRecording(recordingId: string): { edf: EdfFile; rec: DemoManifest['recordings'][number] } {
  const rec = manifest.recordings.find((r) => r.recordingId === recordingId)!;
  return { edf: readEdf(join(root, `${rec.relPath}.edf`)), rec };
}

function signalOf(edf: EdfFile, electrode: string): Float64Array {
  const i = edf.header.signals.findIndex((s) => s.label.startsWith(`EEG ${electrode}-`));
  assert.ok(i >= 0, `EEG ${electrode} in the EDF`);
  return edf.readSignal(i);
}

const mean = (x: Float64Array, i0: number, i1: number): number => {
  let s = 0;
  for (let i = i0; i < i1; i++) s += x[i];
  return s / (i1 - i0);
};
const power = (x: Float64Array, i0: number, i1: number): number => {
  let s = 0;
  for (let i = i0; i < i1; i++) s += x[i] * x[i];
  return s / (i1 - i0);
};

/** Amplitude of the `hz` component of x[i0, i1) (a single-bin DFT over whole cycles). */
function toneAmplitude(x: Float64Array, hz: number, fs: number, i0: number, i1: number): number {
  let re = 0;
  let im = 0;
  for (let i = i0; i < i1; i++) {
    re += x[i] * Math.cos((2 * Math.PI * hz * i) / fs);
    im += x[i] * Math.sin((2 * Math.PI * hz * i) / fs);
  }
  return (2 * Math.hypot(re, im)) / (i1 - i0);
}

/** Events of one kind that have `clearSec` free of every other event on both sides. */
function isolated(
  kind: ArtefactEvent['kind'],
  clearSec: number,
): { recordingId: string; ev: ArtefactEvent }[] {
  const out: { recordingId: string; ev: ArtefactEvent }[] = [];
  for (const r of manifest.recordings) {
    const others = [...r.artefacts, ...r.seizures];
    for (const ev of r.artefacts) {
      if (ev.kind !== kind || ev.startSec < 2 * clearSec || ev.stopSec > r.durationSec - 2 * clearSec)
        continue;
      const clash = others.some(
        (o) => o !== ev && o.startSec < ev.stopSec + clearSec && o.stopSec > ev.startSec - clearSec,
      );
      if (!clash) out.push({ recordingId: r.recordingId, ev });
    }
  }
  return out;
}

describe('demo corpus generator', () => {
  test('patients are split-disjoint in the written tree, and the manifest agrees with the folders', () => {
    const { recordings } = discoverRecordings(root);
    assert.equal(recordings.length, manifest.recordings.length);
    const splitOf = new Map<string, string>();
    for (const r of recordings) {
      const prior = splitOf.get(r.patientId);
      assert.ok(
        prior === undefined || prior === r.folderSplit,
        `${r.patientId} in ${prior} and ${r.folderSplit}`,
      );
      splitOf.set(r.patientId, r.folderSplit!);
    }
    for (const p of manifest.patients) assert.equal(splitOf.get(p.patientId), p.split, p.patientId);
    const perSplit = (s: string) => [...splitOf.values()].filter((v) => v === s).length;
    assert.deepEqual([perSplit('train'), perSplit('dev'), perSplit('eval')], [3, 1, 2]);
  });

  test('every artefact and variation kind occurs, and the counts match the listed events', () => {
    const events = manifest.recordings.flatMap((r) => r.artefacts);
    for (const kind of ARTEFACT_KINDS) {
      assert.ok(manifest.counts.artefacts[kind] > 0, `${kind}: ${manifest.counts.artefacts[kind]}`);
      assert.equal(manifest.counts.artefacts[kind], events.filter((e) => e.kind === kind).length, kind);
    }
    const seizures = manifest.recordings.flatMap((r) => r.seizures);
    for (const kind of [
      'focal',
      'generalised',
      'slowing',
      'steady',
      'quickening',
      'subtle',
      'moderate',
      'large',
    ])
      assert.ok(
        manifest.counts.seizures[kind] > 0,
        `seizure kind ${kind}: ${manifest.counts.seizures[kind]}`,
      );
    assert.ok(manifest.counts.seizures.fewChannels > 0, 'some seizures involve only a few electrodes');
    assert.equal(manifest.counts.seizures.total, seizures.length);
    assert.ok(
      seizures.every((s) => s.stopSec - s.startSec > 15),
      'every seizure lasts more than 15 s',
    );
    assert.equal(manifest.counts.lineNoiseRecordings, manifest.recordings.length);
    // Patients differ in every background knob.
    for (const knob of ['alphaHz', 'alphaUv', 'slopeExponent', 'backgroundRmsUv'] as const)
      assert.equal(new Set(manifest.patients.map((p) => p[knob])).size, manifest.patients.length, knob);
    // Every event names the generator that drew it, and the csv_bi labels are the seizures listed.
    for (const r of manifest.recordings) {
      for (const e of [...r.seizures, ...r.artefacts]) assert.match(e.generator, /^demo-[a-z]+\.ts#\w+$/);
      const csv = readFileSync(join(root, `${r.relPath}.csv_bi`), 'utf8');
      const seiz = csv.split('\n').filter((l) => l.endsWith(',seiz,1.0000'));
      assert.deepEqual(
        seiz.map((l) => l.split(',').slice(1, 3).map(Number)),
        r.seizures.map((s) => [s.startSec, s.stopSec]),
      );
    }
  });

  test('blinks: a large slow frontal deflection at the manifest times, absent at the occiput', () => {
    const blinks = isolated('blink', 0.6);
    assert.ok(blinks.length >= 10, `${blinks.length} isolated blinks`);
    let frontal = 0;
    let occipital = 0;
    for (const { recordingId, ev } of blinks) {
      const { edf } = openRecording(recordingId);
      const fs = edf.header.signals[0].sampleRateHz;
      const i0 = Math.round(ev.startSec * fs);
      const i1 = Math.round(ev.stopSec * fs);
      const mid = Math.round((i0 + i1) / 2);
      const w = Math.round(0.05 * fs);
      // Deflection: the blink's middle against the half-second before it.
      const deflection = (x: Float64Array) =>
        mean(x, mid - w, mid + w) - mean(x, i0 - Math.round(0.5 * fs), i0);
      frontal += (deflection(signalOf(edf, 'FP1')) + deflection(signalOf(edf, 'FP2'))) / 2 / blinks.length;
      occipital += (deflection(signalOf(edf, 'O1')) + deflection(signalOf(edf, 'O2'))) / 2 / blinks.length;
    }
    assert.ok(frontal > 40, `mean frontal blink deflection ${frontal.toFixed(1)} µV`);
    assert.ok(
      Math.abs(occipital) < frontal / 8,
      `occipital ${occipital.toFixed(1)} vs frontal ${frontal.toFixed(1)} µV`,
    );
  });

  test('EMG: 20–45 Hz power rises in the temporal channels during bursts, not at the occiput', () => {
    const bursts = isolated('emg', 1).filter(({ ev }) => ev.electrodes.includes('T3'));
    assert.ok(bursts.length >= 3, `${bursts.length} isolated left EMG bursts`);
    const ratios = { T3: 0, O1: 0 };
    for (const { recordingId, ev } of bursts) {
      const { edf } = openRecording(recordingId);
      const fs = edf.header.signals[0].sampleRateHz;
      const sos = sosArray(designBandpass(4, 20, 45, fs).sos);
      const i0 = Math.round(ev.startSec * fs);
      const i1 = Math.round(ev.stopSec * fs);
      const before = Math.max(0, i0 - (i1 - i0) - Math.round(0.5 * fs));
      for (const e of ['T3', 'O1'] as const) {
        const hf = sosfiltfilt(sos, signalOf(edf, e));
        ratios[e] += power(hf, i0, i1) / power(hf, before, i0 - Math.round(0.5 * fs)) / bursts.length;
      }
    }
    assert.ok(ratios.T3 > 3, `T3 high-frequency power × ${ratios.T3.toFixed(2)} during EMG`);
    assert.ok(ratios.O1 < 1.5, `O1 high-frequency power × ${ratios.O1.toFixed(2)} during EMG`);
  });

  test('60 Hz mains: a peak in the raw referential EDF at the manifest amplitude, gone after the band-pass', () => {
    const rec = manifest.recordings[0];
    const { edf } = openRecording(rec.recordingId);
    const fs = edf.header.signals[0].sampleRateHz;
    const patient = manifest.patients.find((p) => p.patientId === rec.patientId)!;
    const sos = sosArray(
      designBandpass(DEFAULT_OPTIONS.filterOrder, DEFAULT_OPTIONS.lowCutHz, DEFAULT_OPTIONS.highCutHz, fs)
        .sos,
    );
    // 20 s from the middle: a whole number of 60-Hz cycles at 250 and 256 Hz.
    const i0 = Math.round(100 * fs);
    const i1 = i0 + 20 * fs;
    for (const e of ['FP1', 'C4', 'O2']) {
      const raw = signalOf(edf, e);
      const line = toneAmplitude(raw, 60, fs, i0, i1);
      const beside = Math.max(toneAmplitude(raw, 57.3, fs, i0, i1), toneAmplitude(raw, 62.7, fs, i0, i1));
      assert.ok(
        Math.abs(line - patient.lineNoiseUv[e]) < 0.1 * patient.lineNoiseUv[e] + 0.5,
        `${e}: ${line} µV`,
      );
      assert.ok(line > 10 * beside, `${e}: 60 Hz ${line.toFixed(2)} µV vs ${beside.toFixed(2)} µV beside`);
      const filtered = toneAmplitude(sosfiltfilt(sos, raw), 60, fs, i0, i1);
      assert.ok(filtered < 0.02 * line, `${e}: 60 Hz ${filtered.toFixed(3)} µV after the band-pass`);
    }
  });

  test('same seed, same bytes: EDF, csv_bi and manifest', () => {
    const again = tmp();
    writeDemoCorpus(again, SMALL);
    for (const r of manifest.recordings)
      for (const ext of ['edf', 'csv_bi'])
        assert.ok(
          readFileSync(join(root, `${r.relPath}.${ext}`)).equals(
            readFileSync(join(again, `${r.relPath}.${ext}`)),
          ),
          `${r.relPath}.${ext}`,
        );
    assert.ok(readFileSync(join(root, DEMO_MANIFEST)).equals(readFileSync(join(again, DEMO_MANIFEST))));
    const other = tmp();
    writeDemoCorpus(other, { ...SMALL, seed: SMALL.seed + 1 });
    assert.ok(!readFileSync(join(root, DEMO_MANIFEST)).equals(readFileSync(join(other, DEMO_MANIFEST))));
  });

  test('bad demo options are refused with the option named', () => {
    assert.throws(() => demoRecordings({ ...SMALL, durationSec: 30.5 }), /demo durationSec .*integer/);
    assert.throws(
      () => demoRecordings({ ...SMALL, patients: { train: -1, dev: 1, eval: 1 } }),
      /demo patients\.train/,
    );
    assert.throws(() => demoRecordings({ ...SMALL, seed: 1.5 }), /demo seed/);
  });
});
