import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { InputError } from '@corpus-tune/core';
import { decodeEdf, isContinuous, readEdf, summarizeEdf } from '../src/edf-reader.ts';
import { encodeEdf } from '../src/edf-writer.ts';
import { EDF_DIR, golden, NEED_SHARED } from './helpers.ts';

/** What each real file in ../shared/data/edf must give: a summary check or a rejection reason. */
const EXPECTED: Record<
  string,
  | {
      format: string;
      records: number;
      durationSec: number;
      signals: number;
      annotations: number;
      continuous?: boolean;
      start?: string;
    }
  | { reject: RegExp }
> = {
  'chbmit_chb01_01_sample.edf': { format: 'EDF+C', records: 2, durationSec: 2, signals: 24, annotations: 0 },
  'edfReader_edfPlusC.edf': { format: 'EDF+C', records: 20, durationSec: 20, signals: 12, annotations: 2 },
  'edfReader_edfPlusD.edf': {
    format: 'EDF+D',
    records: 11,
    durationSec: 20,
    signals: 12,
    annotations: 1,
    continuous: false,
  },
  'edfio_SC4001EC-Hypnogram.edf': {
    format: 'EDF+C',
    records: 1,
    durationSec: 0,
    signals: 1,
    annotations: 154,
  },
  'edfio_short_psg.edf': { format: 'EDF', records: 10, durationSec: 300, signals: 7, annotations: 0 },
  'mne_duplicate_channel_labels.edf': {
    format: 'EDF+C',
    records: 10,
    durationSec: 10,
    signals: 4,
    annotations: 0,
  },
  'mne_test_edf_stim_channel.edf': {
    format: 'EDF',
    records: 1,
    durationSec: 9.59375,
    signals: 25,
    annotations: 0,
  },
  'mne_test_uneven_samp.edf': { format: 'EDF', records: 11, durationSec: 110, signals: 2, annotations: 0 },
  'nedc_pystream_example_00008836_s003.edf': {
    format: 'EDF',
    records: 5,
    durationSec: 5,
    signals: 30,
    annotations: 0,
  },
  'pyedflib_test_generator.edf': {
    format: 'EDF+C',
    records: 600,
    durationSec: 600,
    signals: 12,
    annotations: 2,
  },
  'pyedflib_test_legacy.edf': { format: 'EDF', records: 600, durationSec: 600, signals: 12, annotations: 2 },
  'pyedflib_test_utf8.edf': { format: 'EDF+C', records: 698, durationSec: 698, signals: 2, annotations: 5 },
  'siena_PN00-5_sample.edf': { format: 'EDF+C', records: 2, durationSec: 2, signals: 36, annotations: 0 },
  'stagpoint_Discontinuous2.edf': {
    format: 'EDF+D',
    records: 2748,
    durationSec: 15840,
    signals: 4,
    annotations: 4,
    continuous: false,
    start: '2023-08-26T02:05:23',
  },
  'stagpoint_Invalid_DataRecord_Count.edf': {
    format: 'EDF',
    records: 0,
    durationSec: 0,
    signals: 3,
    annotations: 0,
  },
  'tuh_00009578_s002_t001.edf': {
    format: 'EDF',
    records: 17,
    durationSec: 17,
    signals: 30,
    annotations: 0,
    start: '2013-02-28T16:03:12',
  },
  'tusz2_aaaaaaac_s001_t000_sample.edf': {
    format: 'EDF+C',
    records: 2,
    durationSec: 2,
    signals: 34,
    annotations: 0,
  },
  'tusz2_aaaaahln_s002_t000.edf': {
    format: 'EDF+C',
    records: 2,
    durationSec: 2,
    signals: 33,
    annotations: 0,
  },
  'tusz2_aaaaahln_s003_t001.edf': {
    format: 'EDF+C',
    records: 2,
    durationSec: 2,
    signals: 37,
    annotations: 0,
  },
  'tusz2_aaaaapks_s016_t001.edf': {
    format: 'EDF+C',
    records: 2,
    durationSec: 2,
    signals: 32,
    annotations: 0,
    start: '2014-01-01T00:00:00',
  },
  'wfdb_test_edfann.edf': { format: 'EDF+C', records: 1, durationSec: 0, signals: 1, annotations: 856 },
};

