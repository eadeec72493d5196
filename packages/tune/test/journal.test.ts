import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@corpus-tune/core';
import { Journal, ops } from '../src/journal.ts';
import { randomSampler } from '../src/samplers/random.ts';
import { runStudy } from '../src/study.ts';
import { TrialFailure } from '../src/errors.ts';
import { MIXED_SPACE, mixedObjective, tempDir } from './helpers.ts';

const PYTHON = '/usr/bin/python3';
const optunaMissing =
  !existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import optuna'], { encoding: 'utf8' }).status !== 0;

test('a torn last line is skipped and cut before the next append; a torn middle line is an error naming the file', async () => {
  const dir = tempDir('journal');
  const path = join(dir, 'journal.log');
  const j = new Journal(path);
  await j.append([ops.createStudy('s')]);
  await j.append([ops.createTrial(0)]);
  // A writer killed mid-append leaves half a line.
  appendFileSync(path, '{"op_code": 4, "worker_id": "x", "stu');
  const reader = new Journal(path);
  assert.equal((await reader.sync()).trialsOf(0).length, 1);
  await reader.append([ops.createTrial(0)]);
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 3);
  assert.ok(lines.every((l) => JSON.parse(l)));
  assert.equal((await new Journal(path).sync()).trialsOf(0).length, 2);
  // Corruption in the middle is not silently skipped.
  writeFileSync(path, `${lines[0]}\n{"op_code": 4, "wor\n${lines[1]}\n`);
  await assert.rejects(
    () => new Journal(path).sync(),
    (e: unknown) => e instanceof InputError && e.message.startsWith(`${path}: line 2 is not valid JSON`),
  );
});

test('the journal replays what was written: states, params, values, reasons', async () => {
  const dir = tempDir('replay');
  const result = await runStudy(
    {
      run: async (t) => {
        if (t.number % 4 === 3) throw new TrialFailure('shape', `impossible shape in trial ${t.number}`);
        return { value: mixedObjective(t.params), attrs: { devError: mixedObjective(t.params) } };
      },
    },
    { studyDir: dir, space: MIXED_SPACE, sampler: randomSampler(2), seed: 2, nTrials: 8 },
  );
  const replayed = (await new Journal(join(dir, 'journal.log')).sync()).trialsOf(0);
  assert.deepEqual(replayed, result.trials);
  assert.deepEqual(
    replayed.map((t) => t.state),
    ['COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE', 'COMPLETE', 'FAIL'],
  );
  assert.equal(replayed[3].userAttrs.reason, 'shape: impossible shape in trial 3');
  for (const t of replayed.filter((x) => x.state === 'COMPLETE'))
    assert.equal(t.value, mixedObjective(t.params));
});

test(
  'Optuna (Debian python3-optuna) loads our journal and finds the same trials, params, values and states',
  { skip: optunaMissing ? 'python3-optuna absent under /usr/bin/python3' : false },
  async () => {
    const dir = tempDir('optuna');
    const space = {
      ...MIXED_SPACE,
      manual: {
        layers: 2,
        units_0: 32,
        units_1: 16,
        activation: 'tanh',
        use_dropout: true,
        dropout: 0.2,
        lr: 0.003,
        momentum: 0.5,
        batch: 64,
        loss: 'xent',
      },
    };
    const result = await runStudy(
      {
        run: async (t) => {
          if (t.params.activation === 'sigmoid') throw new Error('sigmoid exploded');
          await t.report(1, 0.9);
          await t.report(2, 0.8);
          return { value: mixedObjective(t.params), attrs: { devError: mixedObjective(t.params) } };
        },
      },
      { studyDir: dir, space, sampler: randomSampler(11), seed: 11, nTrials: 10 },
    );
    const script = `
import json, sys, warnings
warnings.filterwarnings('ignore')
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
study = optuna.load_study(study_name='tune', storage=storage)
print(json.dumps([{'number': t.number, 'state': t.state.name, 'params': t.params, 'value': t.value,
  'reason': t.user_attrs.get('reason'), 'intermediate': {str(k): v for k, v in t.intermediate_values.items()},
  'fixed': t.system_attrs.get('fixed_params')} for t in study.trials]))
`;
    const r = spawnSync(PYTHON, ['-c', script, join(dir, 'journal.log')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const fromOptuna = JSON.parse(r.stdout) as {
      number: number;
      state: string;
      params: Record<string, unknown>;
      value: number | null;
      reason: string | null;
      intermediate: Record<string, number>;
      fixed: unknown;
    }[];
    assert.equal(fromOptuna.length, result.trials.length);
    for (const [i, t] of result.trials.entries()) {
      const o = fromOptuna[i];
      assert.equal(o.number, t.number);
      assert.equal(o.state, t.state);
      assert.deepEqual(o.params, t.params);
      assert.equal(o.value, t.value);
      assert.equal(o.reason, t.userAttrs.reason ?? null);
      if (t.state === 'COMPLETE') assert.deepEqual(o.intermediate, { 1: 0.9, 2: 0.8 });
    }
    // Trial 0 is the manual configuration, enqueued as Optuna's enqueue_trial does.
    assert.deepEqual(fromOptuna[0].fixed, space.manual);
    assert.deepEqual(fromOptuna[0].params, space.manual);
    assert.ok(
      fromOptuna.some((o) => o.state === 'FAIL' && o.reason === 'exception: sigmoid exploded') ||
        !result.trials.some((t) => t.params.activation === 'sigmoid'),
    );
  },
);
