// Writes a data dir shaped exactly like the stages' outputs (docs/conventions.md), small and seeded:
// ds10 fully run, tusz with one network, the centroid baseline and EEG segments, ds09 with one broken
// metrics.json, and ds08 / tudp not run at all.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTable } from 'apache-arrow';
import { createRng, withMetadata, writeArrowFile, writeJsonAtomic } from '@corpus-tune/core';
import { writeSurface } from '@corpus-tune/train';

export interface FixtureMetrics {
  corpus: string;
  system: string;
  label: string;
  kind: string;
  origin: string;
  /** Baselines only: what they run on (train's nearest centroid writes one). */
  description?: string;
  protocol: string | null;
  classNames: string[];
  errors: Record<'train' | 'dev' | 'eval', { rate: number; lower95: number; upper95: number; n: number }>;
  confusion: Record<'train' | 'dev' | 'eval', number[][]>;
  layout: { layer: string; units: number; activation: string; dropout: number; params: number }[];
  parameterCount: number;
  hyperparameters: Record<string, unknown>;
  learningCurve: { epoch: number; loss: number; innerValLoss: number; innerValError: number }[];
  backend: string;
  engine?: { name: string; fusedLstmLayers?: number };
  seed: number;
  codeVersion: string;
  timings: { trainSec: number; samplesPerSec: number };
  data: { train: number; dev: number; eval: number; inputs: Record<string, string> };
}

const SIZES = { train: 2000, dev: 500, eval: 500 };

/** A Wilson interval, so fixture intervals look like the real ones. */
function wilson(rate: number, n: number): { rate: number; lower95: number; upper95: number; n: number } {
  const z = 1.959964;
  const centre = (rate + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((rate * (1 - rate)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return { rate, lower95: centre - half, upper95: centre + half, n };
}

function metrics(
  corpus: string,
  system: string,
  label: string,
  kind: string,
  origin: string,
  protocol: string | null,
  rates: [number, number, number],
  seed: number,
): FixtureMetrics {
  const [train, dev, evalRate] = rates;
  const confusion = (rate: number, n: number): number[][] => {
    const wrong = Math.round(rate * n);
    return [
      [n / 2 - Math.floor(wrong / 2), Math.floor(wrong / 2)],
      [Math.ceil(wrong / 2), n / 2 - Math.ceil(wrong / 2)],
    ];
  };
  return {
    corpus,
    system,
    label,
    kind,
    origin,
    protocol,
    classNames: corpus === 'tusz' ? ['bckg', 'seiz'] : ['0', '1'],
    errors: {
      train: wilson(train, SIZES.train),
      dev: wilson(dev, SIZES.dev),
      eval: wilson(evalRate, SIZES.eval),
    },
    confusion: {
      train: confusion(train, SIZES.train),
      dev: confusion(dev, SIZES.dev),
      eval: confusion(evalRate, SIZES.eval),
    },
    layout:
      kind === 'knn' || kind === 'rf'
        ? []
        : [
            { layer: 'Dense', units: 64, activation: 'relu', dropout: 0, params: 192 },
            { layer: 'Dense', units: 32, activation: 'relu', dropout: 0.3, params: 2080 },
            { layer: 'Dense', units: 2, activation: 'softmax', dropout: 0, params: 66 },
          ],
    parameterCount: kind === 'knn' || kind === 'rf' ? 0 : 2338,
    hyperparameters:
      kind === 'knn'
        ? { k: 15 }
        : kind === 'rf'
          ? { trees: 50 }
          : { optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 4 },
    learningCurve:
      kind === 'knn' || kind === 'rf'
        ? []
        : [1, 2, 3, 4].map((epoch) => ({
            epoch,
            loss: 0.7 / epoch,
            innerValLoss: 0.75 / epoch + 0.05,
            innerValError: 0.3 / epoch + 0.05,
          })),
    backend: 'wasm',
    seed,
    codeVersion: '@corpus-tune/train@0.1.0+0123456789ab',
    timings: { trainSec: 12.5 + seed, samplesPerSec: 4321.5 },
    data: {
      ...SIZES,
      inputs: { 'train.arrow': 'a'.repeat(64), 'dev.arrow': 'b'.repeat(64), 'eval.arrow': 'c'.repeat(64) },
    },
  };
}

/** Two Gaussians in imld-gen's recipe format, the Bayes boundary of every split the line y = x. */
export const TWO_GAUSSIANS_RECIPE = {
  name: 'ds10',
  description: 'fixture: two Gaussians',
  classNames: ['0', '1'],
  seed: 7,
  splits: Object.fromEntries(
    (['train', 'dev', 'eval'] as const).map((split) => [
      split,
      {
        classes: [
          {
            count: SIZES[split] / 2,
            components: [
              {
                type: 'gaussian',
                mean: [-0.5, 0.5],
                cov: [
                  [0.0625, 0],
                  [0, 0.0625],
                ],
              },
            ],
          },
          {
            count: SIZES[split] / 2,
            components: [
              {
                type: 'gaussian',
                mean: [0.5, -0.5],
                cov: [
                  [0.0625, 0],
                  [0, 0.0625],
                ],
              },
            ],
          },
        ],
      },
    ]),
  ),
};

function writePoints(dir: string, split: 'train' | 'dev' | 'eval', seed: number): void {
  const rng = createRng(seed);
  const n = SIZES[split];
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const label = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    label[i] = i % 2;
    x[i] = (label[i] === 0 ? -0.5 : 0.5) + 0.25 * rng.normal();
    y[i] = (label[i] === 0 ? 0.5 : -0.5) + 0.25 * rng.normal();
  }
  const table = withMetadata(makeTable({ x, y, label }), {
    stage: 'imld-gen',
    codeVersion: '@corpus-tune/imld-gen@0.1.0+abcdefabcdef',
    seed: 7,
    params: { recipe: 'ds10', scale: 1, recipeSpec: TWO_GAUSSIANS_RECIPE },
    inputs: {},
    classNames: ['0', '1'],
    split,
    bayesError: { rate: 0.1234, lower95: 0.1228, upper95: 0.124, draws: 1_000_000 },
  });
  writeArrowFile(join(dir, `${split}.arrow`), table);
}

/** A surface over [-1.5, 1.5]² whose class boundary is the line y = x + offset, written by train's writer. */
function writeSurfaceFile(path: string, offset: number): void {
  const nx = 41;
  const ny = 41;
  const grid = { nx, ny, xMin: -1.5, xMax: 1.5, yMin: -1.5, yMax: 1.5 };
  const points = new Float32Array(2 * nx * ny);
  const predicted = new Int8Array(nx * ny);
  const probMax = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const x = -1.5 + (3 * (i + 0.5)) / nx;
      const y = -1.5 + (3 * (j + 0.5)) / ny;
      points[2 * k] = x;
      points[2 * k + 1] = y;
      predicted[k] = y > x + offset ? 0 : 1;
      probMax[k] = Math.min(0.99, 0.5 + Math.abs(y - x - offset));
    }
  }
  writeSurface(path, grid, points, predicted, probMax, {
    stage: 'train',
    codeVersion: 'x',
    params: {},
    inputs: {},
  });
}

