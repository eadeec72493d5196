import { InputError, shuffleInPlace, createRng } from '@corpus-tune/core';
import { distributionOf, isActive, snap } from '../space.ts';
import type { Distribution, Params, ParamValue, SearchSpace } from '../space.ts';
import type { SampleContext, Sampler } from './sampler.ts';
import { paramsKey } from '../params-key.ts';

export interface GridOptions {
  /** Points per continuous (or large integer) range. */
  pointsPerRange?: number;
  /** Refuse grids larger than this. */
  maxPoints?: number;
}

/** The grid values of one distribution: every legal value when few, else evenly spaced points. */
export function gridValues(d: Distribution, pointsPerRange: number): ParamValue[] {
  if (d.kind === 'categorical') return [...d.choices];
  const step = d.kind === 'int' ? d.step : d.step;
  if (!d.log && step !== null) {
    const count = Math.floor((d.high - d.low) / step + 1e-9) + 1;
    if (count <= pointsPerRange) return Array.from({ length: count }, (_, i) => snap(d, d.low + i * step));
  }
  if (d.kind === 'int' && d.high - d.low + 1 <= pointsPerRange)
    return Array.from({ length: d.high - d.low + 1 }, (_, i) => d.low + i);
  const out: number[] = [];
  for (let i = 0; i < pointsPerRange; i++) {
    const t = pointsPerRange === 1 ? 0.5 : i / (pointsPerRange - 1);
    const raw = d.log
      ? Math.exp(Math.log(d.low) + t * (Math.log(d.high) - Math.log(d.low)))
      : d.low + t * (d.high - d.low);
    const v = snap(d, raw);
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** Every configuration of the grid, conditions respected (inactive parameters absent). */
export function enumerateGrid(space: SearchSpace, pointsPerRange = 5, maxPoints = 100_000): Params[] {
  const out: Params[] = [];
  const walk = (index: number, chosen: Record<string, ParamValue>): void => {
    if (out.length > maxPoints) {
      throw new InputError(
        `grid has more than ${maxPoints} points; lower pointsPerRange or fix more parameters`,
        { file: space.source },
      );
    }
    if (index === space.parameters.length) {
      out.push({ ...chosen });
      return;
    }
    const p = space.parameters[index];
    if (!isActive(p, chosen)) {
      walk(index + 1, chosen);
      return;
    }
    for (const v of gridValues(distributionOf(p), pointsPerRange)) {
      chosen[p.name] = v;
      walk(index + 1, chosen);
    }
    delete chosen[p.name];
  };
  walk(0, {});
  return out;
}

/**
 * Grid search: visits the grid in a seeded random order, each point once (points already tried
 * by any worker are skipped); when the grid is exhausted it starts over.
 */
export function gridSampler(seed: number, options: GridOptions = {}): Sampler {
  let cache: { space: SearchSpace; order: Params[]; keys: string[] } | null = null;
  return {
    name: 'grid',
    sample(context: SampleContext): Params {
      if (cache === null || cache.space !== context.space) {
        const order = enumerateGrid(context.space, options.pointsPerRange ?? 5, options.maxPoints ?? 100_000);
        shuffleInPlace(order, createRng(seed).fork('grid'));
        cache = { space: context.space, order, keys: order.map(paramsKey) };
      }
      const tried = new Set(
        context.trials.filter((t) => t.number !== context.number).map((t) => paramsKey(t.params)),
      );
      const keys = cache.keys;
      const fresh = cache.order.filter((_, i) => !tried.has(keys[i]));
      if (fresh.length === 0)
        return cache.order[(context.number + (context.attempt ?? 0)) % cache.order.length];
      return fresh[(context.attempt ?? 0) % fresh.length];
    },
  };
}
