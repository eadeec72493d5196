// The dev → eval gap check (#7): tune the MLP under our protocol and under the Keras Tuner
// protocol with the same number of trainings, on any imld-gen-shaped folder and over several seeds,
// then compare the chosen models' eval − dev (eval read only after the choice, for metrics.json).
//   node --import tsx tools/bench/tuner/ds10-gap.ts [--data DIR] [--seeds-list 1,2,3] [--trials 12]
//     [--max-epochs 10] [--max-train-rows 20000] [--top-k 2] [--seeds 3] [--space mlp] [--sampler random]
//     [--defaults] [--out tmp/tune-ds10-gap]
// Without --data it converts the real IMLD set_10 (../shared/data/imld/set_10). With --defaults each
// protocol uses its own default space/sampler/pruner (ours: complete + tpe + asha; keras-tuner: mlp +
// random + none) instead of --space/--sampler with no pruning. Studies live under
// <out>/seed-<s>/<protocol>/, so a rerun with the same settings reuses finished studies.
// The reference is trial 0 of our study (the manual MLP-M1 configuration, trained without looking at
// dev): its eval − dev is the split's own offset, and "excess" = a chosen model's gap − that offset.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sharedDataDir, silentLogger, stderrLogger, SPLITS } from '@corpus-tune/core';
import { evaluateModel, loadModel, readMetrics } from '@corpus-tune/train';
import type { FeatureSplit } from '@corpus-tune/train';
import { loadTuningSplit, meanAndSe, SAMPLERS, tuneCorpus } from '@corpus-tune/tune';
import type { TuneBudget, TuneCorpusOptions } from '@corpus-tune/tune';
import { findImldSet, importImldSet } from '@corpus-tune/imld-gen';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    'seeds-list': { type: 'string' },
    seed: { type: 'string', default: '1' },
    trials: { type: 'string', default: '12' },
    'max-epochs': { type: 'string', default: '10' },
    'max-train-rows': { type: 'string', default: '20000' },
    'top-k': { type: 'string', default: '2' },
    seeds: { type: 'string', default: '3' },
    space: { type: 'string', default: 'mlp' },
    sampler: { type: 'string', default: 'random' },
    defaults: { type: 'boolean', default: false },
    'no-reference': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    out: { type: 'string', default: 'tmp/tune-ds10-gap' },
  },
});

const PROTOCOLS = ['ours', 'keras-tuner'] as const;
type ProtocolKey = (typeof PROTOCOLS)[number];
type Split = 'train' | 'dev' | 'eval';

const out = resolve(values.out);
let splits: string;
if (values.data) {
  splits = resolve(values.data);
  if (!existsSync(join(splits, 'train.arrow'))) throw new Error(`ds10-gap: no train.arrow in ${splits}`);
} else {
  const imldRoot = sharedDataDir('imld');
  const set10 = existsSync(imldRoot) ? findImldSet(imldRoot, 'ds10') : null;
  if (set10?.kind !== 'found') {
    process.stderr.write('ds10-gap: ../shared/data/imld/set_10 absent and no --data; nothing to check\n');
    process.exit(0);
  }
  // The pipeline's own importer, so the bench reads set_10 exactly as imld-gen:prepare does.
  splits = importImldSet(set10, join(out, 'imld-gen')).dir;
}
const seedList = (values['seeds-list'] ?? values.seed).split(',').map((s) => Number(s.trim()));
const topK = Number(values['top-k']);
const retrainSeeds = Number(values.seeds);
const trials = Number(values.trials);
const common = { maxEpochs: Number(values['max-epochs']), maxTrainRows: Number(values['max-train-rows']) };
// Same number of trainings: Keras Tuner's protocol spends our retrains on more search trials.
const budgets: Record<ProtocolKey, TuneBudget> = {
  ours: { trials, ...common, topK, retrainSeeds },
  'keras-tuner': { trials: trials + topK * retrainSeeds, ...common },
};
const sampler = SAMPLERS.find((name) => name === values.sampler);
if (!sampler)
  throw new Error(`ds10-gap: --sampler must be one of ${SAMPLERS.join(', ')}, got "${values.sampler}"`);
