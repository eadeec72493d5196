import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { namedConfig } from '@corpus-tune/train';
import { cnnConfigFromParams } from '../src/objectives/cnn.ts';
import { lstmConfigFromParams } from '../src/objectives/lstm.ts';
import { readSpaceFile } from '../src/space.ts';
import { POSTER_SPACES } from '../src/protocol.ts';
import {
  autotunedSystem,
  BUDGETS,
  CONFIG_FROM_PARAMS,
  resolveBudget,
  SPACES_DIR,
} from '../src/tune-corpus.ts';

const CNN = {
  conv_layers: 2,
  filters_0: 8,
  kernel_0: 3,
  pool_0: 5,
  activation_0: 'tanh',
  filters_1: 5,
  kernel_1: 5,
  pool_1: 3,
  activation_1: 'relu',
  // a third block's parameters are inactive (conv_layers 2) and must be ignored even if present
  filters_2: 99,
  kernel_2: 7,
  pool_2: 2,
  conv_dropout: 0.25,
  dense_layers: 2,
  dense_units_0: 25,
  dense_units_1: 16,
  dense_activation: 'relu',
  dropout: 0.1,
  optimizer: 'rmsprop',
  learning_rate: 0.01,
  batch_size: 16,
  epochs: 10,
  output_activation: 'softmax',
};

test('cnnConfigFromParams maps blocks, dense head, dropout and training; maxEpochs caps the epochs', () => {
  const c = cnnConfigFromParams(CNN, [128, 128, 3], 2, 4);
  assert.equal(c.kind, 'cnn');
  assert.deepEqual(c.inputShape, [128, 128, 3]);
  assert.deepEqual(c.convBlocks, [
    { filters: 8, kernelSizePx: 3, activation: 'tanh', poolSizePx: 5, dropout: 0.25 },
    { filters: 5, kernelSizePx: 5, activation: 'relu', poolSizePx: 3, dropout: 0.25 },
  ]);
  assert.deepEqual(c.dense, [
    { units: 25, activation: 'relu', dropout: 0.1 },
    { units: 16, activation: 'relu', dropout: 0.1 },
  ]);
  assert.deepEqual(c.training, { optimizer: 'rmsprop', learningRate: 0.01, batchSize: 16, epochs: 4 });
  assert.deepEqual(c.output, { activation: 'softmax' });
  assert.equal(cnnConfigFromParams(CNN, [128, 128, 3], 2).training.epochs, 10);
});

test(
  'cnnConfigFromParams: use_dropout false removes every dropout, ' +
    'use_l2 puts l2 on the Dense layers only, activation_i falls back to activation',
  () => {
    const off = cnnConfigFromParams(
      { ...CNN, use_dropout: false, conv_dropout: undefined as never, dropout: undefined as never },
      [32, 32, 1],
      3,
    );
    assert.ok(off.convBlocks.every((b) => !('dropout' in b)));
    assert.ok(off.dense.every((d) => !('dropout' in d)));
    const l2 = cnnConfigFromParams({ ...CNN, use_l2: true, l2: 1e-4 }, [32, 32, 1], 3);
    assert.ok(l2.dense.every((d) => d.l2 === 1e-4));
    assert.ok(l2.convBlocks.every((b) => !('l2' in b)));
    assert.ok(
      cnnConfigFromParams({ ...CNN, use_l2: false, l2: 1e-4 }, [32, 32, 1], 3).dense.every(
        (d) => !('l2' in d),
      ),
    );
    const noPerBlock: Record<string, string | number> = { ...CNN };
    delete noPerBlock.activation_0;
    delete noPerBlock.activation_1;
    const shared = cnnConfigFromParams({ ...noPerBlock, activation: 'elu' }, [32, 32, 1], 3);
    assert.deepEqual(
      shared.convBlocks.map((b) => b.activation),
      ['elu', 'elu'],
    );
    assert.throws(
      () => cnnConfigFromParams({ ...CNN, filters_1: undefined as never }, [32, 32, 1], 3),
      /CNN configuration lacks numeric "filters_1"/,
    );
  },
);

const LSTM = {
  conv_layers: 0,
  lstm_layers: 2,
  lstm_units_0: 48,
  lstm_units_1: 16,
  dropout: 0.3,
  dense_layers: 1,
  dense_units_0: 24,
  dense_activation: 'tanh',
  optimizer: 'sgd',
  learning_rate: 0.05,
  batch_size: 64,
  epochs: 15,
  output_activation: 'softmax',
};

