import type { Rng } from '@corpus-tune/core';
import { assemble, distributionOf, snap } from '../space.ts';
import type { Distribution, Params, ParamValue } from '../space.ts';
import type { SampleContext, Sampler } from './sampler.ts';
import { trialRng } from './sampler.ts';

/** One uniform draw from a distribution (log-uniform for log ranges), snapped to its grid. */
export function drawFrom(d: Distribution, rng: Rng): ParamValue {
  if (d.kind === 'categorical') return d.choices[rng.int(d.choices.length)];
  if (d.kind === 'int' && !d.log) {
    const count = Math.floor((d.high - d.low) / d.step) + 1;
    return d.low + rng.int(count) * d.step;
  }
  if (d.log) {
    // Optuna widens int ranges by ±0.5 before the log so the end points keep their share.
    const lo = Math.log(d.kind === 'int' ? d.low - 0.5 : d.low);
    const hi = Math.log(d.kind === 'int' ? d.high + 0.5 : d.high);
    return snap(d, Math.exp(lo + rng.float() * (hi - lo)));
  }
  if (d.step !== null) {
    const count = Math.floor((d.high - d.low) / d.step + 1e-9) + 1;
    return snap(d, d.low + rng.int(count) * d.step);
  }
  return d.low + rng.float() * (d.high - d.low);
}

/** Independent uniform draws over the active parameters. */
export function randomSampler(seed: number): Sampler {
  return {
    name: 'random',
    sample(context: SampleContext): Params {
      const rng = trialRng(seed, 'random', context);
      return assemble(context.space, (p) => drawFrom(distributionOf(p), rng));
    },
  };
}
