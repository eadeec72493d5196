// Benchmark: our TPE vs Debian's python3-optuna TPE on Branin and Hartmann-6, same budgets and seeds.
// Prints the median best value after N trials (and its regret to the known minimum) and the sampler's
// time per trial for both, with ratios, and whether the regret difference is within noise: a sign
// test over seeds (same seed for both, though the two samplers' random streams are unrelated) and a
// bootstrap 95 % interval of the difference of median regrets (ours − Optuna, groups resampled apart).
// `--density scale-free,exact` also runs our TPE with the textbook Parzen density
// (`scaleFreeDensity: false`) on the same seeds and prints its regret beside the default's.
//   node --import tsx tools/bench/tuner/run.ts [--repeats 10] [--trials 50,200]
//     [--functions branin,hartmann6] [--density scale-free|exact|scale-free,exact]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '@corpus-tune/core';
import { TEST_FUNCTIONS, tpeSampler } from '@corpus-tune/tune';
import type { FrozenTrial, Params } from '@corpus-tune/tune';

const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '10' },
    trials: { type: 'string', default: '50,200' },
    functions: { type: 'string', default: 'branin,hartmann6' },
    density: { type: 'string', default: 'scale-free' },
  },
});
const DENSITIES = ['scale-free', 'exact'] as const;
type Density = (typeof DENSITIES)[number];
const densities = values.density.split(',').map((d) => {
  if (!(DENSITIES as readonly string[]).includes(d))
    throw new Error(`--density ${d}: expected ${DENSITIES.join(' or ')}`);
  return d as Density;
});
const repeats = Number(values.repeats);
const checkpoints = values.trials.split(',').map(Number);
const maxTrials = Math.max(...checkpoints);
const functions = values.functions.split(',');
const seeds = Array.from({ length: repeats }, (_, i) => i + 1);

interface Run {
  seed: number;
  best: Record<string, number>;
  samplerMsPerTrial: number;
}

