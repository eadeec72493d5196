// Tune's trials train through train's fitModel, so a patch corpus's trials get the patch augmentation
// by default; `augment: null` (tune run --no-augment) turns it off, and each trial records which.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@corpus-tune/core';
import { DEFAULT_FIT_OPTIONS, selectBackend } from '@corpus-tune/train';
import type { FeatureSplit } from '@corpus-tune/train';
import { modelObjective } from '../src/objectives/network.ts';
import { cnnConfigFromParams } from '../src/objectives/cnn.ts';
import type { TrialRun } from '../src/objective.ts';

let root = '';
before(async () => {
  await selectBackend('wasm');
  root = mkdtempSync(join(tmpdir(), 'tune-augment-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

/** A features split of random 24×24 RGB u8 patches, as the features stage writes tudp (unnormalised). */
function patches(n: number, seed: number): FeatureSplit {
  const rng = createRng(seed);
  const shape = [24, 24, 3];
  const normalization = {
    method: 'none' as const,
    fittedOn: 'train' as const,
    groupedBy: 'channel',
    groupStride: 1,
    groupCount: 3,
    count: [],
    mean: [],
    std: [],
    applied: false,
  };
  const classNames = ['dcis', 'indc'];
  return {
    path: '(memory)',
    sha256: `patches-${seed}`,
    metadata: {
      stage: 'features',
      codeVersion: 'test',
      params: {},
      inputs: {},
      corpus: 'tudp',
      split: 'train',
      shape,
      dtype: 'uint8',
      normalization,
      classNames,
    },
    shape,
    dtype: 'uint8',
    size: 24 * 24 * 3,
    normalization,
    classNames,
    n,
    x: Uint8Array.from({ length: n * 24 * 24 * 3 }, () => Math.floor(rng.float() * 256)),
    labels: Int8Array.from({ length: n }, (_, i) => i % 2),
    sourceRow: Int32Array.from({ length: n }, (_, i) => i),
  };
}

const trial = (number: number): TrialRun => ({
  number,
  params: { conv_layers: 1, filters_0: 4, kernel_0: 3, pool_0: 2, dense_layers: 0, epochs: 1, batch_size: 8 },
  seed: 3,
  role: 'search',
  checkpointDir: join(root, `trial-${number}`),
  report: async () => undefined,
});

test('trials on patches train augmented by default and record it; augment null records it off', async () => {
  const splits = { train: patches(20, 1), dev: patches(6, 2) };
  const on = await modelObjective({ ...splits, earlyStopOn: 'inner' }, cnnConfigFromParams).run(trial(0));
  const recordOn = JSON.parse(String(on.attrs?.augmentation)) as Record<string, unknown>;
  assert.equal(recordOn.on, true);
  assert.deepEqual(recordOn.options, { ...DEFAULT_FIT_OPTIONS.augment });
  assert.equal(recordOn.seed, 3);
  const off = await modelObjective({ ...splits, earlyStopOn: 'dev', augment: null }, cnnConfigFromParams).run(
    trial(1),
  );
  assert.deepEqual(JSON.parse(String(off.attrs?.augmentation)), {
    on: false,
    reason: 'turned off (--no-augment)',
  });
});
