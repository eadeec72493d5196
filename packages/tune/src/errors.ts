/** Thrown from `report()` when the pruner stops a trial; the study records it as PRUNED. */
export class TrialPruned extends Error {
  readonly epoch: number;
  constructor(epoch: number) {
    super(`pruned at epoch ${epoch}`);
    this.name = 'TrialPruned';
    this.epoch = epoch;
  }
}

export type FailureKind = 'exception' | 'nan' | 'oom' | 'shape';

/** A failure an objective can throw on purpose (e.g. an impossible layer shape). */
export class TrialFailure extends Error {
  readonly kind: FailureKind;
  constructor(kind: FailureKind, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'TrialFailure';
    this.kind = kind;
  }
}

/** Thrown by the study when too many trials failed in a row. */
export class TooManyFailures extends Error {
  constructor(count: number, lastReason: string) {
    super(
      `${count} consecutive trials failed (last: ${lastReason}); ` +
        'fix the space or raise --max-consecutive-failures',
    );
    this.name = 'TooManyFailures';
  }
}

/** Messages of out-of-memory errors from V8, tfjs and WASM. */
const OUT_OF_MEMORY: readonly RegExp[] = [
  /out[ _]of[ _]memory|\boom\b|allocation failed/,
  /array buffer allocation|invalid array length|memory access out of bounds/,
];

/** The reason string recorded for a failed trial: "<kind>: <message>". */
export function failureReason(error: unknown): string {
  if (error instanceof TrialFailure) return `${error.kind}: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  const lower = message.toLowerCase();
  if (OUT_OF_MEMORY.some((pattern) => pattern.test(lower))) return `oom: ${message}`;
  if (/shape|dimension|negative size|rank/.test(lower)) return `shape: ${message}`;
  if (/\bnan\b/.test(lower)) return `nan: ${message}`;
  return `exception: ${message}`;
}
