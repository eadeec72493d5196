// Reading train's JSON outputs back (the one reader of metrics.json and bayes.json; the report uses
// it): tolerant parsers into typed records. A missing optional field is left out, a missing
// essential one is an InputError naming the file, so one bad file never stops a reader that goes on.
import {
  InputError,
  finiteField as num,
  isJsonObject as isObject,
  readInputText,
  SPLITS,
  stringField as str,
} from '@corpus-tune/core';
import type { JsonObject as Json, SplitName as Split } from '@corpus-tune/core';

/** A rate (fraction) with its 95 % Wilson interval and the number of samples it was counted on. */
export interface ErrorRateRecord {
  rate: number;
  lower95?: number;
  upper95?: number;
  n?: number;
}

export interface LayoutLayer {
  layer: string;
  units?: number | string;
  activation?: string;
  dropout?: number;
  /** L2 penalty factor on the layer's kernel (absent: none). */
  l2?: number;
  params?: number;
  [key: string]: unknown;
}

export interface LearningCurvePoint {
  epoch: number;
  loss?: number;
  innerValLoss?: number;
  innerValError?: number;
}

/** metrics.json as read back (docs/conventions.md); fields the file lacks are left out. */
export interface SystemMetrics {
  corpus: string;
  system: string;
  label: string;
  kind?: string;
  origin?: string;
  /** What a baseline is, in words (nearest centroid: on which features). */
  description?: string;
  protocol?: string | null;
  classNames?: string[];
  errors: Partial<Record<Split, ErrorRateRecord>>;
  confusion?: Partial<Record<Split, number[][]>>;
  layout?: LayoutLayer[];
  parameterCount?: number;
  hyperparameters?: Record<string, unknown>;
  learningCurve?: LearningCurvePoint[];
  backend?: string;
  /** The training engine's name ('tfjs', 'dense'), when metrics.json records one. */
  engine?: string;
  /** How many LSTM layers ran fused on the tfjs engine, when any did. */
  fusedLstmLayers?: number;
  seed?: number;
  codeVersion?: string;
  timings?: { trainSec?: number; samplesPerSec?: number; [key: string]: unknown };
  data?: {
    train?: number;
    dev?: number;
    eval?: number;
    inputs?: Record<string, string>;
    [key: string]: unknown;
  };
  /** Set by a run that ended without results (not in the contract's example, but honoured). */
  status?: string;
  reason?: string;
}

/** One Bayes estimate per split (fractions); a plain number or an interval. */
export type BayesEstimate = Partial<Record<Split, ErrorRateRecord>>;

export interface BayesReport {
  /** Monte Carlo estimate under imld-gen's generating densities (not exact). */
  generator: BayesEstimate | null;
  closedLoop: BayesEstimate | null;
  coverHartLower: BayesEstimate | null;
}

/** A rate given as a number or as `{rate, lower95, upper95, n}`; undefined when neither. */
export function parseErrorRate(v: unknown): ErrorRateRecord | undefined {
  if (num(v) !== undefined) return { rate: v as number };
  if (!isObject(v) || num(v.rate) === undefined) return undefined;
  const out: ErrorRateRecord = { rate: v.rate as number };
  if (num(v.lower95) !== undefined) out.lower95 = v.lower95 as number;
  if (num(v.upper95) !== undefined) out.upper95 = v.upper95 as number;
  if (num(v.n) !== undefined) out.n = v.n as number;
  return out;
}

function perSplit<T>(v: unknown, parse: (x: unknown) => T | undefined): Partial<Record<Split, T>> {
  const out: Partial<Record<Split, T>> = {};
  if (!isObject(v)) return out;
  for (const split of SPLITS) {
    const parsed = parse(v[split]);
    if (parsed !== undefined) out[split] = parsed;
  }
  return out;
}

const isMatrix = (v: unknown): v is number[][] =>
  Array.isArray(v) && v.every((row) => Array.isArray(row) && row.every((c) => num(c) !== undefined));

