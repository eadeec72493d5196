import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  createEegExtractor,
  frameGeometry,
  frameSegment,
  resolveEegOptions,
  taperWeights,
} from '../src/index.ts';

interface Golden {
  sampleRateHz: number;
  channels: number;
  samplesPerChannel: number;
  input: number[];
  hammingWindow: number[];
  [taper: string]: unknown;
}
const golden = JSON.parse(readFileSync(new URL('./golden/framing.json', import.meta.url), 'utf8')) as Golden;

test('a 10-s 50-Hz segment gives 100 frames of 15 samples at a 5-sample hop, padded 5 each side', () => {
  const g = frameGeometry(500, 50, 0.1, 0.3);
  assert.deepEqual(
    { ...g },
    {
      sampleRateHz: 50,
      samplesPerChannel: 500,
      hopSamples: 5,
      windowSamples: 15,
      frameCount: 100,
      padLeftSamples: 5,
      padRightSamples: 5,
    },
  );
});

test('frames are centred on their hop interval and reflect (without repeating) at both edges', () => {
  const channels = 2;
  const ramp = Float32Array.from({ length: channels * 500 }, (_, i) => (i < 500 ? i : 1000 + (i - 500)));
  const g = frameGeometry(500, 50, 0.1, 0.3);
  const out = new Float32Array(100 * channels * 15);
  frameSegment(ramp, 0, channels, g, taperWeights('none', 15), out, 0);
  const frame = (f: number, c: number) => [
    ...out.subarray((f * channels + c) * 15, (f * channels + c + 1) * 15),
  ];
  assert.deepEqual(frame(0, 0), [5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(frame(1, 0), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  assert.deepEqual(
    frame(50, 0),
    Array.from({ length: 15 }, (_, k) => 245 + k),
  );
  assert.deepEqual(frame(99, 0), [490, 491, 492, 493, 494, 495, 496, 497, 498, 499, 498, 497, 496, 495, 494]);
  assert.deepEqual(
    frame(99, 1),
    [1490, 1491, 1492, 1493, 1494, 1495, 1496, 1497, 1498, 1499, 1498, 1497, 1496, 1495, 1494],
  );
  // The centre sample of frame f is sample 5f + 2: the middle of its own hop interval.
  for (let f = 0; f < 100; f++) assert.equal(frame(f, 0)[7], 5 * f + 2);
});

test('the Hamming taper equals numpy.hamming(15)', () => {
  const w = taperWeights('hamming', 15);
  golden.hammingWindow.forEach((v, k) => assert.ok(Math.abs(w[k] - v) < 1e-15, `w[${k}]`));
  assert.deepEqual([...taperWeights('none', 15)], Array(15).fill(1));
});

for (const taper of ['hamming', 'none'] as const) {
  for (const kind of ['raw', 'spectral'] as const) {
    test(`${kind} features (taper ${taper}) match numpy strided framing + numpy.fft.rfft (golden)`, () => {
      const expected = golden[taper] as {
        rawShape: number[];
        raw: number[];
        spectralShape: number[];
        spectral: number[];
      };
      const extractor = createEegExtractor(
        golden.channels,
        golden.samplesPerChannel,
        golden.sampleRateHz,
        resolveEegOptions({ kind, taper }),
      );
      assert.deepEqual(extractor.shape, kind === 'raw' ? expected.rawShape : expected.spectralShape);
      const out = new Float32Array(extractor.rowLength);
      extractor.extract(Float32Array.from(golden.input), 0, out, 0);
      const want = kind === 'raw' ? expected.raw : expected.spectral;
      assert.equal(out.length, want.length);
      let worst = 0;
      for (let i = 0; i < want.length; i++) {
        const err = Math.abs(out[i] - want[i]) / Math.max(1, Math.abs(want[i]));
        if (err > worst) worst = err;
      }
      assert.ok(worst < 2e-6, `max relative error ${worst}`);
    });
  }
}

test('a segment is read at any offset inside a batch buffer', () => {
  const extractor = createEegExtractor(2, 500, 50, resolveEegOptions());
  const input = Float32Array.from(golden.input);
  const padded = new Float32Array(input.length * 3);
  padded.set(input, input.length);
  const a = new Float32Array(extractor.rowLength);
  const b = new Float32Array(extractor.rowLength * 2);
  extractor.extract(input, 0, a, 0);
  extractor.extract(padded, input.length, b, extractor.rowLength);
  assert.deepEqual(b.subarray(extractor.rowLength), a);
});
