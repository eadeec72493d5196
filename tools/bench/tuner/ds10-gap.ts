// The check on the real IMLD set_10 (#10): tune the MLP under our protocol and under the
// Keras Tuner protocol with the same space, sampler, seed and number of trainings, then compare the
// chosen models' dev → eval gaps (eval read only after the choice, for metrics.json).
//   node --import tsx tools/bench/tuner/ds10-gap.ts [--trials 12] [--max-epochs 10] [--max-train-rows 20000] [--out tmp/tune-ds10-gap]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stderrLogger } from '@corpus-tune/core';
import { tuneCorpus } from '@corpus-tune/tune';
import type { TuneBudget } from '@corpus-tune/tune';
import { set10Available, writeSet10Arrow } from './set10.ts';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '12' },
    'max-epochs': { type: 'string', default: '10' },
    'max-train-rows': { type: 'string', default: '20000' },
    'top-k': { type: 'string', default: '2' },
    seeds: { type: 'string', default: '3' },
    space: { type: 'string', default: 'mlp' },
    sampler: { type: 'string', default: 'random' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'tmp/tune-ds10-gap' },
  },
});
if (!set10Available()) {
  process.stderr.write('ds10-gap: ../shared/data/imld/set_10 absent; nothing to check\n');
  process.exit(0);
}
const out = resolve(values.out);
const splits = writeSet10Arrow(join(out, 'set_10'));
const topK = Number(values['top-k']);
const retrainSeeds = Number(values.seeds);
const trials = Number(values.trials);
const common = { maxEpochs: Number(values['max-epochs']), maxTrainRows: Number(values['max-train-rows']) };
// Same number of trainings: Keras Tuner's protocol spends our retrains on more search trials.
const budgets: Record<'ours' | 'keras-tuner', TuneBudget> = {
  ours: { trials, ...common, topK, retrainSeeds },
  'keras-tuner': { trials: trials + topK * retrainSeeds, ...common },
};
const rows: string[] = [];
for (const protocol of ['ours', 'keras-tuner'] as const) {
  const t0 = performance.now();
  const r = await tuneCorpus({
    corpus: 'ds10',
    splitsDir: splits,
    studyDir: join(out, protocol),
    metricsDir: join(out, `mlp-a-${protocol}`),
    protocol,
    budget: budgets[protocol],
    seed: Number(values.seed),
    space: values.space,
    sampler: values.sampler as 'random',
    pruner: 'none',
    backend: 'wasm',
    logger: stderrLogger,
  });
  const metrics = JSON.parse(readFileSync(r.metricsPath as string, 'utf8')) as { errors: Record<string, { rate: number }>; parameterCount: number; layout: unknown[] };
  const dev = metrics.errors.dev.rate;
  const evalRate = metrics.errors.eval.rate;
  rows.push(
    `${protocol.padEnd(12)} trial ${String(r.selection.trial).padStart(2)} (${r.selection.rule}), ${metrics.parameterCount} params: train ${(100 * metrics.errors.train.rate).toFixed(2)} %, dev ${(100 * dev).toFixed(2)} %, eval ${(100 * evalRate).toFixed(2)} %, gap eval−dev ${(100 * (evalRate - dev)).toFixed(2)} pp (|gap| ${(100 * Math.abs(evalRate - dev)).toFixed(2)}), ranked-on dev ${(100 * r.selection.devError).toFixed(2)} %, ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}
process.stdout.write(`ds10 (set_10) dev→eval gap, ${values.space} space, ${values.sampler} sampler, seed ${values.seed}, ${trials} search trials + ${topK}×${retrainSeeds} retrains (keras-tuner: ${trials + topK * retrainSeeds} search trials), ≤ ${common.maxEpochs} epochs, ≤ ${common.maxTrainRows} train rows\n${rows.join('\n')}\n`);