export function parseMetrics(raw: unknown, file: string): SystemMetrics {
  if (!isObject(raw)) throw new InputError('metrics.json is not a JSON object', { file });
  const system = str(raw.system);
  const corpus = str(raw.corpus);
  if (!system || !corpus) throw new InputError('metrics.json lacks "corpus" or "system"', { file });
  const errors = perSplit(raw.errors, parseErrorRate);
  const status = str(raw.status);
  const reason = str(raw.reason);
  if (Object.keys(errors).length === 0 && !reason) {
    throw new InputError('metrics.json has no "errors" for train, dev or eval (and no "reason")', { file });
  }
  const m: SystemMetrics = { corpus, system, label: str(raw.label) ?? system.toUpperCase(), errors };
  if (str(raw.kind)) m.kind = str(raw.kind);
  if (str(raw.origin)) m.origin = str(raw.origin);
  if (str(raw.description)) m.description = str(raw.description);
  if (raw.protocol === null || str(raw.protocol)) m.protocol = (raw.protocol as string | null) ?? null;
  if (Array.isArray(raw.classNames)) m.classNames = raw.classNames.map(String);
  const confusion = perSplit(raw.confusion, (v) => (isMatrix(v) ? v : undefined));
  if (Object.keys(confusion).length > 0) m.confusion = confusion;
  if (Array.isArray(raw.layout)) {
    m.layout = raw.layout.filter(isObject).map((l) => ({ ...l, layer: str(l.layer) ?? '?' }) as LayoutLayer);
  }
  if (num(raw.parameterCount) !== undefined) m.parameterCount = raw.parameterCount as number;
  if (isObject(raw.hyperparameters)) m.hyperparameters = raw.hyperparameters;
  if (Array.isArray(raw.learningCurve)) {
    m.learningCurve = raw.learningCurve
      .filter((p): p is Json => isObject(p) && num(p.epoch) !== undefined)
      .map((p) => ({
        epoch: p.epoch as number,
        ...(num(p.loss) !== undefined ? { loss: p.loss as number } : {}),
        ...(num(p.innerValLoss) !== undefined ? { innerValLoss: p.innerValLoss as number } : {}),
        ...(num(p.innerValError) !== undefined ? { innerValError: p.innerValError as number } : {}),
      }));
  }
  if (str(raw.backend)) m.backend = str(raw.backend);
  if (isObject(raw.engine) && str(raw.engine.name)) m.engine = str(raw.engine.name);
  if (isObject(raw.engine) && num(raw.engine.fusedLstmLayers) !== undefined)
    m.fusedLstmLayers = raw.engine.fusedLstmLayers as number;
  if (num(raw.seed) !== undefined) m.seed = raw.seed as number;
  if (str(raw.codeVersion)) m.codeVersion = str(raw.codeVersion);
  if (isObject(raw.timings)) m.timings = raw.timings;
  if (isObject(raw.data)) m.data = raw.data;
  if (status) m.status = status;
  if (reason) m.reason = reason;
  return m;
}

export function parseBayes(raw: unknown, file: string): BayesReport {
  if (!isObject(raw)) throw new InputError('bayes.json is not a JSON object', { file });
  const one = (v: unknown): BayesEstimate | null => {
    const e = perSplit(v, parseErrorRate);
    return Object.keys(e).length > 0 ? e : null;
  };
  return {
    generator: one(raw.generator),
    closedLoop: one(raw.closedLoop),
    coverHartLower: one(raw.coverHartLower),
  };
}

function readJsonFile(path: string, what: string): unknown {
  const text = readInputText(path, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`${what} is not valid JSON: ${(error as Error).message}`, {
      file: path,
      cause: error,
    });
  }
}

/** Reads `train/<corpus>/<system>/metrics.json`. */
export function readMetrics(path: string): SystemMetrics {
  return parseMetrics(readJsonFile(path, 'metrics.json'), path);
}

/** Reads `train/<corpus>/bayes.json`. */
export function readBayes(path: string): BayesReport {
  return parseBayes(readJsonFile(path, 'bayes.json'), path);
}
