import { createRng } from '@corpus-tune/core';
import { chooseOneSe } from './one-se.ts';
import type { SeRow } from './one-se.ts';
import { paramsKey } from './params-key.ts';
import type { Params } from './space.ts';
import type { EnqueuedTrial } from './study.ts';
import { roleOf } from './trial.ts';
import type { FrozenTrial } from './trial.ts';

export const PROTOCOLS = ['ours', 'keras-tuner'] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

/**
 * How trials are trained, ranked and chosen.
 * - `ours`: early stopping on an inner split of train, ranking on dev, the top-k re-trained with
 *   several seeds and chosen by the one-standard-error rule (the simplest within 1 SE of the best).
 * - `keras-tuner`: the poster's protocol: early stopping and ranking both on dev, the single
 *   best trial wins (which is what over-fitted the dev set for MLP-A1).
 * Neither ever reads eval.
 */
export interface Protocol {
  readonly name: ProtocolName;
  /** Which split early stopping (and pruning) watches. */
  readonly earlyStopOn: 'inner' | 'dev';
  readonly topK: number;
  readonly retrainSeeds: number;
  /** Trials to enqueue once the search is done. */
  afterSearch(search: readonly FrozenTrial[]): EnqueuedTrial[];
  /** Picks the final configuration from the finished study. */
  select(trials: readonly FrozenTrial[]): Selection;
}

export interface Selection {
  rule: 'one-standard-error' | 'best-dev';
  /** Number of the search trial whose configuration was chosen. */
  trial: number;
  params: Params;
  /** Mean dev error of the chosen configuration (over retrain seeds for `ours`). */
  devError: number;
  devErrorSe: number | null;
  parameterCount: number | null;
  /** Seeds the chosen configuration was (re)trained with. */
  seeds: number[];
  candidates: SeRow[];
}

export interface ProtocolOptions {
  topK?: number;
  retrainSeeds?: number;
  /** Study seed (retrain seeds derive from it). */
  seed: number;
}

function parameterCountOf(t: FrozenTrial): number | null {
  const v = t.userAttrs.parameterCount;
  return typeof v === 'number' ? v : null;
}

/** The best COMPLETE search trials, one per distinct configuration, best first. */
export function topTrials(search: readonly FrozenTrial[], k: number): FrozenTrial[] {
  const seen = new Set<string>();
  const out: FrozenTrial[] = [];
  const complete = search
    .filter((t) => t.state === 'COMPLETE' && t.value !== null)
    .sort((a, b) => (a.value as number) - (b.value as number) || a.number - b.number);
  for (const t of complete) {
    const key = paramsKey(t.params);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t);
    if (out.length === k) break;
  }
  return out;
}

function bestDev(search: readonly FrozenTrial[]): Selection {
  const [best] = topTrials(search, 1);
  if (!best) throw new Error('no search trial completed; nothing to choose');
  return {
    rule: 'best-dev',
    trial: best.number,
    params: best.params,
    devError: best.value as number,
    devErrorSe: null,
    parameterCount: parameterCountOf(best),
    seeds: [Number(best.userAttrs.seed)],
    candidates: [],
  };
}

export function resolveProtocol(name: ProtocolName, options: ProtocolOptions): Protocol {
  if (name === 'keras-tuner') {
    return {
      name,
      earlyStopOn: 'dev',
      topK: 1,
      retrainSeeds: 0,
      afterSearch: () => [],
      select: (trials) => bestDev(trials.filter((t) => roleOf(t) === 'search')),
    };
  }
  const topK = options.topK ?? 3;
  const retrainSeeds = options.retrainSeeds ?? 3;
  return {
    name,
    earlyStopOn: 'inner',
    topK,
    retrainSeeds,
    afterSearch(search) {
      return topTrials(search, topK).flatMap((t) =>
        Array.from({ length: retrainSeeds }, (_, i) => ({
          params: t.params,
          userAttrs: {
            role: 'retrain',
            parent: t.number,
            seed: createRng(options.seed).fork(`retrain:${t.number}:${i}`).uint32(),
          },
        })),
      );
    },
    select(trials) {
      const search = trials.filter((t) => roleOf(t) === 'search');
      const retrains = trials.filter((t) => roleOf(t) === 'retrain');
      const parents = topTrials(search, topK);
      const candidates = parents.map((p) => {
        const runs = retrains.filter(
          (r) => r.userAttrs.parent === p.number && r.state === 'COMPLETE' && r.value !== null,
        );
        return {
          key: p.number,
          complexity: parameterCountOf(p) ?? Infinity,
          devErrors: runs.map((r) => r.value as number),
          seeds: runs.map((r) => Number(r.userAttrs.seed)),
        };
      });
      if (candidates.every((c) => c.devErrors.length === 0)) return bestDev(search);
      const choice = chooseOneSe(candidates);
      const parent = parents.find((p) => p.number === choice.chosen.key) as FrozenTrial;
      return {
        rule: 'one-standard-error',
        trial: parent.number,
        params: parent.params,
        devError: choice.chosen.mean,
        devErrorSe: choice.chosen.se,
        parameterCount: parameterCountOf(parent),
        seeds: candidates.find((c) => c.key === parent.number)?.seeds ?? [],
        candidates: choice.rows,
      };
    },
  };
}
