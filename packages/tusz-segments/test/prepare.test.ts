import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readArrowFile, runMetadataOf } from '@corpus-tune/core';
import type { Table } from 'apache-arrow';
import { demoRecordings, demoRelPath, synthesizeRecording, writeDemoCorpus } from '../src/demo-corpus.ts';
import type { DemoCorpusOptions } from '../src/demo-corpus.ts';
import { encodeEdf } from '../src/edf-writer.ts';
import { merge, prepare } from '../src/prepare.ts';
import { assignSplits, checkPatientDisjoint } from '../src/splits.ts';
import { ANNOTATION_DIR, EDF_DIR, NEED_SHARED, relativeError } from './helpers.ts';
import { sosArray } from '../src/butterworth.ts';
import { discoverRecordings } from '../src/corpus.ts';
import { readEdf } from '../src/edf-reader.ts';
import { planChannels, TCP20 } from '../src/montage.ts';
import { createResampler } from '../src/resample-poly.ts';
import { sosfiltfilt } from '../src/sosfiltfilt.ts';

const DEMO: DemoCorpusOptions = { seed: 7, patients: { train: 3, dev: 2, eval: 2 }, durationSec: 150 };
const SPLITS = ['train', 'dev', 'eval'] as const;
const tmp = (): string => mkdtempSync(join(tmpdir(), 'tusz-prep-'));
const bytes = (dir: string) =>
  Object.fromEntries(SPLITS.map((s) => [s, readFileSync(join(dir, `${s}.arrow`))]));

function patientsBySplit(dir: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of SPLITS) {
    const t = readArrowFile(join(dir, `${s}.arrow`));
    out.set(s, new Set(t.getChild('patientId')!.toArray() as string[]));
  }
  return out;
}

describe('prepare on the demo corpus', () => {
  const outA = tmp();
  let first: Awaited<ReturnType<typeof prepare>>;
  let firstBytes: Record<string, Buffer>;

  test('writes balanced Arrow splits with the contract columns and provenance', async () => {
    first = await prepare({ outDir: outA, demo: DEMO });
    firstBytes = bytes(outA);
    assert.equal(first.demo, true);
    assert.equal(first.processed, first.recordings);
    assert.equal(first.skipped.length, 0);
    for (const s of SPLITS) {
      const t: Table = readArrowFile(join(outA, `${s}.arrow`));
      assert.ok(t.numRows >= 6, `${s} has ${t.numRows} rows`);
      assert.deepEqual(
        t.schema.fields.map((f) => `${f.name}:${f.type}`),
        [
          'recordingId:Utf8',
          'patientId:Utf8',
          'sessionId:Utf8',
          'startSec:Float64',
          'stopSec:Float64',
          'label:Int8',
          'sourceSampleRateHz:Float32',
          'samples:FixedSizeList[10000]<Float32>',
        ],
      );
      const labels = t.getChild('label')!.toArray() as Int8Array;
      const seiz = labels.reduce((n, l) => n + l, 0);
      assert.equal(seiz * 2, labels.length, `${s} is balanced`);
      const rates = new Set(t.getChild('sourceSampleRateHz')!.toArray() as Float32Array);
      assert.ok([...rates].every((r) => r === 250 || r === 256));
      const meta = runMetadataOf(t);
      assert.equal(meta.stage, 'tusz-segments');
      assert.equal(meta.seed, 1);
      assert.equal(meta.split, s);
      assert.deepEqual(meta.classNames, ['bckg', 'seiz']);
      assert.equal((meta.channels as string[]).length, 20);
      assert.deepEqual(meta.effectiveBandHz, [0.5, 25]);
      assert.ok(
        Object.keys(meta.inputs).length > 0 &&
          Object.values(meta.inputs).every((h) => /^[0-9a-f]{64}$/.test(h)),
      );
      assert.match(meta.codeVersion, /^@corpus-tune\/tusz-segments@0\.1\.0\+[0-9a-f]{12}$/);
      assert.ok(!JSON.stringify(meta).includes(outA), 'no absolute paths in outputs');
      const stop = t.getChild('stopSec')!.toArray() as Float64Array;
      const start = t.getChild('startSec')!.toArray() as Float64Array;
      stop.forEach((v, i) => assert.ok(Math.abs(v - start[i] - 10) < 1e-9));
    }
  });

  test('the filter in the metadata is the one that ran: a segment is rebuilt from the recorded sections', () => {
    const { recordings } = discoverRecordings(join(outA, 'demo-corpus'));
    const rebuilt = new Set<number>();
    for (const s of SPLITS) {
      const t: Table = readArrowFile(join(outA, `${s}.arrow`));
      const meta = runMetadataOf(t);
      const filter = meta.filter as { sosBySourceRateHz: Record<string, number[][]> };
      const resample = meta.resample as {
        ratiosBySourceRateHz: Record<string, { up: number; down: number }>;
      };
      const rates = t.getChild('sourceSampleRateHz')!.toArray() as Float32Array;
      // The first row of each source rate, first channel (FP1-F7): EDF → montage → recorded
      // sections → resampler → cut must give the stored samples.
      for (const rate of new Set(rates)) {
        const row = rates.indexOf(rate);
        const ref = recordings.find((r) => r.recordingId === t.getChild('recordingId')!.get(row))!;
        const edf = readEdf(ref.edfPath);
        const plan = planChannels(edf.header.signals, TCP20, ref.edfPath);
        const sos = filter.sosBySourceRateHz[String(rate)];
        assert.ok(sos, `metadata names the sections used at ${rate} Hz`);
        const filtered = sosfiltfilt(
          sosArray(sos),
          edf.readDifference(plan.plusSignal[0], plan.minusSignal[0]),
        );
        const { up, down } = resample.ratiosBySourceRateHz[String(rate)];
        const at50Hz = createResampler(up, down).resample(filtered);
        const start = Math.round((t.getChild('startSec')!.get(row) as number) * 50);
        const stored = (t.getChild('samples')!.get(row) as { toArray(): Float32Array })
          .toArray()
          .subarray(0, 500);
        assert.ok(relativeError(stored, Float32Array.from(at50Hz.subarray(start, start + 500))) < 1e-6);
        rebuilt.add(rate);
      }
    }
    assert.deepEqual([...rebuilt].sort(), [250, 256], 'both demo source rates were checked');
  });

  test('no patient appears in two splits', () => {
    const bySplit = patientsBySplit(outA);
    for (const a of SPLITS)
      for (const b of SPLITS)
        if (a < b)
          for (const p of bySplit.get(a)!) assert.ok(!bySplit.get(b)!.has(p), `${p} in ${a} and ${b}`);
  });

  test('a second run reuses every recording and rewrites identical bytes', async () => {
    const before = bytes(outA);
    const again = await prepare({ outDir: outA, demo: DEMO });
    assert.equal(again.processed, 0);
    assert.equal(again.reused, first.recordings);
    assert.deepEqual(bytes(outA), before);
  });

  test('--shard I/N then merge, in another folder, gives the same bytes as one run', async () => {
    const outD = tmp();
    const s0 = await prepare({ outDir: outD, demo: DEMO, shard: { index: 0, count: 2 } });
    const s1 = await prepare({ outDir: outD, demo: DEMO, shard: { index: 1, count: 2 } });
    assert.equal(s0.recordings + s1.recordings, first.recordings);
    assert.ok(s0.recordings > 0 && s1.recordings > 0);
    await merge(outD, 2);
    assert.deepEqual(bytes(outD), firstBytes, 'shards + merge in another folder = one run: byte-identical');
    await assert.rejects(merge(outD, 3), /shard 0 of 3 has not been run/);
  });

  test('changing one EDF reprocesses only that one; touching it only re-hashes it', async () => {
    const spec = demoRecordings(DEMO)[0];
    const edf = join(outA, 'demo-corpus', `${demoRelPath(spec)}.edf`);
    const now = new Date(Date.now() + 5000);
    utimesSync(edf, now, now);
    const touched = await prepare({ outDir: outA, demo: DEMO });
    assert.deepEqual([touched.processed, touched.rehashed], [0, 1]);
    const b = readFileSync(edf);
    b[b.length - 100] ^= 0x55; // change one sample
    writeFileSync(edf, b);
    const changed = await prepare({ outDir: outA, demo: DEMO });
    assert.equal(changed.processed, 1);
    assert.equal(changed.reused, first.recordings - 1);
  });
});

