import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { InputError } from '@corpus-tune/core';

// Our own EDF/EDF+ reader. edfdecoder 0.1.2, measured against real TUH EDF files: it reads two-digit
// years wrongly (15.01.24 → 1924), returns the EDF+ annotation signal as a garbage data channel, does
// not parse TALs, swallows its own errors (we need one clear message per bad file) and holds ≈5× the
// file in memory (40–50 MB/s). The format is small (EDF: https://www.edfplus.info/specs/edf.html,
// EDF+: https://www.edfplus.info/specs/edfplus.html), so a reader of ~300 lines is the safer choice.

export type EdfFormat = 'EDF' | 'EDF+C' | 'EDF+D';

export interface EdfSignalHeader {
  label: string;
  transducer: string;
  physicalDimension: string;
  physicalMin: number;
  physicalMax: number;
  digitalMin: number;
  digitalMax: number;
  prefiltering: string;
  samplesPerRecord: number;
  /** samplesPerRecord / recordDurationSec. */
  sampleRateHz: number;
  /** True for `EDF Annotations` signals (TAL bytes, not samples). */
  isAnnotation: boolean;
}

export interface EdfHeader {
  format: EdfFormat;
  patientId: string;
  recordingId: string;
  /** ISO date-time of the start (EDF+ two-digit year rule: 85–99 → 19xx, 00–84 → 20xx). */
  startDateTime: string;
  headerBytes: number;
  /** As written in the header (may be −1); see `records` for the count actually used. */
  recordsInHeader: number;
  records: number;
  recordDurationSec: number;
  signals: EdfSignalHeader[];
}

export interface EdfAnnotation {
  onsetSec: number;
  durationSec: number | null;
  text: string;
}

export interface EdfFile {
  header: EdfHeader;
  /**
   * Onset of every data record in seconds from the first: from the time-keeping TALs in EDF+D, else
   * i · record duration (EDF+C is continuous by its header).
   */
  recordOnsetsSec: Float64Array;
  annotations: EdfAnnotation[];
  /** Messages about tolerated irregularities (e.g. record count −1 inferred from the file size). */
  warnings: string[];
  /**
   * Physical samples (float64) of the data signal at `index`; throws for annotation signals. With
   * `into`, they are written there from `at` on (and `into` returned) instead of a new array.
   */
  readSignal(index: number, into?: Float64Array, at?: number): Float64Array;
  /**
   * Physical samples of signal `plus` minus signal `minus` (same rate), decoded and subtracted in one
   * pass: a bipolar derivation without two intermediate arrays. `into` / `at` as for readSignal.
   */
  readDifference(plus: number, minus: number, into?: Float64Array, at?: number): Float64Array;
  /**
   * Physical samples of two data signals of the same rate, interleaved in one pass (signal `a` at
   * even, `b` at odd positions): a pair for two-lane kernels. `into` / `at` as for readSignal, with
   * `at` counting values (2 per pair).
   */
  readPair(a: number, b: number, into?: Float64Array, at?: number): Float64Array;
}

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, length)
    .toString('latin1')
    .trim();
}

function numberField(file: string, text: string, what: string, integer = false): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new InputError(`bad EDF header: ${what} is "${text}", not ${integer ? 'an integer' : 'a number'}`, {
      file,
    });
  }
  return value;
}

/** EDF+ clipping date for the two-digit start year (EDF+ spec): 85–99 → 19xx, else 20xx. */
function fullYear(twoDigit: number): number {
  return twoDigit >= 85 ? 1900 + twoDigit : 2000 + twoDigit;
}

function parseStart(file: string, date: string, time: string, recordingField: string): string {
  const d = /^(\d\d)\.(\d\d)\.(\d\d)$/.exec(date);
  const t = /^(\d\d)\.(\d\d)\.(\d\d)$/.exec(time);
  if (!d || !t)
    throw new InputError(`bad EDF header: start date/time "${date} ${time}" is not dd.mm.yy hh.mm.ss`, {
      file,
    });
  // EDF+ puts the four-digit year in the recording field ("Startdate 01-JAN-2070 …"); it wins over
  // the clipped two-digit year when its last two digits agree.
  const plus = /^Startdate \d\d-[A-Za-z]{3}-(\d{4})\b/.exec(recordingField);
  const year = plus && plus[1].slice(2) === d[3] ? Number(plus[1]) : fullYear(Number(d[3]));
  return `${year}-${d[2]}-${d[1]}T${t[1]}:${t[2]}:${t[3]}`;
}

