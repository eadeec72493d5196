import { checkOneOf } from '@corpus-tune/core';
import { ashaPruner } from './pruners/asha.ts';
import { hyperbandPruner } from './pruners/hyperband.ts';
import { noPruner } from './pruners/pruner.ts';
import type { Pruner } from './pruners/pruner.ts';
import { evolutionarySampler } from './samplers/evolutionary.ts';
import { gridSampler } from './samplers/grid.ts';
import { randomSampler } from './samplers/random.ts';
import type { Sampler } from './samplers/sampler.ts';
import { tpeSampler } from './samplers/tpe.ts';

export const SAMPLERS = ['random', 'grid', 'evolutionary', 'tpe'] as const;
export type SamplerName = (typeof SAMPLERS)[number];
export const PRUNERS = ['none', 'asha', 'hyperband'] as const;
export type PrunerName = (typeof PRUNERS)[number];

export function makeSampler(name: string, seed: number): Sampler {
  switch (checkOneOf('sampler', name, SAMPLERS)) {
    case 'random':
      return randomSampler(seed);
    case 'grid':
      return gridSampler(seed);
    case 'evolutionary':
      return evolutionarySampler(seed);
    case 'tpe':
      return tpeSampler(seed);
  }
}

/** Pruners work on epoch budgets: rungs at 1, η, η², … epochs up to `maxEpochs`. */
export function makePruner(name: string, maxEpochs: number): Pruner {
  switch (checkOneOf('pruner', name, PRUNERS)) {
    case 'none':
      return noPruner;
    case 'asha':
      return ashaPruner({ minResource: 1, reductionFactor: 3 });
    case 'hyperband':
      return hyperbandPruner({ minResource: 1, maxResource: Math.max(1, maxEpochs), reductionFactor: 3 });
  }
}