describe('bad input is reported per file and the rest is processed', () => {
  test('truncated EDF, wrong header size, missing channel, unknown label, annotation past the end', async () => {
    const root = join(tmp(), 'corpus');
    writeDemoCorpus(root, DEMO);
    const spec = demoRecordings(DEMO)[0];
    const signals = [...synthesizeRecording({ ...spec, durationSec: 40, seizures: [] }, 1)].map(
      ([e, samples]) => ({
        label: `EEG ${e}-REF`,
        sampleRateHz: spec.sampleRateHz,
        physicalMin: -2000,
        physicalMax: 2000,
        samples,
      }),
    );
    const good = encodeEdf(signals);
    const add = (patient: string, edf: Uint8Array, csv: string): void => {
      const dir = join(root, 'edf', 'train', patient, 's001_2020', '01_tcp_ar');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${patient}_s001_t000.edf`), edf);
      writeFileSync(join(dir, `${patient}_s001_t000.csv_bi`), csv);
    };
    const csv = (rows: string) =>
      `# version = csv_v1.0.0\n# duration = 40.00 secs\n#\nchannel,start_time,stop_time,label,confidence\n${rows}`;
    add('badtrunc', good.subarray(0, good.length - 1000), csv('TERM,0.0,40.0,bckg,1.0\n'));
    const wrongHeader = Uint8Array.from(good);
    wrongHeader.set(Buffer.from('256     '), 184);
    add('badhdr', wrongHeader, csv('TERM,0.0,40.0,bckg,1.0\n'));
    add(
      'badchan',
      encodeEdf(signals.filter((s) => s.label !== 'EEG T4-REF')),
      csv('TERM,0.0,40.0,bckg,1.0\n'),
    );
    add('badlabel', good, csv('TERM,0.0,20.0,bckg,1.0\nTERM,20.0,40.0,wxyz,1.0\n'));
    add(
      'badend',
      good,
      '# version = csv_v1.0.0\n#\nchannel,start_time,stop_time,label,confidence\nTERM,0.0,95.0,seiz,1.0\n',
    );
    writeFileSync(join(root, 'edf', 'train', 'orphan_s001_t000.edf'), good);
    const out = tmp();
    const summary = await prepare({ root, outDir: out });
    const reasons = Object.fromEntries(summary.skipped.map((s) => [s.file.split('/').pop(), s.reason]));
    assert.match(reasons['badtrunc_s001_t000.edf'], /truncated EDF: header says 40 records/);
    assert.match(reasons['badhdr_s001_t000.edf'], /header byte count 256 ≠ 256 × \(1 \+ 21 signals\)/);
    assert.match(reasons['badchan_s001_t000.edf'], /missing electrode T4/);
    assert.match(reasons['badlabel_s001_t000.edf'], /unknown label "wxyz"/);
    assert.match(reasons['badend_s001_t000.edf'], /ends past the end of the recording \(40 s\)/);
    assert.match(reasons['orphan_s001_t000.edf'], /no annotation file beside it/);
    assert.equal(summary.skipped.length, 6);
    assert.equal(summary.recordings - 5, demoRecordings(DEMO).length);
    for (const s of SPLITS) assert.ok((summary.splits[s]?.rows ?? 0) > 0, `${s} still written`);
    assert.ok(!summary.skipped.some((s) => s.reason.includes(root)), 'reasons use corpus-relative paths');
    assert.equal(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).skipped.length, 6);
  });
});

