import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineBudget, tunePipeline } from '../src/tune-pipeline.ts';
import { writeBlobs } from './fixtures/blobs.ts';
import { tempDir } from './helpers.ts';

test('pipelineBudget: paper → full, demo and ci → demo, anything else refused', () => {
  assert.deepEqual(
    ['demo', 'ci', 'paper'].map((p) => pipelineBudget(p)),
    ['demo', 'demo', 'full'],
  );
  assert.throws(() => pipelineBudget('fast'), { message: 'profile "fast" is not one of: demo, ci, paper' });
});

test('tunePipeline: both protocols per corpus with splits, two at a time, all under tune/', async () => {
  const root = tempDir('pipeline');
  writeBlobs(join(root, 'imld-gen', 'ds10'), 120);
  const summary = await tunePipeline({
    dataDir: root,
    budget: 'demo',
    seed: 1,
    jobs: 2,
    corpora: ['ds10', 'tudp'],
  });
  assert.deepEqual(summary.failed, []);
  assert.deepEqual(summary.tuned, ['ds10/ours', 'ds10/keras-tuner']);
  assert.deepEqual(summary.skipped, [{ corpus: 'tudp', reason: 'no features or imld-gen output' }]);
  for (const protocol of ['ours', 'keras-tuner']) {
    const dir = join(root, 'tune', 'ds10', protocol);
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as { system: string };
    const best = JSON.parse(readFileSync(join(dir, 'best.json'), 'utf8')) as {
      workers: number;
      budget: { trials: number };
    };
    assert.equal(metrics.system, `mlp-a-${protocol}`);
    assert.deepEqual([best.workers, best.budget.trials], [1, 8]);
  }
  assert.equal(existsSync(join(root, 'train')), false, 'tune writes nothing under train/');
  await assert.rejects(tunePipeline({ dataDir: root, budget: 'demo', seed: 1, jobs: 0 }), {
    message: 'jobs 0 must be ≥ 1',
  });
});
