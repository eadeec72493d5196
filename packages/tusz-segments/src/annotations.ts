import { extname } from 'node:path';
import { InputError, readInputText } from '@corpus-tune/core';

// TUSZ annotation files, as the AAREADME shipped with each TUSZ release defines them (TUH EEG corpus:
// https://isip.piconepress.com/projects/nedc/html/tuh_eeg/): v2 `.csv` (one row per channel per event)
// and `.csv_bi` (channel `TERM`, bckg/seiz), both `#` comment lines then a
// `channel,start_time,stop_time,label,confidence` header; v1.5 `.tse` / `.tse_bi` (one
// `start stop label probability` line per event) and `.lbl` / `.lbl_bi` (per-channel events that
// point into the file's montage block). Everything is reduced to events {channel, start, stop,
// label} and then to a two-class timeline, because the corpus is seizure vs background.

export type SegmentLabel = 'bckg' | 'seiz';
/** Arrow label codes (docs/conventions.md): bckg = 0, seiz = 1. */
export const CLASS_NAMES: readonly SegmentLabel[] = ['bckg', 'seiz'];

/** Seizure types of the TUSZ label set; all map to `seiz`. `nesz` (non-epileptic) is kept as a
 * seizure event because TUSZ's own bi-class files fold every seizure type, nesz included, into seiz. */
export const SEIZURE_LABELS: ReadonlySet<string> = new Set([
  'seiz',
  'fnsz',
  'gnsz',
  'spsz',
  'cpsz',
  'absz',
  'tnsz',
  'cnsz',
  'tcsz',
  'atsz',
  'mysz',
  'nesz',
]);

/** Non-seizure labels of the NEDC map (nedc_eas_default_map.txt): background for a seiz/bckg corpus. */
export const BACKGROUND_LABELS: ReadonlySet<string> = new Set([
  'bckg',
  'null',
  '(null)',
  'spsw',
  'gped',
  'pled',
  'eybl',
  'artf',
  'intr',
  'slow',
  'eyem',
  'chew',
  'shiv',
  'musc',
  'elpp',
  'elst',
  'calb',
  'hphs',
  'trip',
  'elec',
]);

export interface AnnotationEvent {
  /** `TERM` for term-based files, a TCP channel name for channel-based ones. */
  channel: string;
  startSec: number;
  stopSec: number;
  /** The label as written (e.g. `cpsz`). */
  label: string;
}

export interface AnnotationFile {
  file: string;
  kind: 'csv' | 'tse' | 'lbl';
  /** From the `# duration = N secs` comment of csv files; null when absent. */
  durationSec: number | null;
  events: AnnotationEvent[];
}

export interface LabelStretch {
  startSec: number;
  stopSec: number;
  label: SegmentLabel;
}

export const ANNOTATION_EXTENSIONS = ['.csv_bi', '.csv', '.tse_bi', '.tse', '.lbl_bi', '.lbl'] as const;

/** Maps any TUSZ label to seiz/bckg; unknown labels are an input error. */
export function toSegmentLabel(label: string, where: string, file: string): SegmentLabel {
  const l = label.toLowerCase();
  if (SEIZURE_LABELS.has(l)) return 'seiz';
  if (BACKGROUND_LABELS.has(l) || /^[a-z]{4}(\+[a-z]{4})+$/.test(l)) return 'bckg'; // combined artifacts, e.g. eyem+chew
  throw new InputError(
    `${where}: unknown label "${label}" (seizure labels: ${[...SEIZURE_LABELS].join(', ')}; background: bckg and the NEDC artifact labels)`,
    { file },
  );
}

function seconds(text: string, what: string, file: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new InputError(`${what}: "${text}" is not a number of seconds`, { file });
  return value;
}

function checkEvent(event: AnnotationEvent, where: string, file: string): AnnotationEvent {
  if (event.startSec < 0 || event.stopSec <= event.startSec) {
    throw new InputError(`${where}: event ${event.startSec}–${event.stopSec} s is empty or negative`, {
      file,
    });
  }
  return event;
}

export function parseCsvAnnotations(text: string, file: string): AnnotationFile {
  let durationSec: number | null = null;
  const events: AnnotationEvent[] = [];
  let sawHeader = false;
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    const where = `line ${i + 1}`;
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s*duration\s*=\s*([0-9.]+)\s*secs?\s*$/.exec(line);
      if (m) durationSec = seconds(m[1], where, file);
      continue;
    }
    if (!sawHeader) {
      if (line.replace(/\s/g, '') !== 'channel,start_time,stop_time,label,confidence') {
        throw new InputError(
          `${where}: expected the column header "channel,start_time,stop_time,label,confidence", got "${line}"`,
          { file },
        );
      }
      sawHeader = true;
      continue;
    }
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length !== 5)
      throw new InputError(`${where}: expected 5 comma-separated fields, got ${cells.length}`, { file });
    events.push(
      checkEvent(
        {
          channel: cells[0],
          startSec: seconds(cells[1], where, file),
          stopSec: seconds(cells[2], where, file),
          label: cells[3],
        },
        where,
        file,
      ),
    );
  }
  if (!sawHeader)
    throw new InputError('no "channel,start_time,stop_time,label,confidence" header line', { file });
  return { file, kind: 'csv', durationSec, events };
}