describe('real EDF files (../shared/data/edf)', { skip: NEED_SHARED }, () => {
  test('every file is read correctly or rejected with a clear reason', () => {
    const files = readdirSync(EDF_DIR)
      .filter((f) => f.endsWith('.edf'))
      .sort();
    assert.deepEqual(
      files,
      Object.keys(EXPECTED).sort(),
      'a new file appeared in ../shared/data/edf; add its expectation',
    );
    for (const f of files) {
      const want = EXPECTED[f];
      if ('reject' in want) {
        assert.throws(
          () => readEdf(join(EDF_DIR, f)),
          (e: unknown) => e instanceof InputError && want.reject.test(e.message),
          f,
        );
        continue;
      }
      const s = summarizeEdf(readEdf(join(EDF_DIR, f)));
      assert.equal(s.format, want.format, f);
      assert.equal(s.records, want.records, f);
      assert.equal(s.durationSec, want.durationSec, f);
      assert.equal(s.signals.length, want.signals, f);
      assert.equal(s.annotations.length, want.annotations, f);
      assert.equal(s.continuous, want.continuous ?? true, f);
      if (want.start) assert.equal(s.startDateTime, want.start, f);
    }
  });

  test('physical values equal MNE 1.3 read_raw_edf (golden)', () => {
    for (const name of [
      'tuh_00009578_s002_t001',
      'tusz2_aaaaapks_s016_t001',
      'tusz2_aaaaahln_s002_t000',
      'tusz2_aaaaaaac_s001_t000_sample',
      'siena_PN00-5_sample',
    ]) {
      const g = golden<{ reading: Record<string, { label: string; indices: number[]; valuesUv: number[] }> }>(
        `${name}.json`,
      );
      const edf = readEdf(join(EDF_DIR, `${name}.edf`));
      for (const [, r] of Object.entries(g.reading)) {
        const index = edf.header.signals.findIndex((s) => s.label === r.label);
        const x = edf.readSignal(index);
        r.indices.forEach((i, k) =>
          assert.ok(
            Math.abs(x[i] - r.valuesUv[k]) <= 1e-9 * Math.max(1, Math.abs(r.valuesUv[k])),
            `${name} ${r.label}[${i}]: ${x[i]} vs MNE ${r.valuesUv[k]}`,
          ),
        );
      }
    }
  });

  test('every file MNE 1.3 can read gives the same physical values (golden, all full-rate channels)', () => {
    const g = golden<{
      files: Record<
        string,
        { mneError?: string; channels?: { k: number; indices: number[]; valuesPhysical: number[] }[] }
      >;
    }>('reading_all.json');
    let compared = 0;
    for (const [file, want] of Object.entries(g.files)) {
      const edf = readEdf(join(EDF_DIR, file));
      if (want.mneError) {
        // MNE fails on the header-only file with record count −1; we read it as 0 records, with a warning.
        assert.equal(edf.header.records, 0, file);
        assert.match(edf.warnings.join(' '), /-1/, file);
        continue;
      }
      const data = edf.header.signals.map((s, i) => ({ s, i })).filter(({ s }) => !s.isAnnotation);
      for (const ch of want.channels ?? []) {
        const x = edf.readSignal(data[ch.k].i);
        ch.indices.forEach((i, j) => {
          assert.ok(
            Math.abs(x[i] - ch.valuesPhysical[j]) <= 1e-9 * Math.max(1, Math.abs(ch.valuesPhysical[j])),
            `${file} ${data[ch.k].s.label}[${i}]: ${x[i]} vs MNE ${ch.valuesPhysical[j]}`,
          );
          compared++;
        });
      }
    }
    assert.ok(compared > 1000, `${compared} values compared`);
  });

  test('NEDC reference values of EEG FP1-REF / FP2-REF (the TCP montage inputs)', () => {
    const edf = readEdf(join(EDF_DIR, 'nedc_pystream_example_00008836_s003.edf'));
    const idx = (label: string): number => edf.header.signals.findIndex((s) => s.label === label);
    const fp1 = edf.readSignal(idx('EEG FP1-REF'));
    const fp2 = edf.readSignal(idx('EEG FP2-REF'));
    [4497.9858, 4490.8142, 4485.0159, 4479.6753, 4472.8088].forEach((v, i) =>
      assert.ok(Math.abs(fp1[i] - v) < 1e-4),
    );
    [62.4084, 60.5773, 61.0351, 61.3403, 60.4248].forEach((v, i) =>
      assert.ok(Math.abs(fp1[i] - fp2[i] - v) < 1e-4),
    );
  });

  test('EDF+ TALs equal MNE read_annotations (golden)', () => {
    const g = golden<{ files: Record<string, { onsetSec: number; durationSec: number; text: string }[]> }>(
      'annotations.json',
    );
    for (const [file, want] of Object.entries(g.files)) {
      const got = readEdf(join(EDF_DIR, file)).annotations;
      assert.equal(got.length, want.length, file);
      got.forEach((a, i) => {
        assert.ok(
          Math.abs(a.onsetSec - want[i].onsetSec) < 1e-6,
          `${file} #${i} onset ${a.onsetSec} vs ${want[i].onsetSec}`,
        );
        assert.ok(Math.abs((a.durationSec ?? 0) - want[i].durationSec) < 1e-6, `${file} #${i} duration`);
        assert.equal(a.text, want[i].text, `${file} #${i}`);
      });
    }
  });

  test('mixed sample rates: TUH EEG at 250 Hz with IBI/BURSTS/SUPPR at 1 Hz', () => {
    const s = summarizeEdf(readEdf(join(EDF_DIR, 'tuh_00009578_s002_t001.edf')));
    const rates = new Map(s.signals.map((x) => [x.label, x.sampleRateHz]));
    assert.equal(rates.get('EEG FP1-REF'), 250);
    assert.equal(rates.get('IBI'), 1);
  });
});