/** Parses the fixed and per-signal header from the first bytes of a file. */
export function parseEdfHeader(bytes: Uint8Array, fileSizeBytes: number, file: string): EdfHeader {
  if (bytes.length < 256)
    throw new InputError(`not an EDF file: ${fileSizeBytes} bytes, shorter than the 256-byte header`, {
      file,
    });
  if (bytes[0] === 0xff && ascii(bytes, 1, 7) === 'BIOSEMI') {
    throw new InputError('BDF (BioSemi 24-bit) files are not supported; convert to EDF first', { file });
  }
  const version = ascii(bytes, 0, 8);
  if (version !== '0')
    throw new InputError(`not an EDF file: version field is "${version}", expected "0"`, { file });
  const headerBytes = numberField(file, ascii(bytes, 184, 8), 'header byte count', true);
  const reserved = ascii(bytes, 192, 44);
  const recordsInHeader = numberField(file, ascii(bytes, 236, 8), 'number of data records', true);
  const recordDurationSec = numberField(file, ascii(bytes, 244, 8), 'data record duration');
  const ns = numberField(file, ascii(bytes, 252, 4), 'number of signals', true);
  if (ns < 0) throw new InputError(`bad EDF header: number of signals is ${ns}`, { file });
  if (headerBytes !== 256 * (ns + 1)) {
    throw new InputError(
      `bad EDF header: header byte count ${headerBytes} ≠ 256 × (1 + ${ns} signals) = ${256 * (ns + 1)}`,
      { file },
    );
  }
  if (fileSizeBytes < headerBytes || bytes.length < headerBytes) {
    throw new InputError(
      `truncated EDF header: file has ${fileSizeBytes} bytes, header needs ${headerBytes}`,
      { file },
    );
  }
  if (recordDurationSec < 0)
    throw new InputError(`bad EDF header: data record duration ${recordDurationSec} s is negative`, { file });
  const format: EdfFormat = reserved.startsWith('EDF+D')
    ? 'EDF+D'
    : reserved.startsWith('EDF+C')
      ? 'EDF+C'
      : 'EDF';

  // Signal headers are stored field by field (all labels, then all transducers, …).
  let offset = 256;
  const field = (width: number): string[] => {
    const out: string[] = [];
    for (let i = 0; i < ns; i++) out.push(ascii(bytes, offset + i * width, width));
    offset += ns * width;
    return out;
  };
  const labels = field(16);
  const transducers = field(80);
  const dims = field(8);
  const pmins = field(8);
  const pmaxs = field(8);
  const dmins = field(8);
  const dmaxs = field(8);
  const prefilters = field(80);
  const spr = field(8);
  const signals: EdfSignalHeader[] = labels.map((label, i) => {
    const what = (name: string): string => `${name} of signal ${i + 1} ("${label}")`;
    const samplesPerRecord = numberField(file, spr[i], what('samples per record'), true);
    if (samplesPerRecord < 0)
      throw new InputError(`bad EDF header: ${what('samples per record')} is negative`, { file });
    const isAnnotation = label === 'EDF Annotations';
    const digitalMin = numberField(file, dmins[i], what('digital minimum'), true);
    const digitalMax = numberField(file, dmaxs[i], what('digital maximum'), true);
    const physicalMin = numberField(file, pmins[i], what('physical minimum'));
    const physicalMax = numberField(file, pmaxs[i], what('physical maximum'));
    if (!isAnnotation && digitalMax === digitalMin) {
      throw new InputError(`bad EDF header: ${what('digital range')} is empty (min = max = ${digitalMin})`, {
        file,
      });
    }
    return {
      label,
      transducer: transducers[i],
      physicalDimension: dims[i],
      physicalMin,
      physicalMax,
      digitalMin,
      digitalMax,
      prefiltering: prefilters[i],
      samplesPerRecord,
      sampleRateHz: recordDurationSec > 0 ? samplesPerRecord / recordDurationSec : 0,
      isAnnotation,
    };
  });

  const recordBytes = 2 * signals.reduce((sum, s) => sum + s.samplesPerRecord, 0);
  const dataBytes = fileSizeBytes - headerBytes;
  let records = recordsInHeader;
  if (recordsInHeader === -1) {
    // Allowed while recording (EDF spec); infer from the size, but only if it is whole records.
    if (recordBytes === 0 || dataBytes % recordBytes !== 0) {
      throw new InputError(
        `number of data records is -1 and the ${dataBytes} data bytes are not a whole number of ${recordBytes}-byte records`,
        { file },
      );
    }
    records = dataBytes / recordBytes;
  } else if (recordsInHeader < -1) {
    throw new InputError(`bad EDF header: number of data records is ${recordsInHeader}`, { file });
  } else if (dataBytes < records * recordBytes) {
    const whole = recordBytes > 0 ? Math.floor(dataBytes / recordBytes) : 0;
    throw new InputError(
      `truncated EDF: header says ${records} records × ${recordBytes} bytes = ${records * recordBytes} data bytes, file has ${dataBytes} (${whole} whole records)`,
      { file },
    );
  }
  return {
    format,
    patientId: ascii(bytes, 8, 80),
    recordingId: ascii(bytes, 88, 80),
    startDateTime: parseStart(file, ascii(bytes, 168, 8), ascii(bytes, 176, 8), ascii(bytes, 88, 80)),
    headerBytes,
    recordsInHeader,
    records,
    recordDurationSec,
    signals,
  };
}

