import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, namedConfig, describeLayout, SYSTEMS } from '../src/index.ts';
import { orthogonalMatrix } from '../src/zoo/build.ts';
import { useBackend } from './helpers.ts';

before(() => useBackend('cpu'));

// Parameter counts from the layer formulas (independent of tfjs): dense in·out + out,
// conv k·k·in·out + out, LSTM 4·(in·u + u·u + u).
const dense = (i: number, o: number) => i * o + o;
const conv = (k: number, i: number, o: number) => k * k * i * o + o;

function rows(system: string, shape: number[]) {
  const model = buildModel(namedConfig(system, shape, 2), { seed: 1 });
  return { model, layout: describeLayout(model) };
}

test('MLP-M1 is 2→64→32→16→2 ReLU (poster layout table)', () => {
  const { model, layout } = rows('mlp-m1', [2]);
  assert.deepEqual(
    layout.map((r) => [r.layer, r.units, r.activation, r.dropout]),
    [
      ['Dense', 64, 'relu', undefined],
      ['Dense', 32, 'relu', undefined],
      ['Dense', 16, 'relu', undefined],
      ['Dense', 2, 'softmax', undefined],
    ],
  );
  assert.equal(model.countParams(), dense(2, 64) + dense(64, 32) + dense(32, 16) + dense(16, 2));
});

test('MLP-M2 is 2→64→32→2 ReLU with dropout 0.3', () => {
  const { model, layout } = rows('mlp-m2', [2]);
  assert.deepEqual(
    layout.map((r) => [r.layer, r.units, r.activation, r.dropout]),
    [
      ['Dense', 64, 'relu', 0.3],
      ['Dense', 32, 'relu', 0.3],
      ['Dense', 2, 'softmax', undefined],
    ],
  );
  assert.equal(model.countParams(), dense(2, 64) + dense(64, 32) + dense(32, 2));
});

test('MLP-A1 is Dense 52/92/62/72 sigmoid, 67 tanh, 2 softmax', () => {
  const { model, layout } = rows('mlp-a1', [2]);
  const units = [52, 92, 62, 72, 67, 2];
  assert.deepEqual(
    layout.map((r) => [r.units, r.activation]),
    units.map((u, i) => [u, i < 4 ? 'sigmoid' : i === 4 ? 'tanh' : 'softmax']),
  );
  const ins = [2, ...units.slice(0, -1)];
  assert.equal(
    model.countParams(),
    units.reduce((s, u, i) => s + dense(ins[i], u), 0),
  );
});

test('MLP-A2 is Dense 97 tanh, 47 sigmoid, 62 exponential, 37 tanh (dropout 0.25 each), 2 sigmoid', () => {
  const { model, layout } = rows('mlp-a2', [2]);
  assert.deepEqual(
    layout.map((r) => [r.units, r.activation, r.dropout]),
    [
      [97, 'tanh', 0.25],
      [47, 'sigmoid', 0.25],
      [62, 'exponential', 0.25],
      [37, 'tanh', 0.25],
      [2, 'sigmoid', undefined],
    ],
  );
  assert.equal(
    model.countParams(),
    dense(2, 97) + dense(97, 47) + dense(47, 62) + dense(62, 37) + dense(37, 2),
  );
});

test('manual CNN at 128×128×3: three Conv 5×5 + MaxPool 2×2 (16/32/64), Linear 9,216→128, dropout 0.25', () => {
  const { model, layout } = rows('cnn-m', [128, 128, 3]);
  const convs = layout.filter((r) => r.layer === 'Conv2D');
  assert.deepEqual(
    convs.map((r) => [r.filters, r.kernelSize, r.activation]),
    [
      [16, [5, 5], 'relu'],
      [32, [5, 5], 'relu'],
      [64, [5, 5], 'relu'],
    ],
  );
  assert.deepEqual(
    layout.filter((r) => r.layer === 'MaxPooling2D').map((r) => r.poolSize),
    [
      [2, 2],
      [2, 2],
      [2, 2],
    ],
  );
  const flatten = layout.find((r) => r.layer === 'Flatten');
  assert.deepEqual(flatten?.outputShape, [null, 9216]);
  const denses = layout.filter((r) => r.layer === 'Dense');
  assert.deepEqual(
    denses.map((r) => [r.units, r.dropout]),
    [
      [128, 0.25],
      [2, undefined],
    ],
  );
  assert.equal(
    model.countParams(),
    conv(5, 3, 16) + conv(5, 16, 32) + conv(5, 32, 64) + dense(9216, 128) + dense(128, 2),
  );
  const cfg = namedConfig('cnn-m', [128, 128, 3], 2);
  assert.deepEqual(cfg.training, { optimizer: 'sgd', learningRate: 0.001, batchSize: 8, epochs: 15 });
});

