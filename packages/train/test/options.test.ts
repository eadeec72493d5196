import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '@corpus-tune/core';
import {
  DEFAULT_FIT_OPTIONS,
  resolveBaselineOptions,
  resolveBaselinesOptions,
  resolveFitOptions,
  resolveTrainSystemOptions,
} from '../src/options.ts';

test('resolveFitOptions: defaults fill what is absent or undefined; the result is frozen', () => {
  const o = resolveFitOptions({ seed: 7, epochs: undefined });
  assert.equal(o.seed, 7);
  assert.equal(o.epochs, null, 'undefined falls back to the default (the config decides)');
  assert.equal(o.innerValFraction, 0.1);
  assert.equal(o.patienceEpochs, 3);
  assert.ok(Object.isFrozen(o) && Object.isFrozen(DEFAULT_FIT_OPTIONS));
  assert.throws(() => {
    (o as { seed: number }).seed = 2;
  }, TypeError);
});

test('resolve…Options reject bad values with a message naming the option', () => {
  const cases: [string, () => unknown, RegExp][] = [
    [
      'inner fraction 1',
      () => resolveFitOptions({ innerValFraction: 1 }),
      /^innerValFraction 1 must be in \(0, 1\)$/,
    ],
    ['negative seed', () => resolveFitOptions({ seed: -1 }), /^seed -1 must be ≥ 0$/],
    ['fractional epochs', () => resolveFitOptions({ epochs: 2.5 }), /^epochs must be an integer, got 2\.5$/],
    ['no trees', () => resolveBaselineOptions({ trees: 0 }), /^trees 0 must be ≥ 1$/],
    [
      'empty k list',
      () => resolveBaselineOptions({ kCandidates: [] }),
      /kCandidates must name at least one k/,
    ],
    [
      'unknown backend',
      () =>
        resolveTrainSystemOptions({
          corpus: 'ds10',
          system: 'mlp-m1',
          featuresDir: 'f',
          outDir: 'o',
          backend: 'gpu' as never,
        }),
      /^backend "gpu" is not one of: auto, /,
    ],
    [
      'unknown budget',
      () => resolveBaselinesOptions({ corpus: 'ds10', dataDir: 'd', budget: 'tiny' as never }),
      /^budget "tiny" is not one of: full, demo$/,
    ],
  ];
  for (const [name, call, message] of cases) {
    assert.throws(call, (error: unknown) => error instanceof InputError && message.test(error.message), name);
  }
});