test('lstmConfigFromParams: LSTMs, dropout after the last; conv_layers > 0 gives a CNN+LSTM', () => {
  const l = lstmConfigFromParams(LSTM, [100, 20, 7], 2, 3);
  assert.equal(l.kind, 'lstm');
  assert.deepEqual(l.lstm, [{ units: 48 }, { units: 16, dropout: 0.3 }]);
  assert.deepEqual(l.dense, [{ units: 24, activation: 'tanh', dropout: 0.3 }]);
  assert.deepEqual(l.training, { optimizer: 'sgd', learningRate: 0.05, batchSize: 64, epochs: 3 });
  assert.ok(!('conv' in l));
  const c = lstmConfigFromParams(
    {
      ...LSTM,
      conv_layers: 2,
      conv_filters_0: 8,
      conv_kernel_0: 5,
      conv_pool_0: 2,
      conv_filters_1: 16,
      conv_kernel_1: 3,
      conv_pool_1: 1,
      conv_activation: 'tanh',
    },
    [100, 140],
    2,
  );
  assert.equal(c.kind, 'cnn-lstm');
  assert.ok(c.kind === 'cnn-lstm');
  assert.deepEqual(c.conv, [
    { filters: 8, kernelSize: 5, activation: 'tanh', poolSize: 2 },
    { filters: 16, kernelSize: 3, activation: 'tanh' },
  ]);
  const plain = lstmConfigFromParams({ ...LSTM, use_dropout: false, dense_layers: 0 }, [10, 4], 2);
  assert.deepEqual(plain.lstm, [{ units: 48 }, { units: 16 }]);
  assert.deepEqual(plain.dense, []);
  // no conv_layers parameter at all: a plain LSTM
  const noConv: Record<string, string | number> = { ...LSTM };
  delete noConv.conv_layers;
  assert.equal(lstmConfigFromParams(noConv, [10, 4], 2).kind, 'lstm');
});

test(
  "the shipped tudp and tusz spaces tune their corpus's model, " +
    "and their manual trial 0 is train's manual model",
  () => {
    for (const name of ['cnn', 'complete']) {
      const space = readSpaceFile(join(SPACES_DIR, 'tudp', `${name}.json`));
      assert.equal(space.model, 'cnn');
      assert.ok(space.manual);
      assert.deepEqual(
        CONFIG_FROM_PARAMS.cnn(space.manual, [128, 128, 3], 2),
        namedConfig('cnn-m', [128, 128, 3], 2),
        name,
      );
    }
    for (const name of ['lstm', 'complete']) {
      const space = readSpaceFile(join(SPACES_DIR, 'tusz', `${name}.json`));
      assert.equal(space.model, 'lstm');
      assert.ok(space.manual);
      assert.deepEqual(
        CONFIG_FROM_PARAMS.lstm(space.manual, [100, 20, 7], 2),
        namedConfig('cnn-lstm', [100, 20, 7], 2),
        name,
      );
    }
    for (const corpus of ['tudp', 'tusz']) {
      const complete = readSpaceFile(join(SPACES_DIR, corpus, 'complete.json'));
      const names = complete.parameters.map((p) => p.name);
      for (const p of ['use_dropout', 'use_l2', 'l2', 'patience'])
        assert.ok(names.includes(p), `${corpus} complete lacks ${p}`);
    }
    assert.equal(readSpaceFile(join(SPACES_DIR, 'ds10', 'mlp.json')).model, 'mlp');
    assert.deepEqual(POSTER_SPACES, { tudp: 'cnn', tusz: 'lstm' });
    assert.equal(autotunedSystem('cnn', 'ours'), 'cnn-a-ours');
    assert.equal(autotunedSystem('lstm', 'keras-tuner'), 'lstm-a-keras-tuner');
    assert.equal(autotunedSystem('mlp', 'ours'), 'mlp-a-ours');
    // tudp/tusz have their own smaller demo budget; the 2-D corpora keep the shared one.
    assert.ok(resolveBudget('demo', 'tudp').trials <= resolveBudget('demo', 'ds10').trials);
    assert.deepEqual(resolveBudget('demo', 'ds10'), BUDGETS.demo);
    assert.notDeepEqual(resolveBudget('demo', 'tudp'), BUDGETS.demo);
  },
);
