import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evolutionarySampler } from '../src/samplers/evolutionary.ts';
import { enumerateGrid, gridSampler } from '../src/samplers/grid.ts';
import { randomSampler } from '../src/samplers/random.ts';
import { tpeSampler } from '../src/samplers/tpe.ts';
import type { Sampler } from '../src/samplers/sampler.ts';
import { checkParams, parseSpace } from '../src/space.ts';
import { paramsKey } from '../src/params-key.ts';
import { hartmann6 } from '../src/test-functions.ts';
import { MIXED_SPACE, mixedObjective, sampleLoop } from './helpers.ts';

const SAMPLERS: [string, (seed: number) => Sampler][] = [
  ['random', (s) => randomSampler(s)],
  ['grid', (s) => gridSampler(s, { pointsPerRange: 3 })],
  ['evolutionary', (s) => evolutionarySampler(s)],
  ['tpe', (s) => tpeSampler(s)],
];

for (const [name, make] of SAMPLERS) {
  test(`${name} sampler: every proposal is legal, respects conditions and covers the space`, () => {
    const trials = sampleLoop(make(7), MIXED_SPACE, 150, mixedObjective);
    const seen = new Map<string, Set<string>>();
    for (const t of trials) {
      // checkParams rejects missing active parameters, inactive ones that are set, and values off range/grid.
      checkParams(MIXED_SPACE, t.params, `${name} trial ${t.number}`);
      for (const [k, v] of Object.entries(t.params)) {
        const set = seen.get(k) ?? new Set<string>();
        set.add(String(v));
        seen.set(k, set);
      }
    }
    for (const choice of ['relu', 'tanh', 'sigmoid'])
      assert.ok(seen.get('activation')?.has(choice), `${name} tried activation ${choice}`);
    for (const layers of ['1', '2', '3'])
      assert.ok(seen.get('layers')?.has(layers), `${name} tried ${layers} layers`);
    assert.ok(seen.get('use_dropout')?.has('true') && seen.get('use_dropout')?.has('false'));
    // Conditional parameters were explored too.
    assert.ok((seen.get('units_2')?.size ?? 0) >= 2, `${name} explored units_2`);
    assert.ok((seen.get('dropout')?.size ?? 0) >= 2, `${name} explored dropout`);
    const lrs = trials.map((t) => Number(t.params.lr));
    // Log range 1e-4..1e-1: draws fall in both the lowest and highest decade.
    assert.ok(Math.min(...lrs) < 1e-3 && Math.max(...lrs) > 1e-2, `${name} covers the lr range`);
  });

  test(`${name} sampler: same seed, same sequence; other seed, other sequence`, () => {
    const a = sampleLoop(make(3), MIXED_SPACE, 25, mixedObjective).map((t) => paramsKey(t.params));
    const b = sampleLoop(make(3), MIXED_SPACE, 25, mixedObjective).map((t) => paramsKey(t.params));
    const c = sampleLoop(make(4), MIXED_SPACE, 25, mixedObjective).map((t) => paramsKey(t.params));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
}

test('grid sampler visits each grid point exactly once before repeating', () => {
  const space = parseSpace(
    JSON.stringify({
      name: 'g',
      parameters: [
        { name: 'layers', type: 'int', low: 1, high: 2 },
        { name: 'width', type: 'int', low: 1, high: 3, when: { param: 'layers', gt: 1 } },
        { name: 'act', type: 'choice', choices: ['a', 'b'] },
        { name: 'lr', type: 'float', low: 0.001, high: 0.1, log: true },
      ],
    }),
    'g.json',
  );
  // By hand: layers=1 → 2 acts × 3 lrs = 6; layers=2 → 3 widths × 2 × 3 = 18; total 24.
  const grid = enumerateGrid(space, 3);
  assert.equal(grid.length, 24);
  assert.deepEqual(
    [...new Set(grid.map((g) => Number(g.lr)))].sort((x, y) => x - y).map((x) => Number(x.toPrecision(6))),
    [0.001, 0.01, 0.1],
  );
  const trials = sampleLoop(gridSampler(5, { pointsPerRange: 3 }), space, 24, () => 1);
  assert.equal(new Set(trials.map((t) => paramsKey(t.params))).size, 24);
  assert.deepEqual(new Set(trials.map((t) => paramsKey(t.params))), new Set(grid.map(paramsKey)));
});

test('TPE beats random search on Hartmann-6 (16 fixed seeds, one-sided sign test)', () => {
  const f = (p: Record<string, unknown>): number => hartmann6.evaluate(p as Record<string, number>);
  let tpeWins = 0;
  const pairs: string[] = [];
  for (let seed = 1; seed <= 16; seed++) {
    const bestOf = (s: Sampler): number =>
      Math.min(...sampleLoop(s, hartmann6.space, 60, f).map((t) => t.value as number));
    const t = bestOf(tpeSampler(seed));
    const r = bestOf(randomSampler(seed));
    // Nothing can beat the known global minimum (−3.32237).
    assert.ok(t >= hartmann6.minimum - 1e-4 && r >= hartmann6.minimum - 1e-4);
    pairs.push(`${t.toFixed(3)}/${r.toFixed(3)}`);
    if (t < r) tpeWins++;
  }
  // Under H0 (no difference) wins ~ Binomial(16, ½): P(wins ≥ 13) = 697/65536 ≈ 0.011.
  assert.ok(tpeWins >= 13, `TPE won ${tpeWins}/16 (tpe/random: ${pairs.join(' ')})`);
});