export interface Fixture {
  dataDir: string;
  metrics: Record<string, FixtureMetrics>;
  trials: Record<string, unknown[]>;
}

export function writeFixture(root: string): Fixture {
  const dataDir = join(root, 'data');
  const all: Record<string, FixtureMetrics> = {};
  // Where each stage writes a system: train/<corpus>/<system>/, the tuner's picks tune/<corpus>/<protocol>/.
  const folderOf = (m: FixtureMetrics): string =>
    m.protocol ? join(dataDir, 'tune', m.corpus, m.protocol) : join(dataDir, 'train', m.corpus, m.system);
  const put = (m: FixtureMetrics): void => {
    all[`${m.corpus}/${m.system}`] = m;
    writeJsonAtomic(join(folderOf(m), 'metrics.json'), m);
  };
  for (const split of ['train', 'dev', 'eval'] as const)
    writePoints(join(dataDir, 'imld-gen', 'ds10'), split, split.length);
  put(metrics('ds10', 'knn', 'KNN', 'knn', 'baseline', null, [0.0763, 0.3883, 0.3344], 1));
  put(metrics('ds10', 'rf', 'RNF', 'rf', 'baseline', null, [0.0215, 0.3974, 0.3328], 1));
  put(metrics('ds10', 'mlp-m1', 'MLP-M1', 'mlp', 'manual', null, [0.0874, 0.3852, 0.328], 1));
  put(metrics('ds10', 'mlp-a1', 'MLP-A1', 'mlp', 'poster-layout', null, [0.2895, 0.2695, 0.4207], 2));
  put(metrics('ds10', 'mlp-a-ours', 'MLP-A (ours)', 'mlp', 'autotuned', 'ours', [0.101, 0.352, 0.331], 3));
  writeSurfaceFile(join(dataDir, 'train', 'ds10', 'mlp-m1', 'surface.arrow'), 0.1);
  writeSurfaceFile(join(dataDir, 'tune', 'ds10', 'ours', 'surface.arrow'), -0.2);
  writeJsonAtomic(join(dataDir, 'train', 'ds10', 'bayes.json'), {
    generator: {
      train: { rate: 0.1234, lower95: 0.1228, upper95: 0.124 },
      dev: { rate: 0.1301, lower95: 0.1295, upper95: 0.1307 },
      eval: { rate: 0.1377, lower95: 0.1371, upper95: 0.1383 },
    },
    closedLoop: { train: 0.0215, dev: 0.117, eval: 0.1374 },
    coverHartLower: { train: 0.011, dev: 0.06, eval: 0.07 },
  });
  const trials = {
    ours: [
      {
        number: 0,
        role: 'search',
        state: 'COMPLETE',
        params: { layers: 3, units: 64, dropout: 0.3 },
        devError: 0.36,
        innerValError: 0.1,
        reason: null,
        seconds: 3.2,
        seed: 11,
        parent: null,
        parameterCount: 2338,
        epochs: 4,
      },
      {
        number: 1,
        role: 'search',
        state: 'FAIL',
        params: { layers: 9, activation: 'exponential' },
        devError: null,
        innerValError: null,
        reason: 'NaN loss at epoch 2',
        seconds: 0.8,
        seed: 12,
        parent: null,
        parameterCount: null,
        epochs: 2,
      },
      {
        number: 2,
        role: 'search',
        state: 'COMPLETE',
        params: { layers: 2, units: 32, dropout: 0.1 },
        devError: 0.352,
        innerValError: 0.11,
        reason: null,
        seconds: 2.9,
        seed: 13,
        parent: null,
        parameterCount: 1186,
        epochs: 4,
      },
      {
        number: 3,
        role: 'search',
        state: 'PRUNED',
        params: { layers: 4, units: 16, dropout: 0 },
        devError: null,
        innerValError: 0.3,
        reason: 'pruned at epoch 1',
        seconds: 0.5,
        seed: 14,
        parent: null,
        parameterCount: 898,
        epochs: 1,
      },
      {
        number: 4,
        role: 'retrain',
        state: 'COMPLETE',
        params: { layers: 2, units: 32, dropout: 0.1 },
        devError: 0.355,
        innerValError: 0.12,
        reason: null,
        seconds: 3.0,
        seed: 101,
        parent: 2,
        parameterCount: 1186,
        epochs: 4,
      },
    ],
    'keras-tuner': [
      {
        number: 0,
        role: 'search',
        state: 'COMPLETE',
        params: { layers: 6, units: 52 },
        devError: 0.2695,
        innerValError: 0.2695,
        reason: null,
        seconds: 4.1,
        seed: 1,
        parent: null,
        parameterCount: 19000,
        epochs: 10,
      },
      {
        number: 1,
        role: 'search',
        state: 'FAIL',
        params: { layers: 5, activation: 'exponential' },
        devError: null,
        innerValError: null,
        reason: 'out of memory',
        seconds: 0.2,
        seed: 2,
        parent: null,
        parameterCount: null,
        epochs: null,
      },
    ],
  };
  for (const [protocol, list] of Object.entries(trials)) {
    writeJsonAtomic(join(dataDir, 'tune', 'ds10', protocol, 'trials.json'), list);
    const ours = protocol === 'ours';
    writeJsonAtomic(join(dataDir, 'tune', 'ds10', protocol, 'best.json'), {
      corpus: 'ds10',
      protocol,
      space: ours ? 'complete' : 'mlp',
      sampler: ours ? 'tpe' : 'random',
      pruner: ours ? 'asha' : 'none',
      seed: 1,
      budget: { trials: 4, maxEpochs: 10, maxTrainRows: null },
      counts: ours
        ? { complete: 2, pruned: 1, fail: 1, retrain: 1 }
        : { complete: 1, pruned: 0, fail: 1, retrain: 0 },
      selection: ours
        ? {
            rule: 'one-standard-error',
            trial: 2,
            params: {},
            devError: 0.3535,
            devErrorSe: 0.0015,
            parameterCount: 1186,
            seeds: [13, 101],
            candidates: [],
          }
        : {
            rule: 'best-dev',
            trial: 0,
            params: {},
            devError: 0.2695,
            devErrorSe: null,
            parameterCount: 19000,
            seeds: [1],
            candidates: [],
          },
    });
  }

  put({
    ...metrics('tusz', 'cnn-lstm', 'CNN-LSTM', 'cnn-lstm', 'manual', null, [0.2485, 0.2732, 0.3608], 1),
    engine: { name: 'tfjs', fusedLstmLayers: 2 },
  });
  put({
    ...metrics(
      'tusz',
      'centroid',
      'Nearest centroid',
      'centroid',
      'baseline',
      null,
      [0.301, 0.322, 0.415],
      1,
    ),
    description:
      'nearest centroid on mean log band power per channel and band (22 × 8), standardised on train',
  });
  const segments = withMetadata(
    makeTable({ label: new Int8Array([0, 1]), startSec: new Float64Array([0, 10]) }),
    {
      stage: 'tusz-segments',
      codeVersion: 'x',
      params: {},
      inputs: {},
      channels: ['FP1-F7'],
      sampleRateHz: 50,
      segmentSec: 10,
      filter: { type: 'butterworth', order: 4, lowCutHz: 0.5, highCutHz: 35 },
      resample: { fromHz: [250, 256], toHz: 50 },
    },
  );
  writeArrowFile(join(dataDir, 'tusz-segments', 'train.arrow'), segments);

  mkdirSync(join(dataDir, 'train', 'ds09', 'mlp-m1'), { recursive: true });
  writeFileSync(join(dataDir, 'train', 'ds09', 'mlp-m1', 'metrics.json'), '{"corpus": "ds09", "system": ');
  return { dataDir, metrics: all, trials };
}
