// Contract parsing, the EEG band and the surface panels, each on tiny inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellVerdict, verdictText } from '../src/verdict.ts';
import sharp from 'sharp';
import { InputError } from '@corpus-tune/core';
import {
  bayesClassifierOf,
  bayesPixels,
  effectiveEegBand,
  labelWithProtocol,
  loadPosterResults,
  parseBayes,
  parseMetrics,
  parseTrials,
  surfacePanelPng,
} from '../src/index.ts';
import { TWO_GAUSSIANS_RECIPE } from './fixtures.ts';

const poster = loadPosterResults();

test('metrics.json without corpus/system or without any error rate is an InputError naming the file', () => {
  assert.throws(
    () => parseMetrics({ corpus: 'ds10' }, 'm.json'),
    (e: unknown) => e instanceof InputError && /^m\.json: .*"system"/.test(e.message),
  );
  assert.throws(() => parseMetrics({ corpus: 'ds10', system: 'x', errors: {} }, 'm.json'), /no "errors"/);
  assert.throws(() => parseMetrics([], 'm.json'), /not a JSON object/);
});

test('a failed run with a reason and no errors is kept, so the report can show why', () => {
  const m = parseMetrics(
    { corpus: 'tusz', system: 'lstm', status: 'failed', reason: 'NaN loss at epoch 3' },
    'm.json',
  );
  assert.deepEqual(m.errors, {});
  assert.equal(m.reason, 'NaN loss at epoch 3');
});

test('error rates may be plain fractions or intervals; bad fields are dropped', () => {
  const m = parseMetrics(
    {
      corpus: 'ds10',
      system: 'knn',
      errors: { train: 0.1, dev: { rate: 0.2, lower95: 0.19, upper95: 0.21, n: 100 }, eval: 'x' },
    },
    'm.json',
  );
  assert.deepEqual(m.errors, {
    train: { rate: 0.1 },
    dev: { rate: 0.2, lower95: 0.19, upper95: 0.21, n: 100 },
  });
  assert.deepEqual(
    parseBayes({ generator: null, closedLoop: { train: 0.02, dev: 0.1, eval: 0.12 } }, 'b.json'),
    {
      generator: null,
      closedLoop: { train: { rate: 0.02 }, dev: { rate: 0.1 }, eval: { rate: 0.12 } },
      coverHartLower: null,
    },
  );
  assert.deepEqual(parseTrials([{ number: 4, state: 'FAIL', reason: 'shape mismatch' }], 't.json'), [
    {
      number: 4,
      role: 'search',
      state: 'FAIL',
      params: {},
      devError: null,
      innerValError: null,
      reason: 'shape mismatch',
      seconds: null,
      seed: null,
      parameterCount: null,
    },
  ]);
  assert.throws(() => parseTrials({}, 't.json'), /t\.json: trials\.json is not a JSON array/);
});

test('a label names its tuner protocol once', () => {
  assert.equal(labelWithProtocol({ label: 'MLP-A (ours)', protocol: 'ours' }), 'MLP-A (ours)');
  assert.equal(
    labelWithProtocol({ label: 'MLP-A (Keras Tuner protocol)', protocol: 'keras-tuner' }),
    'MLP-A (Keras Tuner protocol)',
  );
  assert.equal(
    labelWithProtocol({ label: 'MLP-A', protocol: 'keras-tuner' }),
    'MLP-A (keras-tuner protocol)',
  );
  assert.equal(labelWithProtocol({ label: 'MLP-M1', protocol: null }), 'MLP-M1');
});

test('EEG band: 0.5–35 Hz at 50 Hz is 0.5–25 Hz in effect; other designs follow their metadata', () => {
  const meta = (extra: Record<string, unknown>) => ({
    stage: 'tusz-segments',
    codeVersion: 'x',
    params: {},
    inputs: {},
    ...extra,
  });
  const cases: [string, ReturnType<typeof meta> | null, [number, number, number, string]][] = [
    ['poster fallback', null, [0.5, 25, 50, 'poster']],
    [
      'lowCutHz/highCutHz',
      meta({ sampleRateHz: 50, filter: { lowCutHz: 0.5, highCutHz: 35 } }),
      [0.5, 25, 50, 'tusz-segments'],
    ],
    [
      'bandHz pair, 100 Hz',
      meta({ sampleRateHz: 100, filter: { bandHz: [1, 40] } }),
      [1, 40, 100, 'tusz-segments'],
    ],
    [
      'rate from resample',
      meta({ filter: { design: { lowHz: 0.5, highHz: 30 } }, resample: { toHz: 50 } }),
      [0.5, 25, 50, 'tusz-segments'],
    ],
    ['incomplete metadata falls back', meta({ filter: { lowCutHz: 0.5 } }), [0.5, 25, 50, 'poster']],
  ];
  for (const [name, m, [low, high, rate, source]] of cases) {
    const b = effectiveEegBand(m, poster);
    assert.deepEqual(
      [b.effectiveLowHz, b.effectiveHighHz, b.sampleRateHz, b.source],
      [low, high, rate, source],
      name,
    );
  }
});

