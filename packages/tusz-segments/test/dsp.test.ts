import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { designBandpass, sosArray } from '../src/butterworth.ts';
import { readEdf } from '../src/edf-reader.ts';
import { planChannels, TCP20 } from '../src/montage.ts';
import { montageFilterResample } from '../src/recording.ts';
import { createResampler, resampleRatio } from '../src/resample-poly.ts';
import { createDspKernel } from '../src/dsp-kernel.ts';
import { defaultPadLen, sosfiltfilt, sosfiltfiltPairs } from '../src/sosfiltfilt.ts';
import { EDF_DIR, golden, NEED_SHARED, relativeError } from './helpers.ts';

// Stated tolerances against Debian's scipy 1.10 (golden files from tools/golden/tusz_golden.py):
// both sides compute in float64, so agreement is at rounding level.
const FILTER_RTOL = 1e-9;
const RESAMPLE_RTOL = 1e-9;

interface FileGolden {
  sampleRateHz: number;
  filter: { sos: number[][] };
  resample: { up: number; down: number };
  filtered: { channel: string; indices: number[]; valuesUv: number[] };
  mne: { sos: number[][]; filteredUv: number[] };
  output: Record<string, number[]>;
}

/** |H(e^jw)| of a cascade, to compare designs whose section order and gain split differ. */
function magnitude(sos: readonly (readonly number[])[], f: number, fs: number): number {
  const w = (2 * Math.PI * f) / fs;
  let mag = 1;
  for (const [b0, b1, b2, a0, a1, a2] of sos) {
    const re = (c0: number, c1: number, c2: number) => c0 + c1 * Math.cos(-w) + c2 * Math.cos(-2 * w);
    const im = (c1: number, c2: number) => c1 * Math.sin(-w) + c2 * Math.sin(-2 * w);
    mag *= Math.hypot(re(b0, b1, b2), im(b1, b2)) / Math.hypot(re(a0, a1, a2), im(a1, a2));
  }
  return mag;
}

describe('Butterworth design (fili) vs scipy.signal.butter', () => {
  const g = golden<FileGolden>('tusz2_aaaaapks_s016_t001.json');
  test('order-4 high-pass 0.5 Hz × low-pass 35 Hz at 256 Hz: same frequency response to 1e-10', () => {
    const ours = designBandpass(4, 0.5, 35, 256).sos;
    for (let f = 0.05; f < 128; f *= 1.1)
      assert.ok(Math.abs(magnitude(ours, f, 256) - magnitude(g.filter.sos, f, 256)) < 1e-10, `${f} Hz`);
  });
  test('odd orders and orders past fili’s 12-section clip are refused', () => {
    assert.throws(() => designBandpass(3, 0.5, 35, 256), /even integer/);
    assert.throws(() => designBandpass(26, 0.5, 35, 256), /even integer/);
    assert.throws(() => designBandpass(4, 0.5, 200, 256), /Nyquist/);
  });
});

describe('resample_poly at every TUSZ rate vs scipy (synthetic golden)', () => {
  const g = golden<{ rates: Record<string, { up: number; down: number; output: number[] }> }>(
    'resample_poly_synthetic.json',
  );
  for (const [rate, want] of Object.entries(g.rates)) {
    test(`${rate} Hz → 50 Hz = ${want.up}/${want.down}`, () => {
      const fs = Number(rate);
      assert.deepEqual(resampleRatio(fs, 50), { up: want.up, down: want.down });
      const n = 20 * fs;
      const x = Float64Array.from(
        { length: n },
        (_, i) => Math.sin((2 * Math.PI * 3 * i) / fs) + 0.5 * Math.sin((2 * Math.PI * 30 * i) / fs),
      );
      const resampler = createResampler(want.up, want.down);
      const y = resampler.resample(x);
      assert.ok(
        relativeError(y, want.output) < RESAMPLE_RTOL,
        `relative error ${relativeError(y, want.output)}`,
      );
      // The two-channel kernel the pipeline uses: the same signal in either slot, beside its negation.
      const [ya, yb] = resampler.resamplePair(
        x,
        x.map((v) => -v),
      );
      assert.ok(relativeError(ya, want.output) < RESAMPLE_RTOL, `pair a: ${relativeError(ya, want.output)}`);
      assert.ok(
        relativeError(
          yb.map((v) => -v),
          want.output,
        ) < RESAMPLE_RTOL,
        `pair b: ${relativeError(yb, want.output)}`,
      );
    });
  }
});

