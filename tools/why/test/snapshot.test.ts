// The diff and the "why it last ran" bookkeeping, on hand-made snapshots (no Nx).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffSnapshots, parseTask, snapshotPath, writeSnapshot, type Snapshot } from '../snapshot.ts';

function snap(over: Partial<Snapshot> = {}): Snapshot {
  return {
    version: 1,
    task: 'features:prepare',
    configuration: null,
    recordedAt: '2020-01-01T00:00:00.000Z',
    runId: null,
    options: { executor: 'e', 'options.command': 'c1', 'configurations.ci': 'k' },
    env: { CORPUS_TUNE_PROFILE: 'demo', CORPUS_TUNE_DATA: null, NX_CLOUD_ENCRYPTION_KEY: 'sha256:aa' },
    envSetByTarget: ['CORPUS_TUNE_PROFILE'],
    runtime: { 'node fp.js': 'r1' },
    external: { AllExternalDependencies: 'x1', 'npm:sharp': '0.35.5' },
    files: { 'a.ts': '1', 'b.ts': '2' },
    lastRunChanges: null,
    ...over,
  };
}

test('diffSnapshots names every kind of change, one line each, files last and sorted', () => {
  assert.deepEqual(diffSnapshots(snap(), snap()), []);
  const after = snap({
    configuration: 'ci',
    options: { executor: 'e', 'options.command': 'c2', 'options.args': 'a' },
    env: { CORPUS_TUNE_PROFILE: 'ci', CORPUS_TUNE_DATA: '/d', NX_CLOUD_ENCRYPTION_KEY: 'sha256:bb' },
    runtime: { 'node fp.js': 'r2' },
    external: { AllExternalDependencies: 'x2', 'npm:sharp': '0.36.0' },
    files: { 'c.ts': '3', 'a.ts': '9' },
  });
  assert.deepEqual(diffSnapshots(snap(), after), [
    'configuration (default) → ci',
    'option options.command changed',
    'option options.args added',
    'option configurations.ci removed',
    'env CORPUS_TUNE_PROFILE: "demo" → "ci" (set by the target)',
    'env CORPUS_TUNE_DATA: (unset) → "/d"',
    'env NX_CLOUD_ENCRYPTION_KEY: (hidden) → (hidden)',
    'runtime input `node fp.js` printed something else',
    'external dependencies changed (package-lock.json)',
    'dependency npm:sharp 0.35.5 → 0.36.0',
    'changed  a.ts',
    'removed  b.ts',
    'added    c.ts',
  ]);
});

test('writeSnapshot keeps why the task last ran across the several CLIs of one run', () => {
  const root = mkdtempSync(join(tmpdir(), 'why-snap-'));
  try {
    const path = snapshotPath(root, 'features', 'prepare');
    assert.equal(path, join(root, '.nx', 'why', 'features__prepare.json'));
    assert.equal(writeSnapshot(root, snap({ runId: 'h1@1' })).lastRunChanges, null, 'first record');
    const changed = snap({ runId: 'h2@2', files: { 'a.ts': '1', 'b.ts': '3' } });
    assert.deepEqual(writeSnapshot(root, changed).lastRunChanges, ['changed  b.ts']);
    // the second CLI of the same task run (train all && tune pipeline): same runId, same reason
    assert.deepEqual(writeSnapshot(root, { ...changed }).lastRunChanges, ['changed  b.ts']);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')).lastRunChanges, ['changed  b.ts']);
    // a later run with the same inputs (--skip-nx-cache): nothing to blame
    assert.deepEqual(writeSnapshot(root, { ...changed, runId: 'h2@3' }).lastRunChanges, []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('parseTask takes PROJECT:TARGET[:CONFIGURATION] only', () => {
  assert.deepEqual(parseTask('features:prepare'), { project: 'features', target: 'prepare' });
  assert.deepEqual(parseTask('features:prepare:ci'), {
    project: 'features',
    target: 'prepare',
    configuration: 'ci',
  });
  for (const bad of ['features', 'features:', ':prepare', 'a:b:c:d'])
    assert.throws(() => parseTask(bad), /is not/);
});
