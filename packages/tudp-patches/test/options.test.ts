import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InputError } from '@corpus-tune/core';
import { DEMO_COUNTS, FULL_COUNTS, corpusRootOf, resolvePrepareOptions } from '../src/options.ts';

test('resolvePrepareOptions: one place decides the corpus folder and the counts', () => {
  const demo = resolvePrepareOptions({ outDir: '/o' });
  assert.equal(corpusRootOf(demo), join('/o', 'demo-corpus'), 'demo corpus beside the outputs by default');
  assert.deepEqual(demo.counts, DEMO_COUNTS);
  assert.deepEqual([demo.tiler.patchSizePx, demo.tiler.mpp], [128, 2], 'the demo cuts 128 px at 2 µm/px');
  const given = resolvePrepareOptions({ outDir: '/o', demoRoot: '/d', counts: { dev: 5 } as never });
  assert.equal(corpusRootOf(given), '/d');
  assert.deepEqual(given.counts, { ...DEMO_COUNTS, dev: 5 });
  const real = resolvePrepareOptions({ outDir: '/o', root: '/tudp', demoRoot: '/d', seed: undefined });
  assert.equal(corpusRootOf(real), '/tudp');
  assert.deepEqual(real.counts, FULL_COUNTS);
  assert.deepEqual([real.tiler.patchSizePx, real.tiler.mpp], [512, 0.5], 'the poster: 512 px at 0.5 µm/px');
  assert.equal(real.seed, 1, 'undefined falls back to the default');
  assert.ok(Object.isFrozen(real) && Object.isFrozen(real.tiler) && Object.isFrozen(real.ignoreLabels));
});

test('resolvePrepareOptions rejects bad values naming the option', () => {
  const cases: [Parameters<typeof resolvePrepareOptions>[0], RegExp][] = [
    [{ outDir: 'o', concurrency: 0 }, /^concurrency 0 must be ≥ 1$/],
    [
      { outDir: 'o', backend: 'vips' as never },
      /^backend "vips" is not one of: auto, openslide, sharp-tiff$/,
    ],
    [{ outDir: 'o', shard: { index: 2, count: 2 } }, /^--shard 2\/2: need 0 ≤ I < N$/],
    [
      { outDir: 'o', tiler: { minLabelFraction: 0.5 } as never },
      /^minLabelFraction 0\.5 must be in \(0\.5, 1\]/,
    ],
  ];
  for (const [input, message] of cases)
    assert.throws(
      () => resolvePrepareOptions(input),
      (e: unknown) => e instanceof InputError && message.test(e.message),
    );
});
