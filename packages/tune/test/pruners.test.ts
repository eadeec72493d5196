import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ashaPruner } from '../src/pruners/asha.ts';
import { hyperbandPruner } from '../src/pruners/hyperband.ts';
import { randomSampler } from '../src/samplers/random.ts';
import { runStudy } from '../src/study.ts';
import type { FrozenTrial } from '../src/trial.ts';
import { MIXED_SPACE, tempDir } from './helpers.ts';

function trial(id: number, curve: number[], systemAttrs: Record<string, number> = {}): FrozenTrial {
  return {
    id,
    number: id,
    state: 'RUNNING',
    params: {},
    distributions: {},
    value: null,
    intermediate: new Map(curve.map((v, i) => [i + 1, v])),
    userAttrs: {},
    systemAttrs,
    datetimeStart: null,
    datetimeComplete: null,
  };
}

test('ASHA: at each rung only the best 1/η continue (η = 3, rungs at 1, 3, 9 epochs)', () => {
  const asha = ashaPruner({ minResource: 1, reductionFactor: 3 });
  // Six trials recorded rung 0 (epoch 1) values 0.1 … 0.6.
  const others = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6].map((v, i) => trial(i, [v], { completed_rung_0: v }));
  // With 7 values at rung 0, floor(7/3) − 1 = 1 → a trial must be ≤ the 2nd smallest value.
  assert.equal(asha.prune(trial(10, [0.15]), others).prune, false);
  assert.equal(asha.prune(trial(11, [0.25]), others).prune, true);
  assert.deepEqual(asha.prune(trial(12, [0.35]), others).systemAttrs, { completed_rung_0: 0.35 });
  // Between rungs nothing is decided.
  assert.equal(asha.prune(trial(13, [0.15, 0.9], { completed_rung_0: 0.15 }), others).prune, false);
  // Fewer than η values at a rung decide nothing (Optuna would prune the 2nd trial unless it beat the 1st).
  assert.equal(asha.prune(trial(15, [0.9]), [trial(0, [0.1], { completed_rung_0: 0.1 })]).prune, false);
  // NaN at a rung is pruned.
  assert.equal(asha.prune(trial(14, [NaN]), others).prune, true);
});

test('Hyperband: brackets stop trials at different rungs, and a study with it completes', async () => {
  const hb = hyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
  const curve = (quality: number): number[] => Array.from({ length: 9 }, (_, e) => quality + 1 / (e + 1));
  const result = await runStudy(
    {
      async run(t) {
        const q = Number(t.params.momentum);
        for (let epoch = 1; epoch <= 9; epoch++) await t.report(epoch, curve(q)[epoch - 1]);
        return { value: q };
      },
    },
    {
      studyDir: tempDir('hb'),
      space: MIXED_SPACE,
      sampler: randomSampler(4),
      seed: 4,
      nTrials: 30,
      pruner: hb,
    },
  );
  const pruned = result.trials.filter((t) => t.state === 'PRUNED');
  const complete = result.trials.filter((t) => t.state === 'COMPLETE');
  assert.ok(pruned.length > 0 && complete.length > 0);
  // Pruned trials stopped at a rung (1, 3 or 9 epochs … a rung of some bracket), never between rungs.
  for (const t of pruned)
    assert.ok(
      [1, 3, 9].includes(Math.max(...t.intermediate.keys())),
      `trial ${t.number} stopped at ${Math.max(...t.intermediate.keys())}`,
    );
  // Survivors are better on average than the pruned (the pruner kept good trials).
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(
    mean(complete.map((t) => Number(t.params.momentum))) < mean(pruned.map((t) => Number(t.params.momentum))),
  );
});
