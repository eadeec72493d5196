import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Journal } from '../src/journal.ts';
import { tempDir } from './helpers.ts';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));

test('a journal written by Optuna 3.1 itself replays to what Optuna reads (tools/golden/tune_optuna_journal.py)', async () => {
  const expected = JSON.parse(readFileSync(join(GOLDEN, 'optuna-3.1-trials.json'), 'utf8')) as {
    number: number;
    state: string;
    params: Record<string, unknown>;
    value: number | null;
    intermediate: Record<string, number>;
    userAttrs: Record<string, unknown>;
  }[];
  // Copy: the reader creates the file if missing and must never write to the golden one.
  const path = join(tempDir('golden'), 'journal.log');
  copyFileSync(join(GOLDEN, 'optuna-3.1-journal.log'), path);
  const state = await new Journal(path).sync();
  const study = state.studyByName('tune');
  assert.ok(study);
  const trials = state.trialsOf(study.id);
  assert.equal(trials.length, expected.length);
  for (const [i, t] of trials.entries()) {
    const e = expected[i];
    assert.equal(t.number, e.number);
    assert.equal(t.state, e.state);
    assert.deepEqual(t.params, e.params);
    assert.equal(t.value, e.value);
    assert.deepEqual(Object.fromEntries([...t.intermediate].map(([k, v]) => [String(k), v])), e.intermediate);
    assert.deepEqual(t.userAttrs, e.userAttrs);
  }
  assert.deepEqual(trials[0].systemAttrs.fixed_params, trials[0].params);
});
