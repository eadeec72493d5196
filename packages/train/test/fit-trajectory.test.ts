import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildModel, fitModel } from '../src/index.ts';
import {
  TRAJECTORY_CASES,
  trajectoryConfig,
  trajectorySet,
} from '../../../tools/golden/train_fit_trajectory.ts';
import { useBackend } from './helpers.ts';

// Learning curves of the fit loop before its rewrite (trainOnBatch per batch, loss read every step,
// stock WASM kernels), made by tools/golden/train_fit_trajectory.ts at commit 7dd7f18.
const golden = JSON.parse(readFileSync(new URL('./golden/fit_trajectory.json', import.meta.url), 'utf8')) as {
  cases: Record<string, { loss: number[]; innerValLoss: number[] }>;
};

// The rewrite changes float32 summation order only (matmul operands transposed before the product,
// convolution gradients as convolutions, the dense engine's own kernels); over three epochs that
// stays far below this.
const REL_TOLERANCE = 1e-4;

before(() => useBackend('wasm'));

for (const c of TRAJECTORY_CASES) {
  test(`fitModel's loss trajectory matches the pre-rewrite loop on a fixed seed: ${c.name}`, async () => {
    const config = trajectoryConfig(c);
    const fit = await fitModel(buildModel(config, { seed: 3 }), config, trajectorySet(c.shape, c.n), {
      seed: 3,
      innerValFraction: 0.2,
      patienceEpochs: 99,
    });
    const want = golden.cases[c.name];
    // The MLPs now train on the dense engine: this golden is its independent check.
    assert.equal(fit.engine.name, config.kind === 'mlp' ? 'dense' : 'tfjs');
    // The recurrent ones run their LSTM layers fused (lstm-fused.ts): this golden, made on tfjs's
    // per-step path, checks that too.
    const recurrent = config.kind === 'lstm' || config.kind === 'cnn-lstm';
    assert.equal(fit.engine.fusedLstmLayers, recurrent ? config.lstm.length : undefined);
    assert.equal(fit.learningCurve.length, want.loss.length);
    fit.learningCurve.forEach((e, i) => {
      for (const [what, got, expected] of [
        ['loss', e.loss, want.loss[i]],
        ['inner-val loss', e.innerValLoss, want.innerValLoss[i]],
      ] as const) {
        assert.ok(
          Math.abs(got - expected) <= REL_TOLERANCE * Math.abs(expected),
          `epoch ${e.epoch} ${what} ${got} vs ${expected} before the rewrite`,
        );
      }
    });
  });
}
