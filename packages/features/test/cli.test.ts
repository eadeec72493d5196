import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDataRoot, writeImld, writeTudp } from './fixtures.ts';

const BIN = fileURLToPath(new URL('../bin/features.js', import.meta.url));

function features(root: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CORPUS_TUNE_DATA: root },
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

test('features prepare logs progress on stderr and ends with a one-line summary', async () => {
  const root = tempDataRoot();
  writeImld(root, 'ds10', 1);
  await writeTudp(root, 32, { train: 3, dev: 1, eval: 1 });
  const run = features(root, 'prepare', '--patch-size', '32');
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stderr.trim().split('\n');
  assert.ok(lines.some((l) => /^features ds08: skipped: no producer output/.test(l)));
  assert.match(
    lines[lines.length - 1],
    /^features prepare: ds08 skipped, ds09 skipped, ds10 written \(200\/50\/50 rows\), tudp written \(3\/1\/1 rows\), tusz skipped → .*features in [0-9.]+s$/,
  );
  const preview = features(root, 'preview', '--n', '2');
  assert.equal(preview.status, 0, preview.stderr);
  assert.match(
    preview.stderr.trim(),
    /^features preview: 2 patches \(original \| augmented\), \d+×\d+ px → .*preview\.png in [0-9.]+s$/,
  );
  assert.ok(existsSync(join(root, 'features', 'tudp', 'preview.png')));
});

test('a bad flag exits 1 with one line', () => {
  const bad = features(tempDataRoot(), 'prepare', '--eeg-kind', 'mfcc');
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, 'features: error: eeg kind "mfcc" is not one of: raw, spectral\n');
});
