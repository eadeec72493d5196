import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { encodeEdf } from '../src/edf-writer.ts';
import { EDF_DIR, NEED_SHARED } from './helpers.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'tusz-segments.js');
/** Runs the CLI asynchronously, so the three cases (each pays tsx's start-up) run side by side. */
function run(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('tusz-segments CLI', { concurrency: true }, () => {
  test('inspect --json prints the documented summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tusz-cli-'));
    const path = join(dir, 'x.edf');
    writeFileSync(
      path,
      encodeEdf(
        [
          {
            label: 'EEG FP1-REF',
            sampleRateHz: 4,
            physicalMin: -10,
            physicalMax: 10,
            samples: new Float64Array(8),
          },
        ],
        { edfPlusAnnotations: [{ onsetSec: 0.5, durationSec: 1, text: 'spike' }] },
      ),
    );
    const r = await run('inspect', path, '--json');
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(s).slice(0, 7), [
      'format',
      'signals',
      'records',
      'recordDurationSec',
      'durationSec',
      'annotations',
      'startDateTime',
    ]);
    assert.deepEqual(s.signals[0], {
      label: 'EEG FP1-REF',
      sampleRateHz: 4,
      physicalDimension: 'uV',
      physicalMin: -10,
      physicalMax: 10,
    });
    assert.equal(s.signals[1].label, 'EDF Annotations');
    assert.deepEqual(s.annotations, [{ onsetSec: 0.5, durationSec: 1, text: 'spike' }]);
    assert.deepEqual([s.format, s.records, s.recordDurationSec, s.durationSec], ['EDF+C', 2, 1, 2]);
  });

  test('an unreadable file exits 1 with one line naming the file and the problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tusz-cli-'));
    const path = join(dir, 'bad.edf');
    writeFileSync(path, 'not an edf at all'.repeat(20));
    const r = await run('inspect', path, '--json');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(
      r.stderr,
      new RegExp(`^tusz-segments: error: ${path}: not an EDF file: version field is "not an e"`),
    );
  });

  test('inspect on a real TUH file', { skip: NEED_SHARED }, async () => {
    const r = await run('inspect', join(EDF_DIR, 'tuh_00009578_s002_t001.edf'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.durationSec, 17);
    assert.equal(s.signals.find((x: { label: string }) => x.label === 'EEG FP1-REF').sampleRateHz, 250);
  });
});