describe('synthetic EDF edge cases', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tusz-edf-'));
  const signal = (label: string, fs: number, n: number) => ({
    label,
    sampleRateHz: fs,
    physicalMin: -100,
    physicalMax: 100,
    samples: Float64Array.from({ length: n }, (_, i) => 50 * Math.sin(i / 7)),
  });
  // Two EEG signals of other scales (physical ranges), for readPair.
  const pairFile = encodeEdf([
    signal('EEG FP1-REF', 10, 30),
    { ...signal('EEG F7-REF', 10, 30), physicalMin: -300, physicalMax: 500 },
    signal('IBI', 1, 3),
  ]);
  const good = encodeEdf([signal('EEG FP1-REF', 10, 30), signal('IBI', 1, 3)], {
    startDate: '15.01.24',
    edfPlusAnnotations: [{ onsetSec: 1.5, durationSec: 2, text: 'seizure?' }],
  });

  test('round trip: scaling, two-digit year 24 → 2024, TALs, per-signal rates', () => {
    const edf = decodeEdf(good, 'good.edf');
    assert.equal(edf.header.startDateTime.slice(0, 4), '2024');
    assert.equal(edf.header.format, 'EDF+C');
    const x = edf.readSignal(0);
    assert.equal(x.length, 30);
    for (let i = 0; i < 30; i++) assert.ok(Math.abs(x[i] - 50 * Math.sin(i / 7)) < 200 / 65535);
    assert.deepEqual(edf.annotations, [{ onsetSec: 1.5, durationSec: 2, text: 'seizure?' }]);
    assert.deepEqual(
      summarizeEdf(edf).signals.map((s) => s.sampleRateHz),
      [10, 1, 50],
    );
  });

  test('readPair interleaves two signals, each as readSignal decodes it; no room is a RangeError', () => {
    const edf = decodeEdf(pairFile, 'pair.edf');
    const [a, b] = [edf.readSignal(0), edf.readSignal(1)];
    const pair = new Float64Array(2 * 30 + 4).fill(-7);
    assert.equal(edf.readPair(0, 1, pair, 3), pair);
    for (let i = 0; i < 30; i++) {
      assert.equal(pair[3 + 2 * i], a[i]);
      assert.equal(pair[4 + 2 * i], b[i]);
    }
    assert.deepEqual([pair[0], pair[1], pair[2], pair[63]], [-7, -7, -7, -7]);
    assert.deepEqual([...edf.readPair(1, 0)].slice(0, 4), [b[0], a[0], b[1], a[1]]);
    assert.throws(() => edf.readPair(0, 1, new Float64Array(60), 1), /cannot write 60 samples at 1/);
    assert.throws(() => edf.readPair(0, 2), /pair\.edf: "EEG FP1-REF" and "IBI" have different sample rates/);
    assert.throws(() => edf.readPair(0, 9), /not two data signals/);
  });

  const cases: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    ['truncated data', (b) => b.subarray(0, b.length - 7), /truncated EDF: header says 3 records/],
    ['truncated header', (b) => b.subarray(0, 400), /truncated EDF header/],
    [
      'wrong header byte count',
      (b) => patch(b, 184, '768     '),
      /header byte count 768 ≠ 256 × \(1 \+ 3 signals\)/,
    ],
    [
      'BDF',
      (b) => {
        const c = Uint8Array.from(b);
        c[0] = 0xff;
        c.set(Buffer.from('BIOSEMI'), 1);
        return c;
      },
      /BDF .* not supported/,
    ],
    ['garbage number of records', (b) => patch(b, 236, 'abc     '), /number of data records is "abc"/],
    [
      'records −1 with a partial record',
      (b) => patch(b.subarray(0, b.length - 4), 236, '-1      '),
      /-1 and the .* not a whole number/,
    ],
  ];
  for (const [name, mutate, message] of cases) {
    test(`rejects ${name} with a message naming the file`, () => {
      const path = join(dir, `${name.replace(/\W+/g, '_')}.edf`);
      writeFileSync(path, mutate(good));
      assert.throws(
        () => readEdf(path),
        (e: unknown) => e instanceof InputError && e.message.startsWith(path) && message.test(e.message),
      );
    });
  }

  test('records −1 with whole records: inferred from the size, with a warning', () => {
    const edf = decodeEdf(patch(good, 236, '-1      '), 'x.edf');
    assert.equal(edf.header.records, 3);
    assert.match(edf.warnings[0], /inferred 3/);
  });

  test('the CLI-facing reader works from a file too: same header, samples and TALs as from memory', () => {
    const path = join(dir, 'good.edf');
    writeFileSync(path, good);
    const fromFile = readEdf(path);
    const fromMemory = decodeEdf(good, path);
    assert.deepEqual(fromFile.header, fromMemory.header);
    assert.deepEqual(fromFile.annotations, fromMemory.annotations);
    for (const i of [0, 1]) assert.deepEqual(fromFile.readSignal(i), fromMemory.readSignal(i));
    assert.equal(fromFile.readSignal(1).length, 3);
  });
});

