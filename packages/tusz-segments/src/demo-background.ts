import type { Rng } from '@corpus-tune/core';
import { ELECTRODES, ELECTRODE_XY } from './demo-electrodes.ts';
import type { PatientParams } from './demo-plan.ts';

// Background EEG of one demo recording: 1/f^β noise (a local part per electrode plus a part common
// to all) and a posterior alpha rhythm whose amplitude waxes and wanes.
//
// The 1/f^β noise is white noise through a bank of one-pole low-passes at log-spaced corners f_k,
// each with plateau gain f_k^(−β/2): below f_k a section is flat at f_k^−β, above it falls as f^−2,
// and the sum over corners follows f^−β between the first and last corner for 0 < β < 2.

const CORNERS_HZ = [0.2, 0.55, 1.5, 4, 11, 30, 80];

interface NoiseBank {
  a: Float64Array;
  g: Float64Array;
  /** RMS in 0.5–25 Hz of the bank's output for unit-variance white input. */
  bandRms: number;
}

function noiseBank(sampleRateHz: number, slopeExponent: number): NoiseBank {
  const a = Float64Array.from(CORNERS_HZ, (f) => Math.exp((-2 * Math.PI * f) / sampleRateHz));
  const g = Float64Array.from(CORNERS_HZ, (f, k) => (1 - a[k]) * f ** (-slopeExponent / 2));
  // One-sided PSD of the output: (2 / fs) |H(f)|², H = Σ g_k / (1 − a_k e^{−jω}); integrated numerically.
  let power = 0;
  const df = 0.05;
  for (let f = 0.5 + df / 2; f < 25; f += df) {
    const w = (2 * Math.PI * f) / sampleRateHz;
    let re = 0;
    let im = 0;
    for (let k = 0; k < a.length; k++) {
      const dr = 1 - a[k] * Math.cos(w);
      const di = a[k] * Math.sin(w);
      const d2 = dr * dr + di * di;
      re += (g[k] * dr) / d2;
      im -= (g[k] * di) / d2;
    }
    power += (2 / sampleRateHz) * (re * re + im * im) * df;
  }
  return { a, g, bandRms: Math.sqrt(power) };
}

/** Filters white noise through the bank in place, scaled so its 0.5–25 Hz RMS is `rms`. */
function colour(white: Float64Array, bank: NoiseBank, rms: number): Float64Array {
  const { a, g } = bank;
  const K = a.length;
  const state = new Float64Array(K);
  const scale = rms / bank.bandRms;
  for (let i = 0; i < white.length; i++) {
    const w = white[i];
    let sum = 0;
    for (let k = 0; k < K; k++) {
      state[k] = a[k] * state[k] + g[k] * w;
      sum += state[k];
    }
    white[i] = sum * scale;
  }
  return white;
}

function alphaGain(electrode: string): number {
  const y = ELECTRODE_XY[electrode][1];
  return Math.exp(-((y + 0.95) ** 2) / (2 * 0.5 * 0.5));
}

/** Referential background (µV) per electrode, before channel gains, electrode noise and mains. */
export function renderBackground(
  p: PatientParams,
  samples: number,
  sampleRateHz: number,
  rng: Rng,
): Map<string, Float64Array> {
  const bank = noiseBank(sampleRateHz, p.slopeExponent);
  const common = new Float64Array(samples);
  rng.fork('common').fillNormal(common);
  colour(common, bank, p.backgroundRmsUv * p.commonFraction);
  const arng = rng.fork('alpha');
  const slowHz = [0.03 + 0.05 * arng.float(), 0.11 + 0.1 * arng.float()];
  const slowPhase = [arng.float() * 2 * Math.PI, arng.float() * 2 * Math.PI];
  const alphaPhase = arng.float() * 2 * Math.PI;
  const alpha = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const t = i / sampleRateHz;
    const envelope =
      0.6 +
      0.25 * Math.sin(2 * Math.PI * slowHz[0] * t + slowPhase[0]) +
      0.15 * Math.sin(2 * Math.PI * slowHz[1] * t + slowPhase[1]);
    alpha[i] = p.alphaUv * envelope * Math.sin(2 * Math.PI * p.alphaHz * t + alphaPhase);
  }
  const localRms = p.backgroundRmsUv * Math.sqrt(1 - p.commonFraction ** 2);
  const out = new Map<string, Float64Array>();
  for (const e of ELECTRODES) {
    const x = new Float64Array(samples);
    rng.fork(`local-${e}`).fillNormal(x);
    colour(x, bank, localRms);
    // A small per-electrode lag of the alpha, so it survives the bipolar differences.
    const lag = Math.round((0.004 + 0.012 * rng.fork(`alpha-lag-${e}`).float()) * sampleRateHz);
    const ga = alphaGain(e);
    for (let i = 0; i < samples; i++) x[i] += common[i] + ga * alpha[i >= lag ? i - lag : 0];
    out.set(e, x);
  }
  return out;
}

/** Channel gains, then white electrode noise and 60 Hz mains, in place (what the amplifier adds). */
export function addAmplifier(
  signals: Map<string, Float64Array>,
  p: PatientParams,
  sampleRateHz: number,
  rng: Rng,
): void {
  const linePhase = rng.fork('mains').float() * 2 * Math.PI;
  const w = (2 * Math.PI * 60) / sampleRateHz;
  for (const [e, x] of signals) {
    const noise = new Float64Array(x.length);
    rng.fork(`impedance-${e}`).fillNormal(noise);
    const gain = p.channelGains[e];
    const sigma = p.impedanceNoiseUv[e];
    const line = p.lineNoiseUv[e];
    for (let i = 0; i < x.length; i++)
      x[i] = gain * x[i] + sigma * noise[i] + line * Math.sin(w * i + linePhase);
  }
}
