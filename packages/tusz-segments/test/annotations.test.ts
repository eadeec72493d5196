import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { InputError } from '@corpus-tune/core';
import {
  labelTimeline,
  parseCsvAnnotations,
  parseTseAnnotations,
  readAnnotations,
} from '../src/annotations.ts';
import { segmentWindows } from '../src/segments.ts';
import { ANNOTATION_DIR, NEED_SHARED } from './helpers.ts';

describe('real TUSZ annotation files', { skip: NEED_SHARED }, () => {
  test('csv_bi v2: comments, duration, seizures', () => {
    const a = readAnnotations(join(ANNOTATION_DIR, 'tusz2_aaaaapks_s016_t001.csv_bi'));
    assert.equal(a.durationSec, 829);
    assert.equal(a.events[0].label, 'seiz');
    assert.deepEqual([a.events[0].startSec, a.events[0].stopSec], [1, 7]);
    assert.equal(a.events.filter((e) => e.label === 'seiz').length, 33);
  });
  test('every NEDC ref/hyp csv_bi parses; unlabelled time is background', () => {
    for (const sub of ['ref', 'hyp']) {
      for (const f of readdirSync(join(ANNOTATION_DIR, 'nedc_eval_v6', sub))) {
        const a = readAnnotations(join(ANNOTATION_DIR, 'nedc_eval_v6', sub, f));
        const timeline = labelTimeline(a, a.durationSec as number);
        assert.equal(timeline[0].startSec, 0, f);
        assert.ok(Math.abs(timeline[timeline.length - 1].stopSec - (a.durationSec as number)) < 1e-9, f);
        for (let i = 1; i < timeline.length; i++)
          assert.notEqual(timeline[i].label, timeline[i - 1].label, f);
      }
    }
  });
  test('tse_bi v1.5 and its edge files', () => {
    const a = readAnnotations(join(ANNOTATION_DIR, 'tuh_00004671_s007_t000.tse_bi'));
    assert.equal(a.events[1].label, 'seiz');
    assert.deepEqual([a.events[1].startSec, a.events[1].stopSec], [46.2734, 52.0742]);
    assert.equal(readAnnotations(join(ANNOTATION_DIR, 'aura_edge_tuh_empty.tse_bi')).events.length, 0);
    assert.throws(
      () => readAnnotations(join(ANNOTATION_DIR, 'aura_variant_PAT_0_Annotations_EEG_0.tse_bi')),
      (e: unknown) => e instanceof InputError && /unexpected header "annotator = TEST"/.test(e.message),
    );
  });
  test('lbl v1.5: montage block, symbol table, per-channel labels', () => {
    const a = readAnnotations(join(ANNOTATION_DIR, 'nedc_print_labels_test.lbl'));
    assert.equal(a.events.length, 22);
    assert.equal(a.events[0].label, 'bckg');
    assert.equal(a.events[0].channel, 'FP1-F7');
    assert.equal(a.events[0].stopSec, 1286);
  });
  test('.lbl text has the 22-line TCP montage block the TUSZ v1.5 AAREADME describes', () => {
    assert.equal(
      readFileSync(join(ANNOTATION_DIR, 'nedc_print_labels_test.lbl'), 'utf8').match(/^montage =/gm)?.length,
      22,
    );
  });
});

describe('labels and timeline', () => {
  const csv = (rows: string) =>
    `# version = csv_v1.0.0\n# duration = 100.00 secs\n#\nchannel,start_time,stop_time,label,confidence\n${rows}`;
  test('seizure subtypes map to seiz, channel-based events are merged across channels', () => {
    const a = parseCsvAnnotations(
      csv('FP1-F7,10.0,40.0,cpsz,1.0\nF7-T3,35.0,50.0,fnsz,1.0\nFP1-F7,60.0,70.0,gnsz,1.0\n'),
      'x.csv',
    );
    assert.deepEqual(labelTimeline(a, 100), [
      { startSec: 0, stopSec: 10, label: 'bckg' },
      { startSec: 10, stopSec: 50, label: 'seiz' },
      { startSec: 50, stopSec: 60, label: 'bckg' },
      { startSec: 60, stopSec: 70, label: 'seiz' },
      { startSec: 70, stopSec: 100, label: 'bckg' },
    ]);
  });
  test('unknown labels are an input error naming the file and label', () => {
    const a = parseCsvAnnotations(csv('TERM,1.0,2.0,zzzz,1.0\n'), 'x.csv_bi');
    assert.throws(() => labelTimeline(a, 100), /x\.csv_bi: event at 1 s: unknown label "zzzz"/);
  });
  test('an annotation past the end of the recording is an input error', () => {
    const a = parseTseAnnotations(
      'version = tse_v1.0.0\n\n0.0 10.0 bckg 1.0\n10.0 130.0 seiz 1.0\n',
      'y.tse_bi',
    );
    assert.throws(
      () => labelTimeline(a, 100),
      /y\.tse_bi: event "seiz" 10–130 s ends past the end of the recording \(100 s\)/,
    );
    assert.throws(
      () => labelTimeline(parseCsvAnnotations(csv(''), 'z.csv_bi'), 2),
      /lasts 100 s but the EDF has 2 s/,
    );
  });
  test('malformed rows are input errors with the line number', () => {
    assert.throws(
      () => parseCsvAnnotations(csv('TERM,abc,2.0,seiz,1.0\n'), 'x.csv'),
      /line 5: "abc" is not a number/,
    );
    assert.throws(() => parseCsvAnnotations('a,b\n', 'x.csv'), /expected the column header/);
    assert.throws(
      () => parseTseAnnotations('version = tse_v1.0.0\n5 3 seiz 1\n', 'x.tse'),
      /empty or negative/,
    );
  });
  test('segments: stretches longer than 15 s, non-overlapping 10-s windows from the stretch start', () => {
    const w = segmentWindows([
      { startSec: 0, stopSec: 15, label: 'bckg' },
      { startSec: 15, stopSec: 45.5, label: 'seiz' },
      { startSec: 45.5, stopSec: 61, label: 'bckg' },
    ]);
    assert.deepEqual(w, [
      { startSec: 15, stopSec: 25, label: 'seiz' },
      { startSec: 25, stopSec: 35, label: 'seiz' },
      { startSec: 35, stopSec: 45, label: 'seiz' },
      { startSec: 45.5, stopSec: 55.5, label: 'bckg' },
    ]);
  });
});