describe('EDF+C with two annotation signals, 0.1-s records, records without a time-keeping TAL', () => {
  // The same bytes as tools/golden/edf_plus_c_two_annotation_signals.py builds for MNE (sha256 checked).
  const g = golden<{
    sha256: string;
    samples: number;
    durationSec: number;
    fp1Uv: number[];
    annotations: { onsetSec: number; durationSec: number; text: string }[];
  }>('edf_plus_c_two_annotation_signals.json');
  const TK: Record<number, string> = {
    0: '+0.7',
    1: '+0.8',
    2: '+0.9',
    3: '+1.0',
    5: '+1.2',
    6: '+1.3',
    8: '+1.5',
  };
  const first: Record<number, string> = {};
  for (const [r, t] of Object.entries(TK)) first[Number(r)] = `${t}\x14\x14\x00`;
  first[0] += '+0.75\x150.2\x14seiz start\x14\x00';
  first[9] = '+1.6\x14artifact\x14\x00';
  const second: Record<number, string> = {
    2: '+0.9\x14eyes closed\x14\x00',
    6: '+1.35\x150.05\x14spike\x14\x00',
    11: '+1.7\x150.1\x14end\x14\x00',
  };
  const fp1 = Float64Array.from({ length: 120 }, (_, i) => ((i * 37) % 200) - 100);
  const encode = (reserved?: string) =>
    encodeEdf(
      [{ label: 'EEG FP1-REF', sampleRateHz: 100, physicalMin: -32768, physicalMax: 32767, samples: fp1 }],
      {
        recordDurationSec: 0.1,
        reserved,
        rawAnnotationSignals: [
          { position: 'first', bytesPerRecord: 64, recordTals: first },
          { position: 'last', bytesPerRecord: 64, recordTals: second },
        ],
      },
    );
  const bytes = encode();

  test('the fixture is byte for byte the file MNE read for the golden', () => {
    assert.equal(createHash('sha256').update(bytes).digest('hex'), g.sha256);
  });

  test('duration is records × record duration and continuous, as MNE reads it (1.2 s)', () => {
    const edf = decodeEdf(bytes, 'two-annotation-signals.edf');
    const s = summarizeEdf(edf);
    assert.equal(s.format, 'EDF+C');
    assert.equal(s.records, 12);
    assert.deepEqual(
      edf.header.signals.map((x) => x.isAnnotation),
      [true, false, true],
      'annotation signals at 0 and 2',
    );
    assert.ok(
      Math.abs(s.durationSec - g.durationSec) < 1e-9,
      `duration ${s.durationSec} vs MNE ${g.durationSec}`,
    );
    assert.equal(s.continuous, true);
    assert.equal(edf.readSignal(1).length, g.samples);
    assert.deepEqual([...edf.readSignal(1)], g.fp1Uv);
    assert.match(s.warnings.join('\n'), /5 of 12 records have no time-keeping TAL/);
  });

  test('TALs of both annotation signals, onsets from the +0.7 s start, equal MNE', () => {
    const got = [...decodeEdf(bytes, 'x.edf').annotations].sort((a, b) => a.onsetSec - b.onsetSec);
    assert.equal(got.length, g.annotations.length);
    got.forEach((a, i) => {
      const want = g.annotations[i];
      assert.equal(a.text, want.text);
      assert.ok(
        Math.abs(a.onsetSec - want.onsetSec) < 1e-9,
        `${a.text}: onset ${a.onsetSec} vs MNE ${want.onsetSec}`,
      );
      assert.ok(Math.abs((a.durationSec ?? 0) - want.durationSec) < 1e-9, `${a.text}: duration`);
    });
  });

  test('EDF+C time-keeping TALs that contradict the header are ignored, with a warning', () => {
    const skewed = encodeEdf(
      [{ label: 'X', sampleRateHz: 10, physicalMin: -1, physicalMax: 1, samples: new Float64Array(30) }],
      {
        rawAnnotationSignals: [
          {
            position: 'first',
            bytesPerRecord: 20,
            recordTals: { 0: '+0\x14\x14\x00', 1: '+5\x14\x14\x00', 2: '+6\x14\x14\x00' },
          },
        ],
      },
    );
    const edf = decodeEdf(skewed, 'skewed.edf');
    assert.deepEqual([...edf.recordOnsetsSec], [0, 1, 2]);
    assert.equal(isContinuous(edf), true);
    assert.match(edf.warnings.join('\n'), /2 of 3 time-keeping TALs disagree/);
  });

  test('EDF+D: onsets come from the time-keeping TALs, and a record without one is an error', () => {
    const gapped = encodeEdf(
      [{ label: 'X', sampleRateHz: 10, physicalMin: -1, physicalMax: 1, samples: new Float64Array(30) }],
      {
        reserved: 'EDF+D',
        rawAnnotationSignals: [
          { position: 'last', bytesPerRecord: 20, recordTals: {} },
          {
            position: 'first',
            bytesPerRecord: 40,
            recordTals: {
              0: '+0.5\x14\x14\x00',
              1: '+5.5\x14\x14\x00',
              2: '+6.5\x14\x14\x00+7\x14x\x14\x00',
            },
          },
        ],
      },
    );
    const edf = decodeEdf(gapped, 'gapped.edf');
    assert.deepEqual([...edf.recordOnsetsSec], [0, 5, 6]);
    assert.equal(isContinuous(edf), false);
    assert.equal(summarizeEdf(edf).durationSec, 7);
    assert.deepEqual(edf.annotations, [{ onsetSec: 6.5, durationSec: null, text: 'x' }]);
    assert.throws(
      () => decodeEdf(encode('EDF+D'), 'd.edf'),
      (e: unknown) =>
        e instanceof InputError && /d\.edf: EDF\+D record 4 has no time-keeping TAL/.test(e.message),
    );
  });
});

function patch(bytes: Uint8Array, offset: number, text: string): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy.set(Buffer.from(text, 'latin1'), offset);
  return copy;
}
