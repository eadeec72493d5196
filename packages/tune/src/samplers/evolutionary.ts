import type { Rng } from '@corpus-tune/core';
import { assemble, distributionOf, snap } from '../space.ts';
import type { Distribution, Params, ParamValue } from '../space.ts';
import type { FrozenTrial } from '../trial.ts';
import { drawFrom } from './random.ts';
import type { SampleContext, Sampler } from './sampler.ts';
import { trialRng } from './sampler.ts';

export interface EvolutionaryOptions {
  /** Random trials before evolution starts. */
  populationSize?: number;
  /** Parents are drawn from this many best completed trials. */
  eliteSize?: number;
  /** Gaussian step as a fraction of the (log-)range. */
  mutationScale?: number;
}

function mutate(d: Distribution, parent: ParamValue, rng: Rng, scale: number): ParamValue {
  if (d.kind === 'categorical') {
    if (d.choices.length === 1) return d.choices[0];
    const others = d.choices.filter((c) => c !== parent);
    return others[rng.int(others.length)];
  }
  const x = Number(parent);
  if (d.log) {
    const lo = Math.log(d.low);
    const hi = Math.log(d.high);
    return snap(d, Math.exp(Math.min(hi, Math.max(lo, Math.log(x) + rng.normal() * scale * (hi - lo)))));
  }
  let y = snap(d, x + rng.normal() * scale * (d.high - d.low));
  // Integer/stepped ranges: make sure the mutation moves at all.
  if (y === x && d.high > d.low) {
    const step = d.kind === 'int' ? d.step : (d.step ?? 0);
    if (step > 0) y = snap(d, x + (rng.float() < 0.5 ? -step : step));
  }
  return y;
}

/**
 * The evolutionary random search the poster describes for Keras Tuner: random trials first, then
 * new candidates drawn near the best so far (a parent from the elite, each active parameter
 * mutated with probability 1/(active count), at least one).
 */
export function evolutionarySampler(seed: number, options: EvolutionaryOptions = {}): Sampler {
  const populationSize = options.populationSize ?? 10;
  const eliteSize = options.eliteSize ?? 5;
  const scale = options.mutationScale ?? 0.1;
  return {
    name: 'evolutionary',
    sample(context: SampleContext): Params {
      const rng = trialRng(seed, 'evolutionary', context);
      const done = context.trials.filter(
        (t): t is FrozenTrial & { value: number } => t.state === 'COMPLETE' && t.value !== null,
      );
      if (done.length < populationSize)
        return assemble(context.space, (p) => drawFrom(distributionOf(p), rng));
      const elite = [...done].sort((a, b) => a.value - b.value || a.number - b.number).slice(0, eliteSize);
      const parent = elite[rng.int(elite.length)].params;
      const active = Object.keys(parent).length;
      const forced = rng.int(Math.max(1, active));
      let i = 0;
      return assemble(context.space, (p) => {
        const d = distributionOf(p);
        const inherited = parent[p.name];
        const index = i++;
        if (inherited === undefined) return drawFrom(d, rng);
        return index === forced || rng.float() < 1 / Math.max(1, active)
          ? mutate(d, inherited, rng, scale)
          : inherited;
      });
    },
  };
}