const settings: Pick<TuneCorpusOptions, 'space' | 'sampler' | 'pruner'> = values.defaults
  ? {}
  : { space: values.space, sampler, pruner: 'none' };
const describe = values.defaults
  ? 'defaults (ours: complete + tpe + asha; keras-tuner: mlp + random + none)'
  : `${values.space} space, ${values.sampler} sampler, no pruner`;

let data: Record<Split, FeatureSplit> | null = null;
const splitData = (): Record<Split, FeatureSplit> =>
  (data ??= {
    train: loadTuningSplit(join(splits, 'train.arrow')),
    dev: loadTuningSplit(join(splits, 'dev.arrow')),
    eval: loadTuningSplit(join(splits, 'eval.arrow')),
  });

/** train/dev/eval error of a saved trial model (the reference), or null when its checkpoint is gone. */
async function trialErrors(studyDir: string, trial: number): Promise<Record<Split, number> | null> {
  const dir = join(studyDir, 'checkpoints', `trial-${trial}`, 'model');
  if (!existsSync(dir)) return null;
  const model = await loadModel(dir);
  const e = Object.fromEntries(
    SPLITS.map((s) => [s, evaluateModel(model, splitData()[s]).error.rate]),
  ) as Record<Split, number>;
  model.dispose();
  return e;
}

