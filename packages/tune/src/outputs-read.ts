// The reader of a study's trials.json and best.json (written by outputs.ts and tune-corpus.ts) for
// other stages (the report): tolerant of a missing optional field, an InputError naming the file for a
// malformed one, so one bad file becomes a visible note and never stops a reader.
import { InputError, finiteField as num, isJsonObject, stringField as str } from '@corpus-tune/core';

/** A trials.json row as a reader sees it (TrialRow's fields that every version wrote). */
export interface TrialRecord {
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

/** The tuner's choice (best.json `selection`) with the study settings a reader reports beside it. */
export interface SelectionRecord {
  trial: number;
  rule: string;
  devError: number | null;
  devErrorSe: number | null;
  seeds: number[];
  sampler: string | null;
  pruner: string | null;
  budgetTrials: number | null;
}

export function parseTrials(raw: unknown, file: string): TrialRecord[] {
  if (!Array.isArray(raw)) throw new InputError('trials.json is not a JSON array', { file });
  return raw.map((t, i) => {
    if (!isJsonObject(t)) throw new InputError(`trial ${i} is not an object`, { file });
    return {
      number: num(t.number) ?? i,
      role: str(t.role) ?? 'search',
      state: str(t.state) ?? 'UNKNOWN',
      params: isJsonObject(t.params) ? t.params : {},
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
export function parseSelection(raw: unknown): SelectionRecord | null {
  if (!isJsonObject(raw) || !isJsonObject(raw.selection) || num(raw.selection.trial) === undefined)
    return null;
  const s = raw.selection;
  return {
    trial: s.trial as number,
    rule: str(s.rule) ?? 'unknown',
    devError: num(s.devError) ?? null,
    devErrorSe: num(s.devErrorSe) ?? null,
    seeds: Array.isArray(s.seeds) ? s.seeds.filter((x): x is number => num(x) !== undefined) : [],
    sampler: str(raw.sampler) ?? null,
    pruner: str(raw.pruner) ?? null,
    budgetTrials: isJsonObject(raw.budget) ? (num(raw.budget.trials) ?? null) : null,
  };
}
