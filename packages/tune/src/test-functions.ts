import type { SearchSpace } from './space.ts';

/** Standard optimisation test functions (Surjanovic & Bingham's library), for tests and benchmarks. */
export interface TestFunction {
  name: string;
  /** Global minimum value. */
  minimum: number;
  space: SearchSpace;
  evaluate(x: Record<string, number>): number;
}

const floatSpace = (name: string, bounds: [string, number, number][]): SearchSpace => ({
  name,
  description: `${name} test function`,
  parameters: bounds.map(([n, low, high]) => ({ name: n, type: 'float', low, high, step: null, log: false })),
  manual: null,
  source: `<${name}>`,
});

export const branin: TestFunction = {
  name: 'branin',
  minimum: 0.397887,
  space: floatSpace('branin', [
    ['x1', -5, 10],
    ['x2', 0, 15],
  ]),
  evaluate({ x1, x2 }) {
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
};

const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
];
const H6_ALPHA = [1, 1.2, 3, 3.2];

export const hartmann6: TestFunction = {
  name: 'hartmann6',
  minimum: -3.32237,
  space: floatSpace(
    'hartmann6',
    Array.from({ length: 6 }, (_, i): [string, number, number] => [`x${i + 1}`, 0, 1]),
  ),
  evaluate(x) {
    let total = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H6_A[i][j] * (x[`x${j + 1}`] - H6_P[i][j] * 1e-4) ** 2;
      total += H6_ALPHA[i] * Math.exp(-inner);
    }
    return -total;
  },
};

export const TEST_FUNCTIONS: Record<string, TestFunction> = { branin, hartmann6 };