interface Row {
  seed: number;
  protocol: ProtocolKey;
  trial: number;
  rule: string;
  params: number;
  hyperparameters: Record<string, unknown>;
  train: number;
  dev: number;
  eval: number;
  gap: number;
  seconds: number;
}
const rows: Row[] = [];
const references: { seed: number; errors: Record<Split, number> }[] = [];
const pct = (v: number): string => (100 * v).toFixed(2);
const pp = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(100 * v).toFixed(2)}`;

process.stdout.write(
  `dev→eval gap on ${splits}: ${describe}, seeds ${seedList.join(',')}, ${trials} search trials + ${topK}×${retrainSeeds} retrains (keras-tuner: ${budgets['keras-tuner'].trials} search trials), ≤ ${common.maxEpochs} epochs, ≤ ${common.maxTrainRows} train rows, wasm\n`,
);
for (const seed of seedList) {
  for (const protocol of PROTOCOLS) {
    const t0 = performance.now();
    const studyDir = join(out, `seed-${seed}`, protocol);
    const r = await tuneCorpus({
      corpus: 'ds10',
      splitsDir: splits,
      studyDir,
      metricsDir: studyDir,
      protocol,
      budget: budgets[protocol],
      seed,
      ...settings,
      backend: 'wasm',
      logger: values.verbose ? stderrLogger : silentLogger,
    });
    const metrics = readMetrics(r.metricsPath as string);
    const rate = (split: Split): number => {
      const e = metrics.errors[split];
      if (!e) throw new Error(`ds10-gap: ${r.metricsPath} has no ${split} error`);
      return e.rate;
    };
    const hyperparameters = Object.fromEntries(
      Object.entries(metrics.hyperparameters ?? {}).filter(([k]) => k !== 'selection' && k !== 'tuning'),
    );
    const row: Row = {
      seed,
      protocol,
      trial: r.selection.trial,
      rule: r.selection.rule,
      params: metrics.parameterCount ?? 0,
      hyperparameters,
      train: rate('train'),
      dev: rate('dev'),
      eval: rate('eval'),
      gap: rate('eval') - rate('dev'),
      seconds: (performance.now() - t0) / 1000,
    };
    rows.push(row);
    process.stdout.write(
      `seed ${seed} ${protocol.padEnd(11)} trial ${String(row.trial).padStart(2)} (${row.rule}), ${row.params} params: train ${pct(row.train)} %, dev ${pct(row.dev)} %, eval ${pct(row.eval)} %, eval−dev ${pp(row.gap)} pp, ${row.seconds.toFixed(0)} s\n    ${JSON.stringify(hyperparameters)}\n`,
    );
    const gate = r.selection.gate;
    if (gate?.threshold != null && gate.bestInnerValError !== null)
      process.stdout.write(
        `    fit gate: best inner-val ${pct(gate.bestInnerValError)} %, threshold ${pct(gate.threshold)} %, turned away trials ${gate.rejected.join(', ') || 'none'}\n`,
      );
    if (protocol === 'ours' && !values['no-reference']) {
      const ref = await trialErrors(studyDir, 0);
      if (ref) {
        references.push({ seed, errors: ref });
        process.stdout.write(
          `seed ${seed} reference   trial  0 of ours (manual MLP-M1 config, no selection): train ${pct(ref.train)} %, dev ${pct(ref.dev)} %, eval ${pct(ref.eval)} %, eval−dev ${pp(ref.eval - ref.dev)} pp\n`,
        );
      }
    }
  }
}

// Summary: mean ± standard error over seeds, and the paired difference ours − keras-tuner per seed.
const fmt = (xs: number[]): string => {
  if (xs.length === 0) return '-';
  const { mean, se } = meanAndSe(xs);
  return `${pp(mean)} ± ${(100 * se).toFixed(2)}`;
};
const col = (p: ProtocolKey, f: (r: Row) => number): number[] => rows.filter((r) => r.protocol === p).map(f);
const paired = (f: (r: Row) => number): number[] =>
  seedList.flatMap((s) => {
    const a = rows.find((r) => r.seed === s && r.protocol === 'ours');
    const b = rows.find((r) => r.seed === s && r.protocol === 'keras-tuner');
    return a && b ? [f(a) - f(b)] : [];
  });
const refGap = new Map(references.map((r) => [r.seed, r.errors.eval - r.errors.dev]));
const excess = (r: Row): number => r.gap - (refGap.get(r.seed) ?? NaN);
const lines = [
  `summary over ${seedList.length} seeds (mean ± SE, pp):`,
  `  eval − dev      ours ${fmt(col('ours', (r) => r.gap))}   keras-tuner ${fmt(col('keras-tuner', (r) => r.gap))}   paired ours − KT ${fmt(paired((r) => r.gap))}`,
  `  eval error      ours ${fmt(col('ours', (r) => r.eval))}   keras-tuner ${fmt(col('keras-tuner', (r) => r.eval))}   paired ours − KT ${fmt(paired((r) => r.eval))}`,
  `  dev error       ours ${fmt(col('ours', (r) => r.dev))}   keras-tuner ${fmt(col('keras-tuner', (r) => r.dev))}   paired ours − KT ${fmt(paired((r) => r.dev))}`,
];
if (references.length > 0) {
  lines.push(
    `  reference (trial 0, MLP-M1 config) eval − dev ${fmt(references.map((r) => r.errors.eval - r.errors.dev))}, eval error ${fmt(references.map((r) => r.errors.eval))}`,
    `  excess gap (eval − dev minus the reference's)  ours ${fmt(col('ours', excess).filter((v) => !Number.isNaN(v)))}   keras-tuner ${fmt(col('keras-tuner', excess).filter((v) => !Number.isNaN(v)))}`,
  );
}
// Issue 13's bar: on every seed our pick's eval error is at most the manual MLP-M1 configuration's + 1 pp.
for (const ref of references) {
  const ours = rows.find((r) => r.seed === ref.seed && r.protocol === 'ours');
  const kt = rows.find((r) => r.seed === ref.seed && r.protocol === 'keras-tuner');
  const verdict = (r: Row | undefined): string =>
    r
      ? `${pct(r.eval)} % (${pp(r.eval - ref.errors.eval)} pp vs MLP-M1 config ${pct(ref.errors.eval)} %)`
      : '-';
  lines.push(
    `  seed ${ref.seed}: ours ${verdict(ours)} ${ours && ours.eval <= ref.errors.eval + 0.01 ? 'within +1 pp' : 'MISSES +1 pp'}; keras-tuner ${verdict(kt)}`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
writeFileSync(
  join(out, 'gap-results.json'),
  `${JSON.stringify({ data: splits, settings: { describe, trials, topK, retrainSeeds, ...common, seeds: seedList }, rows, references }, null, 2)}\n`,
);