describe('WebAssembly pair kernels vs the scalar JavaScript path', () => {
  const signal = (seed: number, n: number) =>
    Float64Array.from(
      { length: n },
      (_, i) => 40 * Math.sin(i / (3 + seed)) + 5 * Math.cos(i * i * 1e-3 * seed) + seed,
    );
  for (const order of [4, 6]) {
    test(`order-${order} band-pass: both lanes equal sosfiltfilt bit for bit (${order} sections)`, () => {
      const sos = sosArray(designBandpass(order, 0.5, 35, 256).sos);
      const n = 3000;
      const padLen = defaultPadLen(sos);
      const [xa, xb] = [signal(1, n), signal(2, n)];
      const kernel = createDspKernel();
      const pairs = new Float64Array(
        kernel.memory.buffer,
        kernel.alloc(16 * (n + 2 * padLen)),
        2 * (n + 2 * padLen),
      );
      for (let i = 0; i < n; i++) {
        pairs[2 * (padLen + i)] = xa[i];
        pairs[2 * (padLen + i) + 1] = xb[i];
      }
      sosfiltfiltPairs(kernel, sos, pairs, n, padLen);
      const [wantA, wantB] = [sosfiltfilt(sos, xa), sosfiltfilt(sos, xb)];
      for (let i = 0; i < n; i++) {
        assert.equal(pairs[2 * (padLen + i)], wantA[i], `lane 0 sample ${i}`);
        assert.equal(pairs[2 * (padLen + i) + 1], wantB[i], `lane 1 sample ${i}`);
      }
    });
  }
  test('resamplePairs reads the pairs where they lie; pairs from elsewhere are refused', () => {
    const resampler = createResampler(25, 128);
    const n = 5000;
    const [xa, xb] = [signal(3, n), signal(4, n)];
    const pairs = resampler.pairBuffer(n);
    for (let i = 0; i < n; i++) {
      pairs[2 * i] = xa[i];
      pairs[2 * i + 1] = xb[i];
    }
    const [ya, yb] = resampler.resamplePairs(pairs);
    assert.deepEqual([ya, yb], resampler.resamplePair(xa, xb));
    assert.ok(relativeError(ya, resampler.resample(xa)) < 1e-15);
    // Another resampler's buffer sits at the same offsets, in other memory.
    const other = createResampler(25, 128).pairBuffer(n);
    assert.throws(() => resampler.resamplePairs(other), /must lie in this resampler/);
    assert.throws(() => resampler.resamplePairs(new Float64Array(2 * n)), /must lie in this resampler/);
  });
});

test('aliasing: a 30 Hz tone vanishes at 50 Hz instead of folding to 20 Hz', () => {
  for (const fs of [250, 256, 400, 512]) {
    const n = 60 * fs;
    const tone = Float64Array.from({ length: n }, (_, i) => 100 * Math.sin((2 * Math.PI * 30 * i) / fs));
    const { up, down } = resampleRatio(fs, 50);
    const y = createResampler(up, down).resample(
      sosfiltfilt(sosArray(designBandpass(4, 0.5, 35, fs).sos), tone),
    );
    // Amplitude at 20 Hz (the alias) over the interior, by correlation with a 20 Hz complex tone.
    let re = 0,
      im = 0;
    const from = 500,
      to = y.length - 500;
    for (let i = from; i < to; i++) {
      re += y[i] * Math.cos((2 * Math.PI * 20 * i) / 50);
      im += y[i] * Math.sin((2 * Math.PI * 20 * i) / 50);
    }
    const alias = (2 * Math.hypot(re, im)) / (to - from);
    let rms = 0;
    for (let i = from; i < to; i++) rms += y[i] * y[i];
    rms = Math.sqrt(rms / (to - from));
    // scipy's Kaiser(β = 5) anti-alias filter leaves about −57 dB; plain decimation would leave ~90 µV.
    assert.ok(alias < 0.5, `${fs} Hz: 20-Hz alias amplitude ${alias} µV of a 100 µV 30-Hz tone`);
    assert.ok(rms < 0.5, `${fs} Hz: output rms ${rms} µV`);
    if (up === 1) {
      let naive = 0;
      for (let i = from; i < to; i++) naive = Math.max(naive, Math.abs(tone[i * down]));
      assert.ok(naive > 50, 'the check is meaningful: taking every n-th sample aliases the tone');
    }
  }
});

