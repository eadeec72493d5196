import { InputError } from '@corpus-tune/core';
import type { EdfSignalHeader } from './edf-reader.ts';

// Channel selection. TUSZ recordings come in four montages (01_tcp_ar, 02_tcp_le, 03_tcp_ar_a,
// 04_tcp_le_a; files in ../shared/data/tusz-annotations/montages/). The first two define the
// 22-channel TCP montage, the "_a" ones drop A1-T3 and T4-A2 (no ear electrodes). The 20 channels
// common to all four (test/montage.test.ts checks this against the files) are our default, so every
// recording of the corpus yields the same channels. Each is derived from the referential signals
// `EEG <electrode>-REF` or `EEG <electrode>-LE`, matched without regard to case or suffix.

export interface BipolarChannel {
  name: string;
  /** Electrode names (old 10-20 names, upper case): value = plus − minus. */
  plus: string;
  minus: string | null;
}

/** The 20 TCP channels common to all four TUSZ montages, in the 03_tcp_ar_a order. */
export const TCP20: readonly BipolarChannel[] = [
  'FP1-F7',
  'F7-T3',
  'T3-T5',
  'T5-O1',
  'FP2-F8',
  'F8-T4',
  'T4-T6',
  'T6-O2',
  'T3-C3',
  'C3-CZ',
  'CZ-C4',
  'C4-T4',
  'FP1-F3',
  'F3-C3',
  'C3-P3',
  'P3-O1',
  'FP2-F4',
  'F4-C4',
  'C4-P4',
  'P4-O2',
].map((name) => {
  const [plus, minus] = name.split('-');
  return { name, plus, minus };
});

/** The 19 electrodes of the 10-20 system (TUH names): the referential alternative. */
export const REFERENTIAL19: readonly BipolarChannel[] = [
  'FP1',
  'FP2',
  'F7',
  'F3',
  'FZ',
  'F4',
  'F8',
  'T3',
  'C3',
  'CZ',
  'C4',
  'T4',
  'T5',
  'P3',
  'PZ',
  'P4',
  'T6',
  'O1',
  'O2',
].map((name) => ({ name, plus: name, minus: null }));

export interface MontageLine {
  index: number;
  name: string;
  plus: string;
  minus: string | null;
}

/** Parses an NEDC montage file (`montage = 0, FP1-F7: EEG FP1-REF -- EEG F7-REF`, CRLF or LF). */
export function parseMontageFile(text: string, file: string): MontageLine[] {
  const out: MontageLine[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line.startsWith('montage')) continue;
    const m = /^montage\s*=\s*(\d+)\s*,\s*([^:]+?)\s*:\s*(.+?)\s*(?:--\s*(.+?))?\s*$/.exec(line);
    if (!m) throw new InputError(`line ${i + 1}: cannot parse montage line "${line}"`, { file });
    out.push({
      index: Number(m[1]),
      name: m[2],
      plus: electrodeOf(m[3]) ?? m[3],
      minus: m[4] === undefined ? null : (electrodeOf(m[4]) ?? m[4]),
    });
  }
  return out;
}

/**
 * The electrode a referential signal label names, or null: `EEG FP1-REF`, `EEG Fp1-LE`,
 * `EEG FP1` and `FP1-REF` all give `FP1`. Other references (`-AVG`, bipolar labels) are not matched.
 */
export function electrodeOf(label: string): string | null {
  const m = /^(?:EEG\s+)?([A-Za-z0-9]+)(?:-(REF|LE))?$/i.exec(label.trim());
  return m ? m[1].toUpperCase() : null;
}

export interface ChannelPlan {
  channels: readonly BipolarChannel[];
  /** Signal index of each plus / minus electrode (−1 for a referential channel's missing minus). */
  plusSignal: number[];
  minusSignal: number[];
  sampleRateHz: number;
  /** Reference suffix seen (`REF`, `LE`, or `none`). */
  reference: string;
}

/**
 * Maps the wanted channels onto a file's signals. A missing electrode, an electrode present twice
 * or electrodes at different sample rates is an InputError naming what is missing and what exists.
 */
export function planChannels(
  signals: readonly EdfSignalHeader[],
  channels: readonly BipolarChannel[],
  file: string,
): ChannelPlan {
  const byElectrode = new Map<string, number[]>();
  signals.forEach((s, i) => {
    if (s.isAnnotation) return;
    const e = electrodeOf(s.label);
    if (e !== null) byElectrode.set(e, [...(byElectrode.get(e) ?? []), i]);
  });
  const find = (electrode: string): number => {
    const hits = byElectrode.get(electrode);
    if (!hits) {
      throw new InputError(
        `missing electrode ${electrode} (needed for the ${channels.length}-channel montage); EEG electrodes present: ${[...byElectrode.keys()].join(' ') || 'none'}`,
        { file },
      );
    }
    if (hits.length > 1)
      throw new InputError(
        `electrode ${electrode} appears in ${hits.length} signals (${hits.map((h) => signals[h].label).join(', ')})`,
        { file },
      );
    return hits[0];
  };
  const plusSignal = channels.map((c) => find(c.plus));
  const minusSignal = channels.map((c) => (c.minus === null ? -1 : find(c.minus)));
  const used = [...plusSignal, ...minusSignal.filter((i) => i >= 0)];
  const rates = new Set(used.map((i) => signals[i].sampleRateHz));
  const references = new Set(
    used.map((i) => /-(REF|LE)$/i.exec(signals[i].label.trim())?.[1].toUpperCase() ?? 'none'),
  );
  if (rates.size !== 1)
    throw new InputError(`montage electrodes have different sample rates (${[...rates].join(', ')} Hz)`, {
      file,
    });
  if (references.size > 1)
    throw new InputError(`mixed EEG references (${[...references].join(', ')}); cannot build one montage`, {
      file,
    });
  return {
    channels,
    plusSignal,
    minusSignal,
    sampleRateHz: [...rates][0],
    reference: [...references][0] ?? 'none',
  };
}

/** Derives the montage channels (plus − minus) from the file's physical signals. */
export function applyMontage(plan: ChannelPlan, readSignal: (index: number) => Float64Array): Float64Array[] {
  const cache = new Map<number, Float64Array>();
  const get = (i: number): Float64Array => {
    let s = cache.get(i);
    if (!s) cache.set(i, (s = readSignal(i)));
    return s;
  };
  return plan.channels.map((_, c) => {
    const plus = get(plan.plusSignal[c]);
    if (plan.minusSignal[c] < 0) return Float64Array.from(plus);
    const minus = get(plan.minusSignal[c]);
    const out = new Float64Array(plus.length);
    for (let i = 0; i < out.length; i++) out[i] = plus[i] - minus[i];
    return out;
  });
}
