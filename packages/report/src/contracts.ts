// The stage outputs the report reads (docs/conventions.md, "Train / tune outputs"): metrics.json and
// bayes.json through train's reader, tune's trials and selection as types plus tolerant parsers here.
// A missing optional field is left out, a missing essential one is an InputError naming the file, so
// one bad file becomes a visible note and never stops the report.
import { InputError } from '@corpus-tune/core';

export { CORPORA, SPLITS } from '@corpus-tune/core';
export type { CorpusId, SplitName as Split } from '@corpus-tune/core';
// train's outputs are read with train's reader; the names the report uses for them:
export { parseBayes, parseErrorRate, parseMetrics } from '@corpus-tune/train';
export type {
  BayesEstimate,
  BayesReport,
  ErrorRateRecord as ErrorRate,
  LayoutLayer,
  LearningCurvePoint,
  SystemMetrics,
} from '@corpus-tune/train';

export interface Trial {
  number: number;
  /** 'search', or 'retrain' for the top-k re-runs with other seeds (our protocol). */
  role: string;
  state: string;
  params: Record<string, unknown>;
  devError: number | null;
  innerValError: number | null;
  reason: string | null;
  seconds: number | null;
  seed: number | null;
  parameterCount: number | null;
}

/** The tuner's choice (best.json `selection`), when it wrote one. */
export interface TunerSelection {
  trial: number;
  rule: string;
  devError: number | null;
  devErrorSe: number | null;
  seeds: number[];
  sampler: string | null;
  pruner: string | null;
  budgetTrials: number | null;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function parseTrials(raw: unknown, file: string): Trial[] {
  if (!Array.isArray(raw)) throw new InputError('trials.json is not a JSON array', { file });
  return raw.map((t, i) => {
    if (!isObject(t)) throw new InputError(`trial ${i} is not an object`, { file });
    return {
      number: num(t.number) ?? i,
      role: str(t.role) ?? 'search',
      state: str(t.state) ?? 'UNKNOWN',
      params: isObject(t.params) ? t.params : {},
      devError: num(t.devError) ?? null,
      innerValError: num(t.innerValError) ?? null,
      reason: str(t.reason) ?? null,
      seconds: num(t.seconds) ?? null,
      seed: num(t.seed) ?? null,
      parameterCount: num(t.parameterCount) ?? null,
    };
  });
}

/** The selection in best.json; null when it has none (an unfinished study). */
export function parseSelection(raw: unknown): TunerSelection | null {
  if (!isObject(raw) || !isObject(raw.selection) || num(raw.selection.trial) === undefined) return null;
  const s = raw.selection;
  return {
    trial: s.trial as number,
    rule: str(s.rule) ?? 'unknown',
    devError: num(s.devError) ?? null,
    devErrorSe: num(s.devErrorSe) ?? null,
    seeds: Array.isArray(s.seeds) ? s.seeds.filter((x): x is number => num(x) !== undefined) : [],
    sampler: str(raw.sampler) ?? null,
    pruner: str(raw.pruner) ?? null,
    budgetTrials: isObject(raw.budget) ? (num(raw.budget.trials) ?? null) : null,
  };
}
