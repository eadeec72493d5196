import { distributionOf } from './space.ts';
import type { Params, SearchSpace } from './space.ts';
import type { FrozenTrial } from './trial.ts';

/**
 * What the search learned from failed trials, used to reject proposals before they run:
 * - an exact repeat of a failed configuration;
 * - a choice value that failed at least twice and never completed (e.g. an activation that always
 *   overflows);
 * - a configuration with every choice equal to a failed one and every number within `radius` of
 *   it (fraction of the (log-)range).
 */
export function failedRegionTest(
  space: SearchSpace,
  trials: readonly FrozenTrial[],
  radius = 0.05,
): (params: Params) => string | null {
  const failed = trials.filter((t) => t.state === 'FAIL' && Object.keys(t.params).length > 0);
  if (failed.length === 0) return () => null;
  const completed = trials.filter((t) => t.state === 'COMPLETE' || t.state === 'PRUNED');
  const badChoices = new Map<string, Set<string>>();
  for (const p of space.parameters) {
    const d = distributionOf(p);
    if (d.kind !== 'categorical' || d.choices.length < 2) continue;
    for (const c of d.choices) {
      const fails = failed.filter((t) => t.params[p.name] === c).length;
      const oks = completed.filter((t) => t.params[p.name] === c).length;
      if (fails >= 2 && oks === 0) {
        const set = badChoices.get(p.name) ?? new Set<string>();
        set.add(JSON.stringify(c));
        badChoices.set(p.name, set);
      }
    }
  }
  const near = (a: Params, b: Params): boolean => {
    for (const p of space.parameters) {
      const va = a[p.name];
      const vb = b[p.name];
      if (va === undefined && vb === undefined) continue;
      if (va === undefined || vb === undefined) return false;
      const d = distributionOf(p);
      if (d.kind === 'categorical') {
        if (va !== vb) return false;
        continue;
      }
      const x = d.log ? Math.log(Number(va)) : Number(va);
      const y = d.log ? Math.log(Number(vb)) : Number(vb);
      const range = d.log ? Math.log(d.high) - Math.log(d.low) : d.high - d.low;
      if (range > 0 && Math.abs(x - y) > radius * range) return false;
    }
    return true;
  };
  return (params) => {
    for (const [name, values] of badChoices) {
      if (name in params && values.has(JSON.stringify(params[name])))
        return `${name}=${JSON.stringify(params[name])} failed in every trial that used it`;
    }
    const hit = failed.find((t) => near(params, t.params));
    return hit ? `too close to failed trial ${hit.number}` : null;
  };
}
