/** Progress of a long loop: items done, rate and ETA, throttled, on stderr by default. */
export interface Progress {
  tick(items?: number, extra?: string): void;
  done(extra?: string): void;
}

/** What a stage says about one long loop when it starts it. */
export interface ProgressTask {
  label: string;
  total?: number;
  unit?: string;
  /** Minimum time between two printed lines. */
  intervalMs?: number;
}

/**
 * The `progress` option of every stage: called once per long loop, returns that loop's Progress.
 * Libraries default to `silentProgress`; CLIs pass `stderrProgress`; tests collect lines with
 * `progressLines`.
 */
export type ProgressReporter = (task: ProgressTask) => Progress;

export interface ProgressOptions extends ProgressTask {
  write?: (line: string) => void;
  now?: () => number;
}

const SILENT: Progress = Object.freeze({ tick() {}, done() {} });

/** Reports nothing (the library default). */
export const silentProgress: ProgressReporter = () => SILENT;

/** Throttled lines on stderr (what the CLIs pass). */
export const stderrProgress: ProgressReporter = (task) => createProgress(task);

/** Throttled lines handed to `write` (tests, or a caller with its own sink). */
export function progressLines(write: (line: string) => void): ProgressReporter {
  return (task) => createProgress({ ...task, write });
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function createProgress(options: ProgressOptions): Progress {
  const { label, total, unit = 'items', intervalMs = 2000 } = options;
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => performance.now());
  const start = now();
  let last = start;
  let done = 0;
  const line = (extra?: string): string => {
    const elapsedSec = (now() - start) / 1000;
    const rate = elapsedSec > 0 ? done / elapsedSec : 0;
    const parts = [
      `${label}: ${done}${total !== undefined ? `/${total}` : ''} ${unit}`,
      `${rate.toFixed(1)} ${unit}/s`,
    ];
    if (total !== undefined && rate > 0) parts.push(`ETA ${formatDuration((total - done) / rate)}`);
    if (extra) parts.push(extra);
    return parts.join(', ');
  };
  return {
    tick(items = 1, extra) {
      done += items;
      const t = now();
      if (t - last >= intervalMs) {
        last = t;
        write(line(extra));
      }
    },
    done(extra) {
      write(`${line(extra)}, ${formatDuration((now() - start) / 1000)} total`);
    },
  };
}
