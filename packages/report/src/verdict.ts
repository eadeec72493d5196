// Whether a poster cell is reproduced: the poster's value must lie inside our 95 % interval widened by
// a tolerance for what one training run cannot pin down (seed-to-seed spread, which a single run's
// binomial interval does not contain). The tolerance and the spread it comes from are in the README.
import type { ErrorRate } from './contracts.ts';

/**
 * Percentage points added on each side of our 95 % interval: about three seed-to-seed standard
 * deviations of the eval error measured on the real set_10 (see the report README, "Reproduction
 * verdicts").
 */
export const REPRODUCTION_TOLERANCE_PP = 1;

export interface CellVerdict {
  reproduced: boolean;
  /** Ours minus the poster's, in percentage points (signed). */
  differencePp: number;
}

export function cellVerdict(
  ours: ErrorRate | null,
  posterPercent: number | null,
  tolerancePp = REPRODUCTION_TOLERANCE_PP,
): CellVerdict | null {
  if (!ours || posterPercent === null || !Number.isFinite(ours.rate)) return null;
  const lowerPp = 100 * (ours.lower95 ?? ours.rate) - tolerancePp;
  const upperPp = 100 * (ours.upper95 ?? ours.rate) + tolerancePp;
  return {
    reproduced: posterPercent >= lowerPp && posterPercent <= upperPp,
    differencePp: 100 * ours.rate - posterPercent,
  };
}

/** "reproduced" or "differs by +3.10 pp". */
export function verdictText(v: CellVerdict): string {
  if (v.reproduced) return 'reproduced';
  return `differs by ${v.differencePp >= 0 ? '+' : '−'}${Math.abs(v.differencePp).toFixed(2)} pp`;
}
