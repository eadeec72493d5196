import { InputError, readInputText } from '@corpus-tune/core';

/** A hyperparameter value as the objective sees it. */
export type ParamValue = number | string | boolean;
export type Params = Readonly<Record<string, ParamValue>>;

/**
 * A conjunction of tests on earlier parameters; the parameter is active only when all hold.
 * Example: `{"param": "layers", "gt": 2}` makes "units_2" exist only for 3+ layers.
 */
export interface Condition {
  param: string;
  eq?: ParamValue;
  ne?: ParamValue;
  in?: ParamValue[];
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

interface HyperparameterBase {
  name: string;
  /** Active only when every condition holds (conditions name earlier parameters). */
  when?: Condition[];
  description?: string;
}
export interface IntParam extends HyperparameterBase {
  type: 'int';
  low: number;
  high: number;
  step: number;
  log: boolean;
}
export interface FloatParam extends HyperparameterBase {
  type: 'float';
  low: number;
  high: number;
  /** Grid step (linear spaces only); null for a continuous range. */
  step: number | null;
  log: boolean;
}
export interface ChoiceParam extends HyperparameterBase {
  type: 'choice';
  choices: ParamValue[];
}
export interface BooleanParam extends HyperparameterBase {
  type: 'boolean';
}
export interface FixedParam extends HyperparameterBase {
  type: 'fixed';
  value: ParamValue;
}
export type Hyperparameter = IntParam | FloatParam | ChoiceParam | BooleanParam | FixedParam;

/** Model kinds a space may tune (`lstm` spaces may add a Conv1D front end, giving CNN+LSTM models). */
export const SPACE_MODELS = ['mlp', 'cnn', 'lstm'] as const;
export type SpaceModel = (typeof SPACE_MODELS)[number];

/** A search space: typed hyperparameters in declaration order, plus the manual configuration. */
export interface SearchSpace {
  name: string;
  description: string;
  /**
   * The model kind the space tunes (`"model"` in the file; absent: `mlp`): picks the objective's
   * configFromParams.
   */
  model?: SpaceModel;
  parameters: readonly Hyperparameter[];
  /** The hand-tuned configuration, enqueued as trial 0 when present. */
  manual: Params | null;
  /** Where it came from (for error messages). */
  source: string;
}

/** Optuna-compatible distributions: what samplers and the journal work with. */
export type Distribution =
  | { kind: 'float'; low: number; high: number; log: boolean; step: number | null }
  | { kind: 'int'; low: number; high: number; log: boolean; step: number }
  | { kind: 'categorical'; choices: readonly ParamValue[] };

export function distributionOf(p: Hyperparameter): Distribution {
  switch (p.type) {
    case 'int':
      return { kind: 'int', low: p.low, high: p.high, log: p.log, step: p.step };
    case 'float':
      return { kind: 'float', low: p.low, high: p.high, log: p.log, step: p.step };
    case 'choice':
      return { kind: 'categorical', choices: p.choices };
    case 'boolean':
      return { kind: 'categorical', choices: [false, true] };
    case 'fixed':
      return { kind: 'categorical', choices: [p.value] };
  }
}

function conditionHolds(c: Condition, params: Record<string, ParamValue>): boolean {
  if (!(c.param in params)) return false;
  const v = params[c.param];
  if (c.eq !== undefined && v !== c.eq) return false;
  if (c.ne !== undefined && v === c.ne) return false;
  if (c.in !== undefined && !c.in.includes(v)) return false;
  if (typeof v === 'number') {
    if (c.gt !== undefined && !(v > c.gt)) return false;
    if (c.gte !== undefined && !(v >= c.gte)) return false;
    if (c.lt !== undefined && !(v < c.lt)) return false;
    if (c.lte !== undefined && !(v <= c.lte)) return false;
  } else if (c.gt !== undefined || c.gte !== undefined || c.lt !== undefined || c.lte !== undefined) {
    return false;
  }
  return true;
}

/** Whether `p` is active given the values chosen so far for earlier parameters. */
export function isActive(p: Hyperparameter, chosen: Record<string, ParamValue>): boolean {
  return (p.when ?? []).every((c) => conditionHolds(c, chosen));
}

/**
 * Builds a complete configuration by walking the parameters in order and asking `pick` for each
 * active one; inactive parameters are left out (as in Optuna's define-by-run).
 */
export function assemble(
  space: SearchSpace,
  pick: (p: Hyperparameter, chosen: Record<string, ParamValue>) => ParamValue,
): Params {
  const chosen: Record<string, ParamValue> = {};
  for (const p of space.parameters) {
    if (!isActive(p, chosen)) continue;
    chosen[p.name] = p.type === 'fixed' ? p.value : pick(p, chosen);
  }
  return chosen;
}

/** Snaps a raw number onto the distribution's grid and bounds. */
export function snap(d: Extract<Distribution, { kind: 'int' | 'float' }>, x: number): number {
  let v = Math.min(d.high, Math.max(d.low, x));
  if (d.kind === 'int') {
    if (d.log) return Math.min(d.high, Math.max(d.low, Math.round(v)));
    v = Math.round((v - d.low) / d.step) * d.step + d.low;
    return Math.min(d.high, Math.max(d.low, v));
  }
  if (d.step !== null && !d.log) {
    v = Math.round((v - d.low) / d.step) * d.step + d.low;
    // Clean binary noise (0.1 + 0.2) so configs print and compare as written.
    v = Number(v.toPrecision(12));
    return Math.min(d.high, Math.max(d.low, v));
  }
  return v;
}

/** Whether `value` is a legal value of `p` (used to validate manual/enqueued configs). */
export function isLegalValue(p: Hyperparameter, value: ParamValue): boolean {
  const d = distributionOf(p);
  if (d.kind === 'categorical') return d.choices.includes(value);
  if (typeof value !== 'number' || value < d.low || value > d.high) return false;
  if (d.kind === 'int' && !Number.isInteger(value)) return false;
  return Math.abs(snap(d, value) - value) <= 1e-9 * Math.max(1, Math.abs(value));
}

/** Checks a full configuration against the space: every active parameter present and legal, nothing extra. */
export function checkParams(space: SearchSpace, params: Params, what: string): void {
  const chosen: Record<string, ParamValue> = {};
  for (const p of space.parameters) {
    if (!isActive(p, chosen)) {
      if (p.name in params)
        throw new InputError(`${what}: "${p.name}" is set but inactive (its condition does not hold)`, {
          file: space.source,
        });
      continue;
    }
    const v = p.type === 'fixed' && !(p.name in params) ? p.value : params[p.name];
    if (v === undefined) throw new InputError(`${what}: missing "${p.name}"`, { file: space.source });
    if (!isLegalValue(p, v))
      throw new InputError(`${what}: "${p.name}" = ${JSON.stringify(v)} is outside its range`, {
        file: space.source,
      });
    chosen[p.name] = v;
  }
  const names = new Set(space.parameters.map((p) => p.name));
  for (const k of Object.keys(params)) {
    if (!names.has(k))
      throw new InputError(`${what}: unknown parameter "${k}" (known: ${[...names].join(', ')})`, {
        file: space.source,
      });
  }
}

/** Completes a partial configuration with the fixed parameters (manual configs may omit them). */
export function withFixed(space: SearchSpace, params: Params): Params {
  return assemble(space, (p) => {
    const v = params[p.name];
    if (v === undefined) throw new InputError(`configuration misses "${p.name}"`, { file: space.source });
    return v;
  });
}

// ---- parsing -------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function fail(file: string, message: string): never {
  throw new InputError(message, { file });
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(file: string, where: string, v: Json | undefined): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    fail(file, `${where} must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

function isParamValue(v: Json | undefined): v is ParamValue {
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

function parseCondition(file: string, where: string, raw: Json, earlier: Set<string>): Condition {
  if (!isObject(raw) || typeof raw.param !== 'string')
    fail(file, `${where}: a condition needs {"param": "<earlier parameter>", …}`);
  if (!earlier.has(raw.param))
    fail(file, `${where}: condition refers to "${raw.param}", which is not declared earlier`);
  const c: Condition = { param: raw.param };
  for (const key of Object.keys(raw)) {
    const v = raw[key];
    if (key === 'param') continue;
    if (key === 'gt' || key === 'gte' || key === 'lt' || key === 'lte')
      c[key] = num(file, `${where}.${key}`, v);
    else if (key === 'eq' || key === 'ne') {
      if (!isParamValue(v)) fail(file, `${where}.${key} must be a number, string or boolean`);
      c[key] = v;
    } else if (key === 'in') {
      if (!Array.isArray(v) || !v.every(isParamValue)) fail(file, `${where}.in must be a list of values`);
      c.in = v as ParamValue[];
    } else fail(file, `${where}: unknown condition key "${key}" (use eq, ne, in, gt, gte, lt, lte)`);
  }
  return c;
}

function parseParameter(file: string, raw: Json, index: number, earlier: Set<string>): Hyperparameter {
  const where = `parameters[${index}]`;
  if (!isObject(raw)) fail(file, `${where} must be an object`);
  const name = raw.name;
  if (typeof name !== 'string' || name === '') fail(file, `${where}.name must be a non-empty string`);
  if (earlier.has(name)) fail(file, `${where}: duplicate parameter "${name}"`);
  const at = `parameter "${name}"`;
  const whenRaw = raw.when;
  const when =
    whenRaw === undefined
      ? undefined
      : (Array.isArray(whenRaw) ? whenRaw : [whenRaw]).map((c) => parseCondition(file, at, c, earlier));
  const base = {
    name,
    ...(when ? { when } : {}),
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
  };
  switch (raw.type) {
    case 'int': {
      const low = num(file, `${at}.low`, raw.low);
      const high = num(file, `${at}.high`, raw.high);
      const step = raw.step === undefined ? 1 : num(file, `${at}.step`, raw.step);
      const log = raw.log === true;
      if (!Number.isInteger(low) || !Number.isInteger(high) || !Number.isInteger(step) || step < 1)
        fail(file, `${at}: int needs integer low, high and step ≥ 1`);
      if (!(low <= high)) fail(file, `${at}: low ${low} must be ≤ high ${high}`);
      if (log && (low < 1 || step !== 1)) fail(file, `${at}: a log int needs low ≥ 1 and step 1`);
      if ((high - low) % step !== 0)
        fail(file, `${at}: high - low (${high - low}) must be a multiple of step ${step}`);
      return { ...base, type: 'int', low, high, step, log };
    }
    case 'float': {
      const low = num(file, `${at}.low`, raw.low);
      const high = num(file, `${at}.high`, raw.high);
      const log = raw.log === true;
      const step = raw.step === undefined || raw.step === null ? null : num(file, `${at}.step`, raw.step);
      if (!(low < high)) fail(file, `${at}: low ${low} must be < high ${high}`);
      if (log && low <= 0) fail(file, `${at}: a log float needs low > 0`);
      if (log && step !== null) fail(file, `${at}: a log float cannot have a step`);
      if (step !== null && step <= 0) fail(file, `${at}: step must be > 0`);
      return { ...base, type: 'float', low, high, step, log };
    }
    case 'choice': {
      const choices = raw.choices;
      if (!Array.isArray(choices) || choices.length === 0 || !choices.every(isParamValue))
        fail(file, `${at}: choice needs a non-empty "choices" list of numbers, strings or booleans`);
      if (new Set(choices).size !== choices.length) fail(file, `${at}: duplicate choices`);
      return { ...base, type: 'choice', choices: choices as ParamValue[] };
    }
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'fixed': {
      if (!isParamValue(raw.value)) fail(file, `${at}: fixed needs a "value"`);
      return { ...base, type: 'fixed', value: raw.value };
    }
    default:
      fail(file, `${at}: unknown type ${JSON.stringify(raw.type)} (use int, float, choice, boolean, fixed)`);
  }
}

/** Parses a space from its JSON text; `file` names the source in errors. */
export function parseSpace(text: string, file: string): SearchSpace {
  let raw: Json;
  try {
    raw = JSON.parse(text) as Json;
  } catch (error) {
    throw new InputError(`not valid JSON: ${(error as Error).message}`, { file, cause: error });
  }
  if (!isObject(raw)) fail(file, 'a space file must hold a JSON object');
  if (typeof raw.name !== 'string') fail(file, '"name" must be a string');
  if (!Array.isArray(raw.parameters) || raw.parameters.length === 0)
    fail(file, '"parameters" must be a non-empty list');
  const model = raw.model ?? 'mlp';
  if (typeof model !== 'string' || !(SPACE_MODELS as readonly string[]).includes(model))
    fail(file, `"model" must be one of ${SPACE_MODELS.join(', ')}, got ${JSON.stringify(model)}`);
  const earlier = new Set<string>();
  const parameters: Hyperparameter[] = [];
  raw.parameters.forEach((p, i) => {
    const parsed = parseParameter(file, p, i, earlier);
    earlier.add(parsed.name);
    parameters.push(parsed);
  });
  const space: SearchSpace = {
    name: raw.name,
    description: typeof raw.description === 'string' ? raw.description : '',
    model: model as SpaceModel,
    parameters,
    manual: null,
    source: file,
  };
  if (raw.manual !== undefined && raw.manual !== null) {
    if (!isObject(raw.manual) || !Object.values(raw.manual).every(isParamValue))
      fail(file, '"manual" must be an object of parameter values');
    const manual = withFixed(space, raw.manual as Record<string, ParamValue>);
    checkParams(space, manual, 'manual configuration');
    return { ...space, manual };
  }
  return space;
}

export function readSpaceFile(path: string): SearchSpace {
  const text = readInputText(path, 'space file');
  return parseSpace(text, path);
}
