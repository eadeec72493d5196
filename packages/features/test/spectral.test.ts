import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '@corpus-tune/core';
import { createEegExtractor, frameGeometry, resolveEegOptions, spectralPlan } from '../src/index.ts';

const BANDS = ['0.5-4', '4-8', '8-13', '13-20', '20-25'];

function toneFeatures(frequencyHz: number, taper: 'hamming' | 'none' = 'hamming') {
  const extractor = createEegExtractor(1, 500, 50, resolveEegOptions({ taper }));
  const signal = Float32Array.from(
    { length: 500 },
    (_, t) => 40 * Math.sin(2 * Math.PI * frequencyHz * (t / 50) + 0.7),
  );
  const out = new Float32Array(extractor.rowLength);
  extractor.extract(signal, 0, out, 0);
  return { extractor, out };
}

for (const [frequencyHz, band] of [
  [3.125, 0],
  [6.25, 1],
  [10.5, 2],
  [17, 3],
  [23.4375, 4],
] as const) {
  test(`a pure ${frequencyHz} Hz tone has its largest band power in ${BANDS[band]} Hz in every frame clear of the reflected edges`, () => {
    const { extractor, out } = toneFeatures(frequencyHz);
    const p = extractor.shape[2];
    // Frames 0 and 99 reach into the reflection padding, which (for a tone) is not the same tone.
    for (let f = 1; f < 99; f++) {
      const powers = [...out.subarray(f * p, f * p + 5)];
      const best = powers.indexOf(Math.max(...powers));
      assert.equal(best, band, `frame ${f}: ${powers.map((v) => v.toFixed(2)).join(' ')}`);
    }
  });
}

test('bands map to the right FFT bins (16-point FFT at 50 Hz: bins every 3.125 Hz)', () => {
  const plan = spectralPlan(frameGeometry(500, 50, 0.1, 0.3), resolveEegOptions());
  assert.equal(plan.fftSize, 16);
  assert.deepEqual([...plan.firstBin], [1, 2, 3, 5, 7]);
  assert.deepEqual([...plan.endBin], [2, 3, 5, 7, 9]);
  assert.deepEqual(plan.featureNames, [
    'logPower_0.5-4Hz',
    'logPower_4-8Hz',
    'logPower_8-13Hz',
    'logPower_13-20Hz',
    'logPower_20-25Hz',
    'logEnergy',
    'deltaLogEnergy',
  ]);
});

test('a band holding no FFT bin is an input error that says how to fix it', () => {
  assert.throws(
    () => spectralPlan(frameGeometry(500, 50, 0.1, 0.3), resolveEegOptions({ bandEdgesHz: [0.5, 1, 4] })),
    (e: unknown) => e instanceof InputError && /holds no FFT bin.*raise fftSize/.test(e.message),
  );
});

test('frame energy is ln Σ x² and its delta follows an amplitude ramp', () => {
  const extractor = createEegExtractor(1, 500, 50, resolveEegOptions({ taper: 'none' }));
  // Constant within each frame's window would need alignment; use exp growth: x(t) = e^{a t}, so ln Σx² per frame
  // grows by exactly 2·a·5 per frame away from the reflected edges.
  const a = 0.01;
  const signal = Float32Array.from({ length: 500 }, (_, t) => Math.exp(a * t));
  const out = new Float32Array(extractor.rowLength);
  extractor.extract(signal, 0, out, 0);
  const p = extractor.shape[2];
  const energy = (f: number) => out[f * p + 5];
  const delta = (f: number) => out[f * p + 6];
  let direct = 0;
  for (let k = 0; k < 15; k++) direct += Math.exp(2 * a * (5 * 50 - 5 + k));
  assert.ok(Math.abs(energy(50) - Math.log(direct)) < 1e-5);
  for (let f = 3; f < 97; f++)
    assert.ok(Math.abs(delta(f) - 2 * a * 5) < 1e-4, `delta at frame ${f} = ${delta(f)}`);
});

test('window and hop must be whole numbers of samples', () => {
  assert.throws(
    () => frameGeometry(500, 50, 0.11, 0.3),
    (e: unknown) =>
      e instanceof InputError && /hopSec 0.11 s is not a whole number of samples at 50 Hz/.test(e.message),
  );
});
