/**
 * Per-group standardisation. A feature row of length L is split into groups by
 * group(i) = ⌊i / groupStride⌋ mod groupCount (e.g. EEG raw [frame][channel][sample]: stride =
 * window, count = channels → per EEG channel; RGB patches [y][x][c]: stride 1, count 3).
 * Statistics are fitted on train only and applied unchanged to dev and eval.
 */
export interface GroupLayout {
  /** What one group is, for people reading the metadata ("channel", "channel×feature", …). */
  groupedBy: string;
  groupStride: number;
  groupCount: number;
}

/** Recorded in every output's metadata. `applied`: whether `x` on disk is already standardised. */
export interface Normalization {
  method: 'standard' | 'none';
  fittedOn: 'train';
  groupedBy: string;
  groupStride: number;
  groupCount: number;
  /** Values per group that the fit saw. */
  count: number[];
  mean: number[];
  /** Population standard deviation (ddof 0); a group with std below 1e-12 gets 1. */
  std: number[];
  applied: boolean;
}

export interface StatsAccumulator {
  add(values: ArrayLike<number>, offset: number, rowLength: number, rows: number): void;
  finish(applied: boolean): Normalization;
}

/** Mean/std per group in float64 with a per-group shift (first value seen) to keep sums exact enough. */
export function createStatsAccumulator(layout: GroupLayout): StatsAccumulator {
  const { groupStride, groupCount } = layout;
  const shift = new Float64Array(groupCount);
  const seen = new Uint8Array(groupCount);
  const sum = new Float64Array(groupCount);
  const sumSq = new Float64Array(groupCount);
  const count = new Float64Array(groupCount);
  return {
    add(values, offset, rowLength, rows) {
      for (let r = 0; r < rows; r++) {
        const base = offset + r * rowLength;
        let g = 0;
        let inGroup = 0;
        for (let i = 0; i < rowLength; i++) {
          const v = values[base + i];
          if (seen[g] === 0) {
            seen[g] = 1;
            shift[g] = v;
          }
          const d = v - shift[g];
          sum[g] += d;
          sumSq[g] += d * d;
          count[g] += 1;
          if (++inGroup === groupStride) {
            inGroup = 0;
            if (++g === groupCount) g = 0;
          }
        }
      }
    },
    finish(applied) {
      const mean: number[] = [];
      const std: number[] = [];
      for (let g = 0; g < groupCount; g++) {
        const n = count[g];
        const m = n > 0 ? sum[g] / n : 0;
        const variance = n > 0 ? Math.max(0, sumSq[g] / n - m * m) : 0;
        const s = Math.sqrt(variance);
        mean.push(shift[g] + m);
        std.push(s > 1e-12 ? s : 1);
      }
      return {
        method: 'standard',
        fittedOn: 'train',
        ...layout,
        count: Array.from(count),
        mean,
        std,
        applied,
      };
    },
  };
}

/** The identity record for pass-through outputs. */
export function noNormalization(layout: GroupLayout): Normalization {
  return { method: 'none', fittedOn: 'train', ...layout, count: [], mean: [], std: [], applied: false };
}

/** Standardises `rows` rows of `values` in place (float32) with fitted statistics. */
export function applyNormalization(
  values: Float32Array,
  rowLength: number,
  rows: number,
  normalization: Normalization,
): void {
  if (normalization.method === 'none') return;
  const { groupStride, groupCount } = normalization;
  const mean = Float64Array.from(normalization.mean);
  const scale = Float64Array.from(normalization.std, (s) => 1 / s);
  for (let r = 0; r < rows; r++) {
    const base = r * rowLength;
    let g = 0;
    let inGroup = 0;
    for (let i = 0; i < rowLength; i++) {
      values[base + i] = (values[base + i] - mean[g]) * scale[g];
      if (++inGroup === groupStride) {
        inGroup = 0;
        if (++g === groupCount) g = 0;
      }
    }
  }
}
