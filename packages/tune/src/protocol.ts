import { checkInteger, checkOneOf, createRng } from '@corpus-tune/core';
import { PRUNERS, SAMPLERS } from './factories.ts';
import type { PrunerName, SamplerName } from './factories.ts';
import { fitGate } from './fit-gate.ts';
import type { FitGate } from './fit-gate.ts';
import { chooseOneSe } from './one-se.ts';
import type { SeRow } from './one-se.ts';
import { paramsKey } from './params-key.ts';
import type { Params } from './space.ts';
import type { EnqueuedTrial } from './study.ts';
import { roleOf } from './trial.ts';
import type { FrozenTrial } from './trial.ts';

export const PROTOCOLS = ['ours', 'keras-tuner'] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

/** What a protocol chooses for a study when the caller leaves it out. */
export interface ProtocolDefaults {
  /** Space under spaces/<corpus>/; `poster` stands for the corpus's poster-like space (POSTER_SPACES). */
  readonly space: string;
  readonly sampler: SamplerName;
  readonly pruner: PrunerName;
  /** Distinct top configurations retrained after the search (ours; keras-tuner keeps its best trial). */
  readonly topK: number;
  /** New seeds each top configuration is retrained with (0: no retraining). */
  readonly retrainSeeds: number;
}

/** The poster-like (Keras Tuner) space of each corpus that is not an MLP corpus. */
export const POSTER_SPACES: Readonly<Record<string, string>> = Object.freeze({ tudp: 'cnn', tusz: 'lstm' });

/** Per protocol: Keras Tuner's RandomSearch on the poster's space, and ours (TPE, ASHA, complete space). */
export const PROTOCOL_DEFAULTS: Readonly<Record<ProtocolName, ProtocolDefaults>> = Object.freeze({
  ours: Object.freeze({ space: 'complete', sampler: 'tpe', pruner: 'asha', topK: 3, retrainSeeds: 3 }),
  'keras-tuner': Object.freeze({
    space: 'poster',
    sampler: 'random',
    pruner: 'none',
    topK: 1,
    retrainSeeds: 0,
  }),
} as const);

/** The complete settings of one study (what `tuneCorpus` runs with). */
export interface StudyProtocolOptions extends ProtocolDefaults {
  readonly protocol: ProtocolName;
  /** Study seed: trial seeds, sampler streams and retrain seeds derive from it. */
  readonly seed: number;
  /**
   * Worker processes sharing the study, this one included. More than one finishes sooner, but the
   * sequence of trials then depends on which worker finishes first, so the default stays 1 and the
   * pipeline gets its parallelism from running studies side by side (`tunePipeline`'s `jobs`).
   */
  readonly workers: number;
  /** The search stops after this many failed search trials in a row. */
  readonly maxConsecutiveFailures: number;
}

/** Defaults of the settings every protocol shares. */
export const STUDY_DEFAULTS = Object.freeze({ seed: 1, workers: 1, maxConsecutiveFailures: 10 } as const);

/**
 * One protocol's complete, validated study settings for a corpus: the caller's values over
 * PROTOCOL_DEFAULTS and STUDY_DEFAULTS. `space: 'poster'` becomes the corpus's poster-like space.
 * keras-tuner has no retraining, so its topK and retrainSeeds are fixed at 1 and 0.
 */
export function resolveProtocolOptions(
  protocol: ProtocolName,
  corpus: string,
  partial: Partial<Omit<StudyProtocolOptions, 'protocol'>> = {},
): Readonly<StudyProtocolOptions> {
  checkOneOf('protocol', protocol, PROTOCOLS);
  const defaults = PROTOCOL_DEFAULTS[protocol];
  const o = { ...defaults, ...STUDY_DEFAULTS, ...partial, protocol };
  if (o.space === 'poster') o.space = POSTER_SPACES[corpus] ?? 'mlp';
  checkOneOf('sampler', o.sampler, SAMPLERS);
  checkOneOf('pruner', o.pruner, PRUNERS);
  checkInteger('seed', o.seed, { min: 0, max: 0xffffffff });
  checkInteger('workers', o.workers, { min: 1, max: 64 });
  checkInteger('maxConsecutiveFailures', o.maxConsecutiveFailures, { min: 1 });
  if (protocol === 'keras-tuner') {
    o.topK = defaults.topK;
    o.retrainSeeds = defaults.retrainSeeds;
  } else {
    checkInteger('topK', o.topK, { min: 1, max: 100 });
    checkInteger('retrainSeeds', o.retrainSeeds, { min: 1, max: 100 });
  }
  return Object.freeze(o);
}

/**
 * How trials are trained, ranked and chosen.
 * - `ours`: early stopping on an inner split of train; a fit gate (only trials whose inner-validation
 *   error is near the best one's go on, see fit-gate.ts); among those, ranking on dev, the top-k
 *   re-trained with several seeds and chosen by the one-standard-error rule (the simplest within
 *   1 SE of the best).
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
  /** The fit gate that ran before dev decided (`ours` only). */
  gate?: { bestInnerValError: number | null; threshold: number | null; rejected: number[] };
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

const gateRecord = (g: FitGate): NonNullable<Selection['gate']> => ({
  bestInnerValError: g.bestInnerValError,
  threshold: g.threshold,
  rejected: g.rejected,
});

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

/** The protocol of resolved study settings (see resolveProtocolOptions). */
export function resolveProtocol(
  options: Pick<StudyProtocolOptions, 'protocol' | 'seed' | 'topK' | 'retrainSeeds'>,
): Protocol {
  const name = options.protocol;
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
  const { topK, retrainSeeds } = options;
  return {
    name,
    earlyStopOn: 'inner',
    topK,
    retrainSeeds,
    afterSearch(search) {
      return topTrials(fitGate(search).eligible, topK).flatMap((t) =>
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
      const gate = fitGate(search);
      const parents = topTrials(gate.eligible, topK);
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
      if (candidates.every((c) => c.devErrors.length === 0))
        return { ...bestDev(gate.eligible), gate: gateRecord(gate) };
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
        gate: gateRecord(gate),
      };
    },
  };
}
