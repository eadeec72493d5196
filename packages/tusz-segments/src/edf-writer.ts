// A minimal EDF / EDF+ writer for the synthetic demo corpus and for test fixtures (valid and
// deliberately broken files). Not a general-purpose writer: 16-bit samples only.

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
  /**
   * `EDF Annotations` signals written verbatim, for reader fixtures (several annotation signals,
   * records without a time-keeping TAL, …): before or after the data signals, each record's TAL
   * bytes as given (none for records not listed), NUL-padded to `bytesPerRecord`.
   */
  rawAnnotationSignals?: RawAnnotationSignal[];
  /** The header's reserved field; default `EDF+C` when the file has an annotation signal, else empty. */
  reserved?: string;
}

export interface RawAnnotationSignal {
  position: 'first' | 'last';
  /** Even: the signal's samples per record are half of it. */
  bytesPerRecord: number;
  /** Record index → the TAL text of that record (each TAL ends in `\x14\x00`). */
  recordTals: Readonly<Record<number, string>>;
}

interface Column {
  label: string;
  physicalMin: number;
  physicalMax: number;
  physicalDimension?: string;
  samples: Float64Array | Float32Array;
  spr: number;
  /** The TAL text of record r, for annotation signals; null for data signals. */
  tal: ((record: number) => string) | null;
}

function annotationColumn(spr: number, tal: (record: number) => string): Column {
  return {
    label: 'EDF Annotations',
    physicalMin: -1,
    physicalMax: 1,
    physicalDimension: '',
    samples: new Float64Array(0),
    spr,
    tal,
  };
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
  const timekeeping = (r: number): string => {
    let tal = `+${r * recordDurationSec}\x14\x14\x00`;
    if (r === 0)
      for (const a of options.edfPlusAnnotations ?? [])
        tal += `+${a.onsetSec}${a.durationSec !== undefined ? `\x15${a.durationSec}` : ''}\x14${a.text}\x14\x00`;
    return tal;
  };
  const raw = (position: RawAnnotationSignal['position']): Column[] =>
    (options.rawAnnotationSignals ?? [])
      .filter((a) => a.position === position)
      .map((a) => {
        if (a.bytesPerRecord % 2 !== 0) throw new RangeError(`bytesPerRecord ${a.bytesPerRecord} is odd`);
        return annotationColumn(a.bytesPerRecord / 2, (r) => a.recordTals[r] ?? '');
      });
  const all: Column[] = [
    ...raw('first'),
    ...signals.map((s, i) => ({ ...s, spr: spr[i], tal: null })),
    ...(options.edfPlusAnnotations ? [annotationColumn(Math.ceil(annotationBytes / 2), timekeeping)] : []),
    ...raw('last'),
  ];
  const ns = all.length;
  const hasAnnotations = all.some((c) => c.tal !== null);
  const headerBytes = 256 * (ns + 1);
  const recordSamples = all.reduce((n, c) => n + c.spr, 0);
  const out = new Uint8Array(headerBytes + records * recordSamples * 2);
  const text = (s: string, at: number): void => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i) & 0xff;
  };
  let h = field('0', 8);
  h += field(options.patientId ?? 'X X X X', 80);
  h += field(options.recordingId ?? 'Startdate X X X X', 80);
  h += field(options.startDate ?? '01.01.20', 8) + field(options.startTime ?? '00.00.00', 8);
  h += field(String(headerBytes), 8) + field(options.reserved ?? (hasAnnotations ? 'EDF+C' : ''), 44);
  h += field(String(records), 8) + numberText(recordDurationSec, 8) + field(String(ns), 4);
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
      if (s.tal !== null) {
        const bytes = Buffer.from(s.tal(r), 'utf8');
        if (bytes.length > s.spr * 2)
          throw new RangeError(
            `record ${r}: ${bytes.length} TAL bytes do not fit the ${s.spr * 2}-byte annotation signal`,
          );
        out.set(bytes, pos);
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
