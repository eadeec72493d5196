// A minimal EDF / EDF+C writer for the synthetic demo corpus and for test fixtures (valid and
// deliberately broken files). Not a general-purpose writer: 16-bit samples, 1-s-or-longer records.

export interface EdfWriteSignal {
  label: string;
  sampleRateHz: number;
  physicalDimension?: string;
  physicalMin: number;
  physicalMax: number;
  /** Physical values; length must be records × samplesPerRecord. */
  samples: Float64Array | Float32Array;
}

export interface EdfWriteOptions {
  patientId?: string;
  recordingId?: string;
  /** `dd.mm.yy` and `hh.mm.ss`. */
  startDate?: string;
  startTime?: string;
  recordDurationSec?: number;
  /** Adds an EDF+C `EDF Annotations` signal with time-keeping TALs (plus these texts in record 0). */
  edfPlusAnnotations?: { onsetSec: number; durationSec?: number; text: string }[];
}

function field(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length);
}

function numberText(value: number, width: number): string {
  let text = String(value);
  if (text.length > width) text = value.toPrecision(width - 2).replace(/\.?0+$/, '');
  return field(text, width);
}

export function encodeEdf(signals: readonly EdfWriteSignal[], options: EdfWriteOptions = {}): Uint8Array {
  const recordDurationSec = options.recordDurationSec ?? 1;
  const spr = signals.map((s) => Math.round(s.sampleRateHz * recordDurationSec));
  const records = signals.length > 0 ? Math.floor(signals[0].samples.length / spr[0]) : 0;
  const annotationBytes = options.edfPlusAnnotations
    ? 60 + options.edfPlusAnnotations.reduce((n, a) => n + a.text.length + 32, 0)
    : 0;
  const annotationSpr = Math.ceil(annotationBytes / 2);
  const ns = signals.length + (options.edfPlusAnnotations ? 1 : 0);
  const headerBytes = 256 * (ns + 1);
  const recordSamples = spr.reduce((a, b) => a + b, 0) + annotationSpr;
  const out = new Uint8Array(headerBytes + records * recordSamples * 2);
  const text = (s: string, at: number): void => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i) & 0xff;
  };
  let h = field('0', 8);
  h += field(options.patientId ?? 'X X X X', 80);
  h += field(options.recordingId ?? 'Startdate X X X X', 80);
  h += field(options.startDate ?? '01.01.20', 8) + field(options.startTime ?? '00.00.00', 8);
  h += field(String(headerBytes), 8) + field(options.edfPlusAnnotations ? 'EDF+C' : '', 44);
  h += field(String(records), 8) + numberText(recordDurationSec, 8) + field(String(ns), 4);
  const all = [
    ...signals.map((s, i) => ({ ...s, spr: spr[i], annotation: false })),
    ...(options.edfPlusAnnotations
      ? [
          {
            label: 'EDF Annotations',
            sampleRateHz: 0,
            physicalMin: -1,
            physicalMax: 1,
            physicalDimension: '',
            samples: new Float64Array(0),
            spr: annotationSpr,
            annotation: true,
          },
        ]
      : []),
  ];
  h += all.map((s) => field(s.label, 16)).join('');
  h += all.map(() => field('', 80)).join('');
  h += all.map((s) => field(s.physicalDimension ?? 'uV', 8)).join('');
  h += all.map((s) => numberText(s.physicalMin, 8)).join('');
  h += all.map((s) => numberText(s.physicalMax, 8)).join('');
  h += all.map(() => field('-32768', 8)).join('');
  h += all.map(() => field('32767', 8)).join('');
  h += all.map(() => field('', 80)).join('');
  h += all.map((s) => field(String(s.spr), 8)).join('');
  h += all.map(() => field('', 32)).join('');
  text(h, 0);
  const view = new DataView(out.buffer);
  let pos = headerBytes;
  for (let r = 0; r < records; r++) {
    for (const s of all) {
      if (s.annotation) {
        let tal = `+${r * recordDurationSec}\x14\x14\x00`;
        if (r === 0)
          for (const a of options.edfPlusAnnotations ?? [])
            tal += `+${a.onsetSec}${a.durationSec !== undefined ? `\x15${a.durationSec}` : ''}\x14${a.text}\x14\x00`;
        const bytes = Buffer.from(tal, 'utf8');
        out.set(bytes.subarray(0, s.spr * 2), pos);
        pos += s.spr * 2;
        continue;
      }
      // Digital = round((physical − pmin) / (pmax − pmin) · 65535 − 32768), clipped.
      const scale = 65535 / (s.physicalMax - s.physicalMin);
      const offset = -s.physicalMin * scale - 32768;
      const base = r * s.spr;
      for (let i = 0; i < s.spr; i++) {
        const v = Math.round(s.samples[base + i] * scale + offset);
        view.setInt16(pos, v < -32768 ? -32768 : v > 32767 ? 32767 : v, true);
        pos += 2;
      }
    }
  }
  return out;
}
