import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sampler } from '../src/samplers/sampler.ts';
import { distributionOf, parseSpace } from '../src/space.ts';
import type { Params, SearchSpace } from '../src/space.ts';
import type { FrozenTrial, TrialStateName } from '../src/trial.ts';

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `tune-${label}-`));
}

/** The lines of a worker log (`<pid> <event> …` per line) split on spaces; none before it exists. */
export function logLines(path: string): string[][] {
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' '))
    : [];
}

export function frozenTrial(
  space: SearchSpace,
  number: number,
  params: Params,
  state: TrialStateName,
  value: number | null,
): FrozenTrial {
  const distributions = Object.fromEntries(
    space.parameters.filter((p) => p.name in params).map((p) => [p.name, distributionOf(p)]),
  );
  return {
    id: number,
    number,
    state,
    params,
    distributions,
    value,
    intermediate: new Map(),
    userAttrs: { role: 'search' },
    systemAttrs: {},
    datetimeStart: null,
    datetimeComplete: null,
  };
}

/** A sampler-only loop (no journal): ask → evaluate → tell, `n` times. */
export function sampleLoop(
  sampler: Sampler,
  space: SearchSpace,
  n: number,
  f: (p: Params) => number | 'fail',
): FrozenTrial[] {
  const trials: FrozenTrial[] = [];
  for (let i = 0; i < n; i++) {
    const params = sampler.sample({ space, trials, number: i });
    const v = f(params);
    trials.push(frozenTrial(space, i, params, v === 'fail' ? 'FAIL' : 'COMPLETE', v === 'fail' ? null : v));
  }
  return trials;
}

/** A conditional mixed space: every parameter type, conditions on an int and on a boolean. */
export const MIXED_SPACE = parseSpace(
  JSON.stringify({
    name: 'mixed',
    parameters: [
      { name: 'layers', type: 'int', low: 1, high: 3 },
      { name: 'units_0', type: 'int', low: 8, high: 64, step: 8 },
      { name: 'units_1', type: 'int', low: 8, high: 64, step: 8, when: { param: 'layers', gt: 1 } },
      { name: 'units_2', type: 'int', low: 8, high: 64, step: 8, when: { param: 'layers', gt: 2 } },
      { name: 'activation', type: 'choice', choices: ['relu', 'tanh', 'sigmoid'] },
      { name: 'use_dropout', type: 'boolean' },
      {
        name: 'dropout',
        type: 'float',
        low: 0.1,
        high: 0.5,
        step: 0.1,
        when: { param: 'use_dropout', eq: true },
      },
      { name: 'lr', type: 'float', low: 1e-4, high: 1e-1, log: true },
      { name: 'momentum', type: 'float', low: 0, high: 0.9 },
      { name: 'batch', type: 'int', low: 16, high: 256, log: true },
      { name: 'loss', type: 'fixed', value: 'xent' },
    ],
  }),
  'mixed.json',
);

/** A smooth objective over MIXED_SPACE with its optimum inside the space. */
export function mixedObjective(p: Params): number {
  const lr = Math.log10(Number(p.lr));
  return (
    (lr + 2.5) ** 2 +
    (Number(p.momentum) - 0.6) ** 2 +
    (p.activation === 'tanh' ? 0 : 0.5) +
    Math.abs(Number(p.layers) - 2) * 0.3 +
    Math.abs(Number(p.units_0) - 32) / 64
  );
}
