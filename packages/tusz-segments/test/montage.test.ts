import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { EdfSignalHeader } from '../src/edf-reader.ts';
import { electrodeOf, parseMontageFile, planChannels, REFERENTIAL19, TCP20 } from '../src/montage.ts';
import { ANNOTATION_DIR, NEED_SHARED } from './helpers.ts';

describe('TUSZ montage files', { skip: NEED_SHARED }, () => {
  test('TCP20 is exactly the set of channels common to all four TUSZ montages', () => {
    const sets = ['01_tcp_ar', '02_tcp_le', '03_tcp_ar_a', '04_tcp_le_a'].map((m) => {
      const file = join(ANNOTATION_DIR, 'montages', `${m}_montage.txt`);
      return parseMontageFile(readFileSync(file, 'utf8'), file)
        .filter((l) => l.minus !== null)
        .map((l) => `${l.name}=${l.plus}-${l.minus}`);
    });
    assert.deepEqual(
      sets.map((s) => s.length),
      [22, 22, 20, 20],
    );
    const common = sets[0].filter((c) => sets.every((s) => s.includes(c)));
    assert.deepEqual(common.sort(), TCP20.map((c) => `${c.name}=${c.plus}-${c.minus}`).sort());
    // And in the 03_tcp_ar_a order.
    assert.deepEqual(
      sets[2].map((c) => c.split('=')[0]),
      TCP20.map((c) => c.name),
    );
  });
});

const sig = (label: string, sampleRateHz = 256): EdfSignalHeader => ({
  label,
  transducer: '',
  physicalDimension: 'uV',
  physicalMin: -1,
  physicalMax: 1,
  digitalMin: -1,
  digitalMax: 1,
  prefiltering: '',
  samplesPerRecord: sampleRateHz,
  sampleRateHz,
  isAnnotation: false,
});
const ELECTRODES = [
  'FP1',
  'FP2',
  'F7',
  'F8',
  'F3',
  'F4',
  'T3',
  'T4',
  'T5',
  'T6',
  'C3',
  'C4',
  'CZ',
  'P3',
  'P4',
  'O1',
  'O2',
  'FZ',
  'PZ',
];

describe('channel matching', () => {
  test('-REF, -LE, bare and mixed-case labels name the same electrode', () => {
    assert.deepEqual(['EEG FP1-REF', 'EEG FP1-LE', 'EEG Fp1', 'eeg fp1-ref', 'FP1-REF'].map(electrodeOf), [
      'FP1',
      'FP1',
      'FP1',
      'FP1',
      'FP1',
    ]);
    assert.equal(electrodeOf('EEG FP1-AVG'), null);
  });
  test('a -LE recording maps onto TCP20 and referential19', () => {
    const signals = [...ELECTRODES.map((e) => sig(`EEG ${e}-LE`)), sig('IBI', 1)];
    const plan = planChannels(signals, TCP20, 'le.edf');
    assert.equal(plan.reference, 'LE');
    assert.equal(signals[plan.plusSignal[0]].label, 'EEG FP1-LE');
    assert.equal(signals[plan.minusSignal[0]].label, 'EEG F7-LE');
    assert.equal(planChannels(signals, REFERENTIAL19, 'le.edf').channels.length, 19);
  });
  test('a missing electrode names what is missing and what exists', () => {
    const signals = ELECTRODES.filter((e) => e !== 'T4').map((e) => sig(`EEG ${e}-REF`));
    assert.throws(
      () => planChannels(signals, TCP20, 'x.edf'),
      /x\.edf: missing electrode T4 .*present: FP1 FP2/,
    );
  });
  test('duplicate electrodes and mixed rates are refused', () => {
    assert.throws(
      () => planChannels([...ELECTRODES.map((e) => sig(`EEG ${e}-REF`)), sig('EEG FP1-LE')], TCP20, 'd.edf'),
      /FP1 appears in 2 signals/,
    );
    assert.throws(
      () =>
        planChannels(
          ELECTRODES.map((e) => sig(`EEG ${e}-REF`, e === 'O2' ? 250 : 256)),
          TCP20,
          'r.edf',
        ),
      /different sample rates/,
    );
  });
});
