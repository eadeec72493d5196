/** One candidate configuration with its repeated dev errors (one per retraining seed). */
export interface SeCandidate<K = number> {
  key: K;
  /** Lower is simpler (e.g. parameter count). */
  complexity: number;
  devErrors: readonly number[];
}

export interface SeRow<K = number> {
  key: K;
  complexity: number;
  n: number;
  mean: number;
  /** Standard error of the mean (sample sd / √n; 0 for one run). */
  se: number;
  withinOneSe: boolean;
}

export interface OneSeChoice<K = number> {
  chosen: SeRow<K>;
  best: SeRow<K>;
  /** best.mean + best.se */
  threshold: number;
  rows: SeRow<K>[];
}

export function meanAndSe(xs: readonly number[]): { mean: number; se: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, se: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, se: 0 };
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(variance / n) };
}

/**
 * The one-standard-error rule (Breiman et al. 1984; Hastie et al., ESL §7.10): among the
 * candidates whose mean dev error is within one standard error of the best mean, take the
 * simplest; ties go to the lower mean, then the lower key. Candidates without runs are ignored.
 */
export function chooseOneSe<K extends number | string>(
  candidates: readonly SeCandidate<K>[],
): OneSeChoice<K> {
  const rows: SeRow<K>[] = candidates
    .filter((c) => c.devErrors.length > 0)
    .map((c) => ({
      key: c.key,
      complexity: c.complexity,
      n: c.devErrors.length,
      ...meanAndSe(c.devErrors),
      withinOneSe: false,
    }));
  if (rows.length === 0) throw new Error('one-SE rule: no candidate has a dev error');
  const byKey = (a: SeRow<K>, b: SeRow<K>): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const best = [...rows].sort((a, b) => a.mean - b.mean || byKey(a, b))[0];
  const threshold = best.mean + best.se;
  for (const r of rows) r.withinOneSe = r.mean <= threshold + 1e-12;
  const chosen = rows
    .filter((r) => r.withinOneSe)
    .sort((a, b) => a.complexity - b.complexity || a.mean - b.mean || byKey(a, b))[0];
  return { chosen, best, threshold, rows };
}