describe('splits', () => {
  test('seeded patient split when there are no TUSZ split folders: disjoint and proportional', () => {
    const recs = Array.from({ length: 300 }, (_, i) => ({
      recordingId: `p${i % 60}_s00${i % 5}_t000`,
      patientId: `p${i % 60}`,
      folderSplit: null,
    }));
    const split = assignSplits(recs, { train: 10000, dev: 2500, eval: 2500 }, 3);
    checkPatientDisjoint(recs.map((r) => ({ patientId: r.patientId, split: split.get(r.recordingId)! })));
    const patients = (s: string) =>
      new Set(recs.filter((r) => split.get(r.recordingId) === s).map((r) => r.patientId)).size;
    assert.deepEqual([patients('train'), patients('dev'), patients('eval')], [40, 10, 10]);
    assert.deepEqual(
      assignSplits(recs, { train: 10000, dev: 2500, eval: 2500 }, 3),
      split,
      'same seed, same split',
    );
  });
  test('a patient in two TUSZ split folders is refused', () => {
    assert.throws(
      () =>
        assignSplits(
          [
            { recordingId: 'a_s001_t000', patientId: 'a', folderSplit: 'train' },
            { recordingId: 'a_s002_t000', patientId: 'a', folderSplit: 'eval' },
          ],
          { train: 1, dev: 1, eval: 1 },
          1,
        ),
      /patient a appears in both train and eval/,
    );
  });
});

describe('real TUSZ files in a TUSZ layout (symlinks into ../shared/data)', { skip: NEED_SHARED }, () => {
  test('v1.5 tse_bi pair is segmented; v2 pairs cut to 2 s are rejected for their 305–829 s annotations', async () => {
    const root = join(tmp(), 'tusz');
    const link = (rel: string, target: string): void => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      symlinkSync(target, join(root, rel));
    };
    link(
      'edf/dev/01_tcp_ar/002/00009578/00009578_s002_t001.edf',
      join(EDF_DIR, 'tuh_00009578_s002_t001.edf'),
    );
    link(
      'edf/dev/01_tcp_ar/002/00009578/00009578_s002_t001.tse_bi',
      join(ANNOTATION_DIR, 'tuh_00009578_s002_t001.tse_bi'),
    );
    for (const [split, name, montage] of [
      ['dev', 'aaaaahln_s002_t000', '03_tcp_ar_a'],
      ['train', 'aaaaapks_s016_t001', '03_tcp_ar_a'],
    ]) {
      link(
        `edf/${split}/${name.slice(0, 8)}/s0xx/${montage}/${name}.edf`,
        join(EDF_DIR, `tusz2_${name}.edf`),
      );
      link(
        `edf/${split}/${name.slice(0, 8)}/s0xx/${montage}/${name}.csv_bi`,
        join(ANNOTATION_DIR, `tusz2_${name}.csv_bi`),
      );
    }
    const out = tmp();
    const summary = await prepare({ root, outDir: out });
    assert.equal(summary.recordings, 3);
    assert.deepEqual(summary.skipped.map((s) => s.reason.replace(/^.*: annotation/, 'annotation')).sort(), [
      'annotation says the recording lasts 305 s but the EDF has 2 s',
      'annotation says the recording lasts 829 s but the EDF has 2 s',
    ]);
    // 17 s of background → one 10-s bckg candidate, but no seizure in dev → a balanced split is empty.
    assert.equal(summary.splits.dev?.available.bckg, 1);
    assert.equal(summary.splits.dev?.rows, 0);
  });
});