function ours(name: string, seed: number, density: Density): Run {
  const fn = TEST_FUNCTIONS[name];
  const sampler = tpeSampler(seed, { scaleFreeDensity: density === 'scale-free' });
  const trials: FrozenTrial[] = [];
  let spentMs = 0;
  let running = Infinity;
  const best: Record<string, number> = {};
  for (let n = 0; n < maxTrials; n++) {
    const t0 = performance.now();
    const params: Params = sampler.sample({ space: fn.space, trials, number: n });
    spentMs += performance.now() - t0;
    const value = fn.evaluate(params as Record<string, number>);
    trials.push({
      id: n,
      number: n,
      state: 'COMPLETE',
      params,
      distributions: {},
      value,
      intermediate: new Map(),
      userAttrs: {},
      systemAttrs: {},
      datetimeStart: null,
      datetimeComplete: null,
    });
    running = Math.min(running, value);
    if (checkpoints.includes(n + 1)) best[String(n + 1)] = running;
  }
  return { seed, best, samplerMsPerTrial: spentMs / maxTrials };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Two-sided exact sign test p-value for `wins` successes out of `n` (ties dropped). */
function signTestP(wins: number, n: number): number {
  if (n === 0) return 1;
  // P(X ≤ k) for X ~ Binomial(n, ½), by the running ratio C(n, k + 1) = C(n, k) (n − k) / (k + 1).
  let term = 2 ** -n;
  let tail = 0;
  for (let k = 0; k <= Math.min(wins, n - wins); k++) {
    tail += term;
    term *= (n - k) / (k + 1);
  }
  return Math.min(1, 2 * tail);
}

/** Seeded bootstrap 95 % interval of median(a) − median(b), each sample resampled on its own. */
function bootstrapMedianDiff(a: number[], b: number[], resamples = 4000, seed = 12345): [number, number] {
  const rng = createRng(seed);
  const draw = (xs: number[]): number[] => xs.map(() => xs[rng.int(xs.length)]);
  const diffs = Array.from({ length: resamples }, () => median(draw(a)) - median(draw(b))).sort(
    (x, y) => x - y,
  );
  return [diffs[Math.floor(0.025 * resamples)], diffs[Math.ceil(0.975 * resamples) - 1]];
}

const python = '/usr/bin/python3';
const peerScript = join(dirname(fileURLToPath(import.meta.url)), 'optuna_peer.py');
let peer: Record<string, Run[]> | null = null;
const probe = existsSync(python) ? spawnSync(python, ['-c', 'import optuna'], { encoding: 'utf8' }) : null;
if (probe && probe.status === 0) {
  process.stderr.write(`optuna peer: ${repeats} repeats × ${functions.join(', ')} × ${maxTrials} trials …\n`);
  const r = spawnSync(python, [peerScript, JSON.stringify({ functions, seeds, trials: checkpoints })], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`optuna peer failed: ${r.stderr}`);
  peer = JSON.parse(r.stdout) as Record<string, Run[]>;
} else {
  process.stderr.write('optuna peer skipped: /usr/bin/python3 with python3-optuna not found\n');
}

process.stdout.write(`TPE benchmark: ${repeats} seeds, median over seeds (regret = best − known minimum)\n`);
process.stdout.write(
  'function    trials   density      ours best (regret)        optuna best (regret)      regret ratio\n',
);
const timing: string[] = [];
const noise: string[] = [];
const densityRatios: string[] = [];
for (const name of functions) {
  const fn = TEST_FUNCTIONS[name];
  const peerRuns = peer
    ? seeds.map((s) => (peer as Record<string, Run[]>)[name].find((r) => r.seed === s) as Run)
    : null;
  const mineBy = new Map(densities.map((d) => [d, seeds.map((s) => ours(name, s, d))]));
  const regrets = (runs: Run[], n: number): number[] => runs.map((r) => r.best[String(n)] - fn.minimum);
  for (const n of checkpoints) {
    for (const [density, mine] of mineBy) {
      const m = median(mine.map((r) => r.best[String(n)]));
      const o = peerRuns ? median(peerRuns.map((r) => r.best[String(n)])) : NaN;
      const fmt = (v: number): string =>
        Number.isNaN(v)
          ? '-'.padEnd(24)
          : `${v.toFixed(4)} (${(v - fn.minimum).toExponential(2)})`.padEnd(24);
      const ratio = peerRuns ? ((m - fn.minimum) / (o - fn.minimum)).toFixed(2) : '-';
      process.stdout.write(
        `${name.padEnd(11)} ${String(n).padStart(6)}   ${density.padEnd(10)}   ${fmt(m)}  ${fmt(o)}  ${ratio}\n`,
      );
      if (peerRuns) {
        const a = regrets(mine, n);
        const b = regrets(peerRuns, n);
        const better = a.filter((v, i) => v < b[i]).length;
        const worse = a.filter((v, i) => v > b[i]).length;
        const [lo, hi] = bootstrapMedianDiff(a, b);
        const verdict = lo <= 0 && hi >= 0 ? 'within noise' : hi < 0 ? 'ours lower' : 'Optuna lower';
        noise.push(
          `${name.padEnd(11)} ${String(n).padStart(6)}   ${density}: ours better on ${better}/${a.length} seeds, ` +
            `worse on ${worse} (sign test p = ${signTestP(better, better + worse).toFixed(3)}); ` +
            `median regret difference ours − Optuna ${(median(a) - median(b)).toExponential(2)}, ` +
            `bootstrap 95 % CI [${lo.toExponential(2)}, ${hi.toExponential(2)}]: ${verdict}`,
        );
      }
    }
    const free = mineBy.get('scale-free');
    const exact = mineBy.get('exact');
    if (free && exact) {
      const a = regrets(free, n);
      const b = regrets(exact, n);
      const better = a.filter((v, i) => v < b[i]).length;
      const worse = a.filter((v, i) => v > b[i]).length;
      const [lo, hi] = bootstrapMedianDiff(a, b);
      densityRatios.push(
        `${name.padEnd(11)} ${String(n).padStart(6)}   median regret scale-free / exact ` +
          `${(median(a) / median(b)).toFixed(2)}; scale-free lower on ${better}/${a.length} seeds, ` +
          `higher on ${worse} (sign test p = ${signTestP(better, better + worse).toFixed(3)}); ` +
          `bootstrap 95 % CI of the median difference [${lo.toExponential(2)}, ${hi.toExponential(2)}]`,
      );
    }
  }
  const [firstDensity, firstRuns] = [...mineBy][0];
  const oursMs = median(firstRuns.map((r) => r.samplerMsPerTrial));
  const optMs = peer ? median(peer[name].map((r) => r.samplerMsPerTrial)) : NaN;
  const optText = Number.isNaN(optMs) ? '-' : optMs.toFixed(2);
  const ratioText = Number.isNaN(optMs) ? '-' : (oursMs / optMs).toFixed(2);
  timing.push(
    `${name.padEnd(11)} ${maxTrials} trials: ours (${firstDensity}) ${oursMs.toFixed(2)} ms/trial, ` +
      `optuna ${optText} ms/trial, ratio ${ratioText}`,
  );
}
if (noise.length > 0) process.stdout.write(`regret, ours vs Optuna per seed:\n${noise.join('\n')}\n`);
if (densityRatios.length > 0)
  process.stdout.write(`our two Parzen densities, same seeds:\n${densityRatios.join('\n')}\n`);
process.stdout.write(`sampler time per trial (median over seeds):\n${timing.join('\n')}\n`);
