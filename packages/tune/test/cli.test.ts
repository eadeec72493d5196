import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BestJson } from '../src/outputs.ts';
import { writeBlobs } from './fixtures/blobs.ts';
import { errorOfSavedModel } from './saved-model-error.ts';
import { tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../bin/tune.js', import.meta.url));
const tune = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CORPUS_TUNE_DATA: tempDir('data') },
  });

test(
  'tune run --data DIR --study-dir STUDY trains real MLPs, ' +
    'continues the study on rerun; status and best read it',
  async () => {
    const data = tempDir('blobs');
    // eval is 3:1 class 1 (train and dev balanced), so dev and eval errors differ even at chance.
    writeBlobs(data, 300, undefined, (split, row) => (split === 'eval' ? Number(row % 4 !== 0) : row % 2));
    const study = join(tempDir('cli'), 'study');
    const common = [
      '--data',
      data,
      '--space',
      'mlp',
      '--sampler',
      'tpe',
      '--study-dir',
      study,
      '--protocol',
      'keras-tuner',
      '--max-epochs',
      '1',
      '--max-train-rows',
      '200',
      '--backend',
      'cpu',
    ];
    const first = tune(['run', ...common, '--trials', '2']);
    assert.equal(first.status, 0, first.stderr);
    assert.match(
      first.stderr,
      /tune run: .*keras-tuner: 2 trials, chose trial \d \(best-dev, dev [\d.]+ %, eval [\d.]+ %\)/,
    );
    const second = tune(['run', ...common, '--trials', '3']);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /3 trials/);
    const journal = readFileSync(join(study, 'journal.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { op_code: number });
    assert.equal(journal.filter((op) => op.op_code === 4).length, 3, 'trials 0 and 1 were not rerun');
    const metrics = JSON.parse(readFileSync(join(study, 'metrics.json'), 'utf8')) as {
      system: string;
      protocol: string;
      errors: Record<'dev' | 'eval', { rate: number; n: number }>;
    };
    assert.equal(metrics.system, 'mlp-a-keras-tuner');
    assert.ok(existsSync(join(study, 'trials.json')) && existsSync(join(study, 'best.json')));
    const chosen = (JSON.parse(readFileSync(join(study, 'best.json'), 'utf8')) as BestJson).selection;
    // keras-tuner keeps the winning trial at its best dev epoch: the reloaded model has that trial's
    // recorded dev error, and its eval error (counted here from its predictions) is the one reported.
    assert.ok(
      Math.abs(metrics.errors.dev.rate - chosen.devError) < 1e-9,
      `${metrics.errors.dev.rate} vs ${chosen.devError}`,
    );
    const modelDir = join(study, 'checkpoints', `trial-${chosen.trial}`, 'model');
    const evalError = await errorOfSavedModel(modelDir, join(data, 'eval.arrow'));
    assert.ok(
      Math.abs(metrics.errors.eval.rate - evalError) < 1e-9,
      `${metrics.errors.eval.rate} vs ${evalError}`,
    );
    assert.equal(metrics.errors.eval.n, 300);
    const status = tune(['status', '--study-dir', study]);
    assert.equal(status.status, 0, status.stderr);
    assert.equal(status.stdout.trim().split('\n').length, 1 + 3);
    const best = tune(['best', '--study-dir', study]);
    assert.equal(best.status, 0, best.stderr);
    assert.equal((JSON.parse(best.stdout) as { rule: string }).rule, 'best-dev');
  },
);

test('CLI input errors are one line naming the file', () => {
  const bad = tune(['run', '--data', '/nonexistent/dir', '--study-dir', join(tempDir('x'), 's')]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^tune: error: \/nonexistent\/dir\/train\.arrow: missing split file\n$/);
  const badSpace = tune(['run', '--corpus', 'ds10', '--space', '/nonexistent/space.json']);
  assert.equal(badSpace.status, 1);
  assert.match(badSpace.stderr, /\/nonexistent\/space\.json: cannot read space file/);
});