export function parseTseAnnotations(text: string, file: string): AnnotationFile {
  const events: AnnotationEvent[] = [];
  let sawVersion = false;
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    const where = `line ${i + 1}`;
    if (line === '') continue;
    const header = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (header) {
      if (header[1] !== 'version' || !header[2].startsWith('tse_')) {
        throw new InputError(
          `${where}: unexpected header "${line}" (a TUSZ .tse file has only "version = tse_v1.0.0")`,
          { file },
        );
      }
      sawVersion = true;
      continue;
    }
    const cells = line.split(/\s+/);
    if (cells.length !== 4)
      throw new InputError(`${where}: expected "start stop label confidence", got "${line}"`, { file });
    events.push(
      checkEvent(
        {
          channel: 'TERM',
          startSec: seconds(cells[0], `${where} start`, file),
          stopSec: seconds(cells[1], `${where} stop`, file),
          label: cells[2],
        },
        where,
        file,
      ),
    );
  }
  if (!sawVersion) throw new InputError('missing "version = tse_v1.0.0" line', { file });
  return { file, kind: 'tse', durationSec: null, events };
}

export function parseLblAnnotations(text: string, file: string): AnnotationFile {
  const montage = new Map<number, string>();
  const symbols = new Map<number, string>();
  const events: AnnotationEvent[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    const where = `line ${i + 1}`;
    let m: RegExpExecArray | null;
    if ((m = /^montage\s*=\s*(\d+)\s*,\s*([^:]+?)\s*:/.exec(line))) montage.set(Number(m[1]), m[2]);
    else if (/^symbols\[0\]\s*=/.test(line)) {
      for (const s of line.matchAll(/(\d+)\s*:\s*'([^']*)'/g)) symbols.set(Number(s[1]), s[2]);
    } else if (
      (m =
        /^label\s*=\s*\{\s*(\d+)\s*,\s*(\d+)\s*,\s*([^,]+),\s*([^,]+),\s*(\d+)\s*,\s*\[([^\]]*)\]\s*\}$/.exec(
          line,
        ))
    ) {
      if (m[1] !== '0') continue; // only level 0 carries the event labels in TUSZ files
      const probs = m[6].split(',').map((p) => Number(p));
      let best = -1;
      for (let k = 0; k < probs.length; k++) if (best < 0 || probs[k] > probs[best]) best = k;
      const symbol = symbols.get(best);
      if (symbol === undefined)
        throw new InputError(
          `${where}: label probabilities point at symbol ${best}, which the symbols[0] table does not define`,
          { file },
        );
      const channel = montage.get(Number(m[5]));
      if (channel === undefined)
        throw new InputError(`${where}: channel index ${m[5]} is not in the file's montage block`, { file });
      events.push(
        checkEvent(
          {
            channel,
            startSec: seconds(m[3], where, file),
            stopSec: seconds(m[4], where, file),
            label: symbol,
          },
          where,
          file,
        ),
      );
    } else if (/^label\s*=/.test(line)) {
      throw new InputError(`${where}: cannot parse "${line.slice(0, 60)}"`, { file });
    }
  }
  return { file, kind: 'lbl', durationSec: null, events };
}

/** Reads any supported annotation file, chosen by extension. */
export function readAnnotations(path: string): AnnotationFile {
  const text = readInputText(path, 'annotation file');
  const ext = extname(path);
  if (ext === '.csv' || ext === '.csv_bi') return parseCsvAnnotations(text, path);
  if (ext === '.tse' || ext === '.tse_bi') return parseTseAnnotations(text, path);
  if (ext === '.lbl' || ext === '.lbl_bi') return parseLblAnnotations(text, path);
  throw new InputError(
    `unsupported annotation extension "${ext}" (expected ${ANNOTATION_EXTENSIONS.join(', ')})`,
    { file: path },
  );
}

/**
 * The two-class timeline of a recording: seizure wherever any event (any channel) is a seizure
 * type, background elsewhere, including time no annotation covers (v2 files need not tile the
 * recording: NEDC's reference files hold only seiz rows, some TUSZ files a 1-s bckg stub). Adjacent
 * stretches always differ in label. Events ending past `durationSec + toleranceSec` are an error;
 * within the tolerance they are clipped (TUH stop times are rounded to 4 decimals).
 */
export function labelTimeline(
  annotations: AnnotationFile,
  durationSec: number,
  toleranceSec = 1,
): LabelStretch[] {
  const { file } = annotations;
  if (annotations.durationSec !== null && Math.abs(annotations.durationSec - durationSec) > toleranceSec) {
    throw new InputError(
      `annotation says the recording lasts ${annotations.durationSec} s but the EDF has ${durationSec} s`,
      { file },
    );
  }
  const seizures: [number, number][] = [];
  for (const e of annotations.events) {
    if (e.stopSec > durationSec + toleranceSec) {
      throw new InputError(
        `event "${e.label}" ${e.startSec}–${e.stopSec} s ends past the end of the recording (${durationSec} s)`,
        { file },
      );
    }
    if (toSegmentLabel(e.label, `event at ${e.startSec} s`, file) === 'seiz') {
      seizures.push([Math.min(e.startSec, durationSec), Math.min(e.stopSec, durationSec)]);
    }
  }
  seizures.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [s, e] of seizures) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else if (e > s) merged.push([s, e]);
  }
  const out: LabelStretch[] = [];
  let t = 0;
  for (const [s, e] of merged) {
    if (s > t) out.push({ startSec: t, stopSec: s, label: 'bckg' });
    out.push({ startSec: s, stopSec: e, label: 'seiz' });
    t = e;
  }
  if (durationSec > t) out.push({ startSec: t, stopSec: durationSec, label: 'bckg' });
  return out;
}
