import { assemble, distributionOf } from '../space.ts';
import type { Params, ParamValue } from '../space.ts';
import type { FrozenTrial } from '../trial.ts';
import { buildParzen, defaultWeights } from './parzen.ts';
import type { ParzenSettings } from './parzen.ts';
import { drawFrom } from './random.ts';
import type { SampleContext, Sampler } from './sampler.ts';
import { trialRng } from './sampler.ts';

export interface TpeOptions extends Partial<ParzenSettings> {
  /** Random trials before the model is used (Optuna: 10). */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per parameter (Optuna: 24). */
  nEiCandidates?: number;
  /** Size of the "good" group given n observations (Optuna: min(ceil(0.1 n), 25)). */
  gamma?: (n: number) => number;
}

/** Ranking key, as Optuna: complete trials by value, pruned ones by (−last step, value). */
type Score = [number, number];

function scoreOf(t: FrozenTrial): Score | null {
  if (t.state === 'COMPLETE' && t.value !== null) return [-Infinity, t.value];
  if (t.state === 'PRUNED') {
    if (t.intermediate.size === 0) return [1, 0];
    const step = Math.max(...t.intermediate.keys());
    const v = t.intermediate.get(step) ?? Infinity;
    return [-step, Number.isNaN(v) ? Infinity : v];
  }
  return null;
}

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011) in Optuna 3.1's independent form:
 * per active parameter, l(x) from the best γ(n) observations and g(x) from the rest; the
 * candidate maximising l/g wins. Conditional spaces work because each parameter only uses the
 * trials in which it was active. Failed trials join g(x) so the sampler moves away from
 * configurations that crashed.
 */
export function tpeSampler(seed: number, options: TpeOptions = {}): Sampler {
  const nStartup = options.nStartupTrials ?? 10;
  const nCandidates = options.nEiCandidates ?? 24;
  const gamma = options.gamma ?? ((n: number) => Math.min(Math.ceil(0.1 * n), 25));
  const settings: ParzenSettings = {
    priorWeight: options.priorWeight ?? 1,
    considerMagicClip: options.considerMagicClip ?? true,
    considerEndpoints: options.considerEndpoints ?? false,
    scaleFreeDensity: options.scaleFreeDensity ?? true,
  };
  return {
    name: 'tpe',
    sample(context: SampleContext): Params {
      const rng = trialRng(seed, 'tpe', context);
      const scored: { trial: FrozenTrial; score: Score }[] = [];
      for (const t of context.trials) {
        const score = scoreOf(t);
        if (score) scored.push({ trial: t, score });
      }
      const n = scored.length;
      if (n < nStartup) return assemble(context.space, (p) => drawFrom(distributionOf(p), rng));
      const ranked = [...scored].sort(
        (a, b) => a.score[0] - b.score[0] || a.score[1] - b.score[1] || a.trial.number - b.trial.number,
      );
      const nBelow = gamma(n);
      // Keep trial order inside each group so the recency weights apply as in Optuna.
      const byNumber = (a: FrozenTrial, b: FrozenTrial): number => a.number - b.number;
      const below = ranked
        .slice(0, nBelow)
        .map((s) => s.trial)
        .sort(byNumber);
      const above = ranked
        .slice(nBelow)
        .map((s) => s.trial)
        .sort(byNumber);
      const failed = context.trials.filter((t) => t.state === 'FAIL');
      // Failures join g(x) and, together, weigh as much as all other "bad" trials, so a region
      // that crashes a few times becomes unlikely even when good trials are rare.
      const failWeight = Math.max(1, above.length / Math.max(1, failed.length));
      return assemble(context.space, (p) => {
        const d = distributionOf(p);
        const valuesOf = (ts: FrozenTrial[]): ParamValue[] =>
          ts.filter((t) => p.name in t.params).map((t) => t.params[p.name]);
        const l = buildParzen(d, valuesOf(below), settings);
        const aboveValues = valuesOf(above);
        const failedValues = valuesOf(failed);
        const g = buildParzen(d, [...aboveValues, ...failedValues], settings, [
          ...defaultWeights(aboveValues.length),
          ...failedValues.map(() => failWeight),
        ]);
        const candidates = l.sample(rng, nCandidates);
        let best = candidates[0];
        let bestScore = -Infinity;
        for (const c of candidates) {
          const s = l.logPdf(c) - g.logPdf(c);
          if (s > bestScore) {
            bestScore = s;
            best = c;
          }
        }
        return best;
      });
    },
  };
}