test('auto CNN: tanh convs with MaxPool 5/3/3, dropout 0.25, Dense 25×3 ReLU, softmax; Adam 0.001, 10 epochs, batch 32', () => {
  const { layout } = rows('cnn-a', [128, 128, 3]);
  assert.deepEqual(
    layout.filter((r) => r.layer === 'Conv2D').map((r) => [r.filters, r.activation]),
    [
      [8, 'tanh'],
      [5, 'tanh'],
      [5, 'tanh'],
    ],
  );
  assert.deepEqual(
    layout.filter((r) => r.layer === 'MaxPooling2D').map((r) => [r.poolSize, r.dropout]),
    [
      [[5, 5], undefined],
      [[3, 3], 0.25],
      [[3, 3], 0.25],
    ],
  );
  assert.deepEqual(
    layout.filter((r) => r.layer === 'Dense').map((r) => [r.units, r.activation]),
    [
      [25, 'relu'],
      [25, 'relu'],
      [25, 'relu'],
      [2, 'softmax'],
    ],
  );
  assert.deepEqual(namedConfig('cnn-a', [128, 128, 3], 2).training, {
    optimizer: 'adam',
    learningRate: 0.001,
    batchSize: 32,
    epochs: 10,
  });
});

test('CNN+LSTM has two conv layers then two LSTM layers; LSTM-only has LSTMs only', () => {
  const shape = [50, 20];
  const hybrid = rows('cnn-lstm', shape);
  assert.deepEqual(
    hybrid.layout.filter((r) => r.layer !== 'MaxPooling1D').map((r) => r.layer),
    ['Conv1D', 'Conv1D', 'LSTM', 'LSTM', 'Dense'],
  );
  const lstmParams = (i: number, u: number) => 4 * (i * u + u * u + u);
  const convK = (k: number, i: number, o: number) => k * i * o + o;
  assert.equal(
    hybrid.model.countParams(),
    convK(3, 20, 32) + convK(3, 32, 64) + lstmParams(64, 64) + lstmParams(64, 32) + dense(32, 2),
  );
  const lstm = rows('lstm', shape);
  assert.deepEqual(
    lstm.layout.map((r) => r.layer),
    ['LSTM', 'LSTM', 'Dense'],
  );
  assert.equal(lstm.model.countParams(), lstmParams(20, 64) + lstmParams(64, 64) + dense(64, 2));
});

test('every network system builds for the corpus it was made for; same seed ⇒ same initial weights', () => {
  const shapes: Record<string, number[]> = { ds10: [2], tudp: [128, 128, 3], tusz: [50, 20] };
  for (const s of SYSTEMS.filter((x) => x.config)) {
    const corpus = s.corpora.includes('ds10') ? 'ds10' : s.corpora[0];
    const model = buildModel(namedConfig(s.system, shapes[corpus], 2), { seed: 3 });
    assert.ok(model.countParams() > 0, s.system);
  }
  const a = buildModel(namedConfig('mlp-m1', [2], 2), { seed: 5 })
    .getWeights()[0]
    .dataSync();
  const b = buildModel(namedConfig('mlp-m1', [2], 2), { seed: 5 })
    .getWeights()[0]
    .dataSync();
  const c = buildModel(namedConfig('mlp-m1', [2], 2), { seed: 6 })
    .getWeights()[0]
    .dataSync();
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('bad configs are InputErrors', () => {
  assert.throws(() => namedConfig('nope', [2], 2), /unknown system "nope"/);
  assert.throws(() => buildModel({ ...namedConfig('mlp-m1', [2], 2), numClasses: 1 }), /numClasses/);
  assert.throws(() => buildModel(namedConfig('cnn-m', [2], 2)), /height, width, channels/);
  // 32 px: 32→28→14→10→5→1→0 after the third pool (WASM would crash on the empty tensor).
  assert.throws(
    () => buildModel(namedConfig('cnn-m', [32, 32, 3], 2)),
    /too small for this cnn: layer .* would output \[null,0,0,64\]/,
  );
});

test('orthogonalMatrix gives orthonormal rows (wide) and columns (tall)', () => {
  for (const [rows, cols] of [
    [4, 16],
    [16, 4],
    [8, 8],
  ]) {
    const m = orthogonalMatrix(rows, cols, 3);
    const small = Math.min(rows, cols);
    for (let a = 0; a < small; a++) {
      for (let b = 0; b < small; b++) {
        let dot = 0;
        for (let k = 0; k < Math.max(rows, cols); k++)
          dot += rows <= cols ? m[a * cols + k] * m[b * cols + k] : m[k * cols + a] * m[k * cols + b];
        assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-5, `${rows}×${cols} (${a},${b}) = ${dot}`);
      }
    }
  }
});

test('no system of the zoo claims a tuner chose it: the poster Keras layouts are "poster-layout", the LSTM "ours"', () => {
  const origin = Object.fromEntries(SYSTEMS.map((s) => [s.system, s.origin]));
  assert.deepEqual(
    SYSTEMS.filter((s) => s.origin === 'autotuned').map((s) => s.system),
    [],
    'only the tune stage writes origin "autotuned"',
  );
  assert.deepEqual(
    ['mlp-a1', 'mlp-a2', 'cnn-a', 'lstm'].map((s) => origin[s]),
    ['poster-layout', 'poster-layout', 'poster-layout', 'ours'],
  );
});