/**
 * Parses the TALs of one annotation-signal block (EDF+ spec, "Time-stamped Annotations Lists":
 * `+onset[\x15duration]\x14text\x14…\x00`).
 */
export function parseTals(
  block: Uint8Array,
  file: string,
): { timekeepingSec: number | null; annotations: EdfAnnotation[] } {
  const annotations: EdfAnnotation[] = [];
  let timekeepingSec: number | null = null;
  let start = 0;
  let first = true;
  while (start < block.length) {
    let end = start;
    while (end < block.length && block[end] !== 0) end++;
    if (end > start) {
      const tal = Buffer.from(block.buffer, block.byteOffset + start, end - start).toString('utf8');
      const parts = tal.split('\x14');
      const timing = parts[0];
      // Onset and optional duration are separated by byte 21 (0x15).
      const [onsetText, durationText, extra] = timing.split(String.fromCharCode(21));
      const validOnset = /^[+-]\d+(?:\.\d*)?$/.test(onsetText);
      const validDuration = durationText === undefined || /^\d+(?:\.\d*)?$/.test(durationText);
      if (!validOnset || !validDuration || extra !== undefined) {
        throw new InputError(
          `bad EDF+ annotation: TAL onset "${JSON.stringify(timing).slice(1, -1)}" is not +seconds[<21>duration]`,
          { file },
        );
      }
      const onsetSec = Number(onsetText);
      const durationSec = durationText !== undefined ? Number(durationText) : null;
      const texts = parts.slice(1).filter((t) => t !== '');
      if (first && texts.length === 0) timekeepingSec = onsetSec;
      for (const text of texts) annotations.push({ onsetSec, durationSec, text });
      first = false;
    }
    start = end + 1;
  }
  return { timekeepingSec, annotations };
}

