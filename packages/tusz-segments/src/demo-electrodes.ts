// The demo's 21 referential electrodes (TUH names) and their places on a flattened head, so that
// seizure fields, artefact fields and rhythms can fall off with distance instead of by lists.

/** Flattened 10-20 positions: x left (−1) → right (+1), y back (−1) → front (+1). */
export const ELECTRODE_XY: Readonly<Record<string, readonly [number, number]>> = Object.freeze({
  FP1: [-0.3, 0.95],
  FP2: [0.3, 0.95],
  F7: [-0.8, 0.6],
  F3: [-0.4, 0.55],
  FZ: [0, 0.5],
  F4: [0.4, 0.55],
  F8: [0.8, 0.6],
  T3: [-1, 0],
  C3: [-0.5, 0],
  CZ: [0, 0],
  C4: [0.5, 0],
  T4: [1, 0],
  T5: [-0.8, -0.6],
  P3: [-0.4, -0.55],
  PZ: [0, -0.5],
  P4: [0.4, -0.55],
  T6: [0.8, -0.6],
  O1: [-0.3, -0.95],
  O2: [0.3, -0.95],
  A1: [-1.15, -0.1],
  A2: [1.15, -0.1],
});

export const ELECTRODES: readonly string[] = Object.freeze(Object.keys(ELECTRODE_XY));

/** Gaussian fall-off around a centre (radius in the units of ELECTRODE_XY); tiny gains are dropped. */
export function fieldAround(
  centre: readonly [number, number],
  radius: number,
  minGain = 0.05,
): { electrodes: string[]; gains: number[] } {
  const electrodes: string[] = [];
  const gains: number[] = [];
  for (const e of ELECTRODES) {
    const [x, y] = ELECTRODE_XY[e];
    const d2 = (x - centre[0]) ** 2 + (y - centre[1]) ** 2;
    const g = Math.exp(-d2 / (2 * radius * radius));
    if (g >= minGain) {
      electrodes.push(e);
      gains.push(g);
    }
  }
  return { electrodes, gains };
}
