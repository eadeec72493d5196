import type { Rng } from '@corpus-tune/core';
import { createRng } from '@corpus-tune/core';
import type { Params, SearchSpace } from '../space.ts';
import type { FrozenTrial } from '../trial.ts';

/** What a sampler sees when asked for trial `number`: the space and the frozen history. */
export interface SampleContext {
  readonly space: SearchSpace;
  /** All search trials of the study so far (finished and running), in number order. */
  readonly trials: readonly FrozenTrial[];
  /** The number of the trial being sampled. */
  readonly number: number;
  /** 0 for the first proposal; higher when the study rejected earlier ones (too close to a failure). */
  readonly attempt?: number;
}

/**
 * A sampler proposes a configuration. It owns a seeded RNG: the draw for trial n depends only on
 * (seed, n, history), so resuming a study or rerunning it with one worker repeats the sequence.
 */
export interface Sampler {
  readonly name: string;
  sample(context: SampleContext): Params;
}

/** The per-trial RNG stream of a sampler: stable across processes and resumes. */
export function trialRng(seed: number, samplerName: string, context: SampleContext): Rng {
  return createRng(seed).fork(`${samplerName}:${context.number}:${context.attempt ?? 0}`);
}
