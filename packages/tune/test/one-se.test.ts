import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseOneSe, meanAndSe } from '../src/one-se.ts';

test('mean and standard error by hand', () => {
  // xs = 0.30, 0.32, 0.34: mean 0.32, sample sd 0.02, se 0.02/√3.
  const { mean, se } = meanAndSe([0.3, 0.32, 0.34]);
  assert.ok(Math.abs(mean - 0.32) < 1e-12);
  assert.ok(Math.abs(se - 0.02 / Math.sqrt(3)) < 1e-12);
  assert.deepEqual(meanAndSe([0.4]), { mean: 0.4, se: 0 });
});

test('one-SE rule picks the simplest model within one standard error of the best mean', () => {
  // A: best mean 0.300, runs 0.28, 0.30, 0.32: sd 0.02, se 0.02/√3 ≈ 0.01155 → threshold ≈ 0.3115.
  // B: mean 0.305 (inside), 900 parameters. C: mean 0.309 (inside), 2,000 parameters.
  // D: mean 0.320 (outside) but the smallest (100 parameters).
  const choice = chooseOneSe([
    { key: 1, complexity: 5000, devErrors: [0.28, 0.3, 0.32] },
    { key: 2, complexity: 900, devErrors: [0.3, 0.305, 0.31] },
    { key: 3, complexity: 2000, devErrors: [0.309, 0.309, 0.309] },
    { key: 4, complexity: 100, devErrors: [0.32, 0.32, 0.32] },
  ]);
  assert.equal(choice.best.key, 1);
  assert.ok(Math.abs(choice.threshold - (0.3 + 0.02 / Math.sqrt(3))) < 1e-12);
  assert.equal(choice.chosen.key, 2);
  assert.deepEqual(
    choice.rows.map((r) => r.withinOneSe),
    [true, true, true, false],
  );
});

test('one-SE: complexity ties go to the lower mean; a lone candidate wins; no data is an error', () => {
  const tie = chooseOneSe([
    { key: 'a', complexity: 10, devErrors: [0.2, 0.3] },
    { key: 'b', complexity: 10, devErrors: [0.21, 0.22] },
  ]);
  // Best mean is b (0.215, se 0.005) → threshold 0.22; a (mean 0.25) is outside, so b despite the tie.
  assert.equal(tie.best.key, 'b');
  assert.equal(tie.chosen.key, 'b');
  assert.equal(chooseOneSe([{ key: 7, complexity: 1, devErrors: [0.5] }]).chosen.key, 7);
  assert.throws(() => chooseOneSe([{ key: 1, complexity: 1, devErrors: [] }]), /no candidate/);
});