/** Reads an EDF/EDF+ file: header, TALs and record onsets eagerly; samples on demand per signal. */
export function readEdf(path: string): EdfFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new InputError(`cannot open EDF file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      file: path,
      cause: error,
    });
  }
  try {
    const fileSizeBytes = fstatSync(fd).size;
    const bytes = Buffer.alloc(fileSizeBytes);
    let got = 0;
    while (got < fileSizeBytes) {
      const n = readSync(fd, bytes, got, fileSizeBytes - got, got);
      if (n === 0) break;
      got += n;
    }
    return decodeEdf(bytes.subarray(0, got), path);
  } finally {
    closeSync(fd);
  }
}

/** Decodes an EDF held in memory (`file` only names it in errors). */
export function decodeEdf(bytes: Uint8Array, file: string): EdfFile {
  const header = parseEdfHeader(bytes, bytes.length, file);
  const { signals, records, headerBytes } = header;
  const warnings: string[] = [];
  if (header.recordsInHeader === -1)
    warnings.push(`number of data records is -1; inferred ${records} from the file size`);
  const offsets: number[] = [];
  let recordSamples = 0;
  for (const s of signals) {
    offsets.push(recordSamples);
    recordSamples += s.samplesPerRecord;
  }
  const expected = headerBytes + records * recordSamples * 2;
  if (bytes.length > expected)
    warnings.push(`${bytes.length - expected} bytes after the last data record ignored`);

  // All samples as int16. The data section starts at an even offset (256·(ns+1)); copy only when the
  // Buffer itself sits at an odd address or the host is big-endian.
  const dataStart = bytes.byteOffset + headerBytes;
  const n = records * recordSamples;
  let samples: Int16Array;
  if (LITTLE_ENDIAN_HOST && dataStart % 2 === 0) {
    samples = new Int16Array(bytes.buffer, dataStart, n);
  } else {
    samples = new Int16Array(n);
    const view = new DataView(bytes.buffer, dataStart, n * 2);
    for (let i = 0; i < n; i++) samples[i] = view.getInt16(2 * i, true);
  }

  const { recordOnsetsSec, annotations } = recordTiming(
    bytes,
    header,
    offsets,
    recordSamples,
    file,
    warnings,
  );

  // The destination of a decode: a fresh array, or `into` from `at` when it has room.
  const destination = (length: number, into: Float64Array | undefined, at: number): Float64Array => {
    if (!into) return new Float64Array(length);
    if (!Number.isInteger(at) || at < 0 || at + length > into.length)
      throw new RangeError(`cannot write ${length} samples at ${at} into a buffer of ${into.length}`);
    return into;
  };
  const readSignal = (index: number, into?: Float64Array, at = 0): Float64Array => {
    const s = signals[index];
    if (!s) throw new RangeError(`signal ${index} out of range (0..${signals.length - 1})`);
    if (s.isAnnotation)
      throw new InputError(`signal ${index} ("${s.label}") is an annotation signal, not samples`, { file });
    const spr = s.samplesPerRecord;
    const out = destination(records * spr, into, at);
    const gain = (s.physicalMax - s.physicalMin) / (s.digitalMax - s.digitalMin);
    const offset = s.physicalMin - s.digitalMin * gain;
    let o = at;
    for (let r = 0; r < records; r++) {
      let i = r * recordSamples + offsets[index];
      const end = i + spr;
      for (; i < end; i++) out[o++] = samples[i] * gain + offset;
    }
    return out;
  };
  /** Two data signals of one sample rate, or the error saying which they are not. */
  const sameRate = (i: number, j: number): [EdfSignalHeader, EdfSignalHeader] => {
    const a = signals[i];
    const b = signals[j];
    if (!a || !b || a.isAnnotation || b.isAnnotation)
      throw new RangeError(`signals ${i}, ${j} are not two data signals`);
    if (a.samplesPerRecord !== b.samplesPerRecord)
      throw new InputError(`"${a.label}" and "${b.label}" have different sample rates`, { file });
    return [a, b];
  };
  const readDifference = (
    plusIndex: number,
    minusIndex: number,
    into?: Float64Array,
    at = 0,
  ): Float64Array => {
    const [p, m] = sameRate(plusIndex, minusIndex);
    const spr = p.samplesPerRecord;
    const out = destination(records * spr, into, at);
    const gp = (p.physicalMax - p.physicalMin) / (p.digitalMax - p.digitalMin);
    const gm = (m.physicalMax - m.physicalMin) / (m.digitalMax - m.digitalMin);
    const offset = p.physicalMin - p.digitalMin * gp - (m.physicalMin - m.digitalMin * gm);
    let o = at;
    for (let r = 0; r < records; r++) {
      const ip = r * recordSamples + offsets[plusIndex];
      const im = r * recordSamples + offsets[minusIndex];
      for (let k = 0; k < spr; k++) out[o++] = samples[ip + k] * gp - samples[im + k] * gm + offset;
    }
    return out;
  };
  const readPair = (aIndex: number, bIndex: number, into?: Float64Array, at = 0): Float64Array => {
    const [a, b] = sameRate(aIndex, bIndex);
    const spr = a.samplesPerRecord;
    const out = destination(2 * records * spr, into, at);
    const ga = (a.physicalMax - a.physicalMin) / (a.digitalMax - a.digitalMin);
    const gb = (b.physicalMax - b.physicalMin) / (b.digitalMax - b.digitalMin);
    const oa = a.physicalMin - a.digitalMin * ga;
    const ob = b.physicalMin - b.digitalMin * gb;
    let o = at;
    for (let r = 0; r < records; r++) {
      const ia = r * recordSamples + offsets[aIndex];
      const ib = r * recordSamples + offsets[bIndex];
      for (let k = 0; k < spr; k++, o += 2) {
        out[o] = samples[ia + k] * ga + oa;
        out[o + 1] = samples[ib + k] * gb + ob;
      }
    }
    return out;
  };
  return { header, recordOnsetsSec, annotations, warnings, readSignal, readDifference, readPair };
}

/**
 * Record onsets and annotations from the TALs of every annotation signal. Only EDF+D takes record
 * onsets from the time-keeping TALs; in EDF+C (and plain EDF) the header's continuity holds, as in
 * MNE: record r starts at r × duration, whatever the TALs say or omit. The first record's
 * time-keeping TAL is the sub-second start; annotation onsets are made relative to it.
 */
function recordTiming(
  bytes: Uint8Array,
  header: EdfHeader,
  offsets: readonly number[],
  recordSamples: number,
  file: string,
  warnings: string[],
): { recordOnsetsSec: Float64Array; annotations: EdfAnnotation[] } {
  const { signals, records, headerBytes, recordDurationSec } = header;
  const annotations: EdfAnnotation[] = [];
  const timekeepingSec = new Float64Array(records).fill(NaN);
  const annotationSignals = signals.map((s, i) => (s.isAnnotation ? i : -1)).filter((i) => i >= 0);
  for (let r = 0; r < records; r++) {
    for (const si of annotationSignals) {
      const start = headerBytes + 2 * (r * recordSamples + offsets[si]);
      const parsed = parseTals(bytes.subarray(start, start + 2 * signals[si].samplesPerRecord), file);
      // The spec puts it first in the first annotation signal; take the first one found.
      if (Number.isNaN(timekeepingSec[r]) && parsed.timekeepingSec !== null)
        timekeepingSec[r] = parsed.timekeepingSec;
      annotations.push(...parsed.annotations);
    }
  }
  const recordOnsetsSec = new Float64Array(records);
  const origin = records > 0 && !Number.isNaN(timekeepingSec[0]) ? timekeepingSec[0] : 0;
  if (header.format === 'EDF+D') {
    for (let r = 0; r < records; r++) {
      if (Number.isNaN(timekeepingSec[r]))
        throw new InputError(`EDF+D record ${r} has no time-keeping TAL (needed for its onset)`, { file });
      recordOnsetsSec[r] = timekeepingSec[r] - origin;
    }
  } else {
    let missing = 0;
    let disagreeing = 0;
    for (let r = 0; r < records; r++) {
      recordOnsetsSec[r] = r * recordDurationSec;
      if (annotationSignals.length === 0) continue;
      if (Number.isNaN(timekeepingSec[r])) missing++;
      else if (Math.abs(timekeepingSec[r] - origin - recordOnsetsSec[r]) > 1e-6) disagreeing++;
    }
    if (missing > 0)
      warnings.push(`${missing} of ${records} records have no time-keeping TAL; contiguous records assumed`);
    if (disagreeing > 0)
      warnings.push(
        `${disagreeing} of ${records} time-keeping TALs disagree with contiguous records; ignored (${header.format} is continuous by its header)`,
      );
  }
  for (const a of annotations) a.onsetSec -= origin;
  return { recordOnsetsSec, annotations };
}

/** Whether the records tile the time axis without gaps (always true for plain EDF and EDF+C). */
export function isContinuous(edf: EdfFile): boolean {
  const { recordOnsetsSec, header } = edf;
  for (let r = 1; r < recordOnsetsSec.length; r++) {
    if (Math.abs(recordOnsetsSec[r] - recordOnsetsSec[r - 1] - header.recordDurationSec) > 1e-6) return false;
  }
  return true;
}

/** The JSON summary printed by `tusz-segments inspect`. */
export function summarizeEdf(edf: EdfFile): {
  format: EdfFormat;
  signals: {
    label: string;
    sampleRateHz: number;
    physicalDimension: string;
    physicalMin: number;
    physicalMax: number;
  }[];
  records: number;
  recordDurationSec: number;
  durationSec: number;
  annotations: EdfAnnotation[];
  startDateTime: string;
  continuous: boolean;
  warnings: string[];
} {
  const { header } = edf;
  const n = header.records;
  const durationSec = n > 0 ? edf.recordOnsetsSec[n - 1] + header.recordDurationSec : 0;
  return {
    format: header.format,
    signals: header.signals.map((s) => ({
      label: s.label,
      sampleRateHz: s.sampleRateHz,
      physicalDimension: s.physicalDimension,
      physicalMin: s.physicalMin,
      physicalMax: s.physicalMax,
    })),
    records: n,
    recordDurationSec: header.recordDurationSec,
    durationSec,
    annotations: edf.annotations,
    startDateTime: header.startDateTime,
    continuous: isContinuous(edf),
    warnings: edf.warnings,
  };
}