describe(
  'real TUSZ / Siena files vs scipy sosfiltfilt + resample_poly (golden)',
  { skip: NEED_SHARED },
  () => {
    for (const name of [
      'tuh_00009578_s002_t001',
      'tusz2_aaaaapks_s016_t001',
      'tusz2_aaaaahln_s002_t000',
      'tusz2_aaaaaaac_s001_t000_sample',
      'siena_PN00-5_sample',
    ]) {
      test(`${name}: band-pass and 50-Hz output of the TCP channels`, () => {
        const g = golden<FileGolden>(`${name}.json`);
        const edf = readEdf(join(EDF_DIR, `${name}.edf`));
        const plan = planChannels(edf.header.signals, TCP20, name);
        assert.equal(plan.sampleRateHz, g.sampleRateHz);
        const design = designBandpass(4, 0.5, 35, plan.sampleRateHz).sos;
        for (let f = 0.05; f < plan.sampleRateHz / 2; f *= 1.1) {
          const ours = magnitude(design, f, plan.sampleRateHz);
          const mne = magnitude(g.mne.sos, f, plan.sampleRateHz);
          assert.ok(
            Math.abs(ours - mne) < 1e-10,
            `|H| at ${f.toFixed(3)} Hz: ${ours} vs MNE's design ${mne}`,
          );
        }
        const sos = sosArray(design);
        const { up, down } = resampleRatio(plan.sampleRateHz, 50);
        assert.deepEqual({ up, down }, g.resample);
        const resampler = createResampler(up, down);
        const pipeline = montageFilterResample(edf, plan, sos, resampler);
        assert.equal(pipeline.length, TCP20.length);
        // Every channel equals the one-channel path checked against scipy below. Not bit-equal: the
        // pipeline filters electrodes and subtracts at 50 Hz, which rounds differently where large
        // DC offsets cancel (1.5e-12 measured on this TUH file), hence 1e-10.
        TCP20.forEach((_, c) => {
          const single = resampler.resample(
            sosfiltfilt(sos, edf.readDifference(plan.plusSignal[c], plan.minusSignal[c])),
          );
          assert.ok(
            relativeError(pipeline[c], single) < 1e-10,
            `${TCP20[c].name}: fused ≠ one-channel path (${relativeError(pipeline[c], single)})`,
          );
        });
        for (const [channel, want] of Object.entries(g.output)) {
          const c = TCP20.findIndex((t) => t.name === channel);
          const x = edf.readDifference(plan.plusSignal[c], plan.minusSignal[c]);
          const filtered = sosfiltfilt(sos, x);
          if (channel === g.filtered.channel) {
            const picked = g.filtered.indices.map((i) => filtered[i]);
            assert.ok(
              relativeError(picked, g.filtered.valuesUv) < FILTER_RTOL,
              `filter rel. error ${relativeError(picked, g.filtered.valuesUv)}`,
            );
            // MNE's own path: its Butterworth design (create_filter) applied by filter_data.
            assert.ok(
              relativeError(picked, g.mne.filteredUv) < FILTER_RTOL,
              `vs MNE filter_data: rel. error ${relativeError(picked, g.mne.filteredUv)}`,
            );
          }
          const y = resampler.resample(filtered);
          assert.ok(
            relativeError(y, want) < RESAMPLE_RTOL,
            `${channel}: rel. error ${relativeError(y, want)}`,
          );
          // The fused path processRecording runs (decode into padded buffers, in-place filter, pairs).
          const fused = pipeline[c];
          assert.ok(
            relativeError(fused, want) < RESAMPLE_RTOL,
            `${channel} (montageFilterResample): rel. error ${relativeError(fused, want)}`,
          );
        }
      });
    }
  },
);