test('a surface panel shows the predicted class per region, points over it, and the Bayes boundary', async () => {
  // 2×2 grid over [0,1]²: left column class 0, right column class 1; Bayes boundary horizontal.
  const surface = {
    grid: { nx: 2, ny: 2, xMin: 0, xMax: 1, yMin: 0, yMax: 1 },
    predicted: Int8Array.from([0, 1, 0, 1]),
    probMax: Float32Array.from([1, 1, 1, 1]),
  };
  const bayes = bayesPixels((_x, y) => (y < 0.5 ? 0 : 1), surface.grid, 100);
  const points = { x: Float32Array.from([0.1]), y: Float32Array.from([0.9]), label: Int8Array.from([1]) };
  const png = await surfacePanelPng(surface, points, bayes, { sizePx: 100, classCount: 2 });
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height, info.channels], [100, 100, 4]);
  const at = (x: number, y: number): number[] => [...data.subarray((y * 100 + x) * 4, (y * 100 + x) * 4 + 3)];
  const [r0, , b0] = at(10, 80);
  assert.ok(b0 > r0, 'bottom-left is class 0 (blue)');
  const [r1, , b1] = at(90, 80);
  assert.ok(r1 > b1, 'bottom-right is class 1 (orange)');
  const dot = at(10, 10);
  assert.ok(dot[0] < 240 && dot[0] > dot[2], 'the class-1 point is drawn in orange over the blue region');
  const boundary = [...Array(100).keys()].map((y) => at(20, y)).filter(([r, g, b]) => r + g + b === 0).length;
  assert.ok(boundary >= 1, 'a black Bayes-boundary pixel in column 20');
});

test('the Bayes classifier comes from the recipe imld-gen recorded: argmax of prior × density', () => {
  const meta = {
    stage: 'imld-gen',
    codeVersion: 'x',
    params: { recipeSpec: TWO_GAUSSIANS_RECIPE },
    inputs: {},
  };
  const at = bayesClassifierOf(meta, 'dev', 'dev.arrow');
  assert.ok(at);
  assert.deepEqual([at(-0.5, 0.5), at(0.5, -0.5), at(-0.1, 0.1), at(0.1, -0.1)], [0, 1, 0, 1]);
  // Three times as many class-1 points move the boundary towards class 0.
  const skewed = structuredClone(TWO_GAUSSIANS_RECIPE);
  skewed.splits.dev.classes[1].count *= 3;
  const atSkewed = bayesClassifierOf({ ...meta, params: { recipeSpec: skewed } }, 'dev', 'dev.arrow');
  assert.equal(atSkewed?.(-0.03, 0.03), 1);
  assert.equal(at(-0.03, 0.03), 0);
  assert.equal(
    bayesClassifierOf({ ...meta, params: {} }, 'dev', 'dev.arrow'),
    null,
    'no recipe, no boundary',
  );
  assert.throws(
    () => bayesClassifierOf({ ...meta, params: { recipeSpec: { name: 'x' } } }, 'dev', 'dev.arrow'),
    /dev\.arrow/,
  );
});

test('a poster value inside our interval widened by the tolerance is reproduced; outside, the difference is signed', () => {
  const ours = { rate: 0.31, lower95: 0.3, upper95: 0.32 };
  assert.deepEqual(cellVerdict(ours, 33.4, 1.5), { reproduced: true, differencePp: 31 - 33.4 });
  const off = cellVerdict(ours, 33.6, 1.5);
  assert.equal(off?.reproduced, false);
  assert.equal(verdictText(off!), 'differs by −2.60 pp');
  assert.equal(verdictText(cellVerdict(ours, 28.4, 1.5)!), 'differs by +2.60 pp');
  assert.equal(cellVerdict(ours, 28.6, 1.5)?.reproduced, true);
  assert.equal(cellVerdict(null, 30, 1.5), null);
  assert.equal(cellVerdict(ours, null, 1.5), null);
  // Without an interval only the tolerance widens the point.
  assert.equal(cellVerdict({ rate: 0.5 }, 51.4, 1.5)?.reproduced, true);
  assert.equal(cellVerdict({ rate: 0.5 }, 51.6, 1.5)?.reproduced, false);
});
