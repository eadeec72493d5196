import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TooManyFailures, TrialFailure } from '../src/errors.ts';
import { randomSampler } from '../src/samplers/random.ts';
import { tpeSampler } from '../src/samplers/tpe.ts';
import { evolutionarySampler } from '../src/samplers/evolutionary.ts';
import { runStudy } from '../src/study.ts';
import type { Objective } from '../src/objective.ts';
import type { Sampler } from '../src/samplers/sampler.ts';
import { MIXED_SPACE, mixedObjective, tempDir } from './helpers.ts';

/** Crashes like the poster's bad combinations: a choice that always throws, NaN, OOM, impossible shapes. */
const crashing: Objective = {
  async run(t) {
    const p = t.params;
    if (p.activation === 'sigmoid') throw new Error('Tensor is disposed (sigmoid path crashed)');
    if (Number(p.lr) > 0.05) {
      await t.report(1, NaN); // diverged: a NaN validation value
    }
    if (p.layers === 3 && Number(p.units_2) > 56) throw new RangeError('Array buffer allocation failed');
    if (p.layers === 3 && Number(p.units_0) === 8)
      throw new TrialFailure('shape', 'pooling leaves a negative size');
    return { value: mixedObjective(p) };
  },
};

for (const [name, make] of [
  ['random', (s: number) => randomSampler(s)],
  ['evolutionary', (s: number) => evolutionarySampler(s)],
  ['tpe', (s: number) => tpeSampler(s)],
] as [string, (s: number) => Sampler][]) {
  test(
    `${name}: a space with crashing combinations completes; ` +
      'failures are recorded with reasons and avoided',
    async () => {
      const result = await runStudy(crashing, {
        studyDir: tempDir(`crash-${name}`),
        space: MIXED_SPACE,
        sampler: make(5),
        seed: 5,
        nTrials: 40,
        maxConsecutiveFailures: 40,
      });
      assert.equal(result.trials.length, 40);
      const failed = result.trials.filter((t) => t.state === 'FAIL');
      const done = result.trials.filter((t) => t.state === 'COMPLETE');
      assert.ok(failed.length > 0 && done.length > 0);
      for (const t of failed) {
        const reason = String(t.userAttrs.reason);
        const expected =
          t.params.activation === 'sigmoid'
            ? 'exception: Tensor is disposed (sigmoid path crashed)'
            : Number(t.params.lr) > 0.05
              ? 'nan: validation value NaN at epoch 1'
              : Number(t.params.units_2) > 56
                ? 'oom: Array buffer allocation failed'
                : 'shape: pooling leaves a negative size';
        assert.equal(reason, expected, `trial ${t.number}`);
      }
      // Fed back: once sigmoid has failed twice (and never worked) it is not proposed again.
      const sigmoidFails = failed.filter((t) => t.params.activation === 'sigmoid').map((t) => t.number);
      if (sigmoidFails.length >= 2) {
        const afterSecond = result.trials.filter((t) => t.number > sigmoidFails[1]);
        assert.equal(afterSecond.filter((t) => t.params.activation === 'sigmoid').length, 0);
      }
      assert.ok(sigmoidFails.length <= 2, `${name} proposed sigmoid ${sigmoidFails.length} times`);
    },
  );
}

test('the cap on consecutive failures stops a hopeless search with the last reason', async () => {
  const dir = tempDir('cap');
  let runs = 0;
  const hopeless: Objective = {
    async run() {
      runs++;
      throw new Error('CUDA_ERROR_OUT_OF_MEMORY');
    },
  };
  await assert.rejects(
    runStudy(hopeless, {
      studyDir: dir,
      space: MIXED_SPACE,
      sampler: randomSampler(1),
      seed: 1,
      nTrials: 50,
      maxConsecutiveFailures: 4,
    }),
    (e: unknown) =>
      e instanceof TooManyFailures &&
      /4 consecutive trials failed \(last: oom: CUDA_ERROR_OUT_OF_MEMORY\)/.test(e.message),
  );
  assert.equal(runs, 4);
});
