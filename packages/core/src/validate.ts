import { InputError } from './errors.ts';

// One-line validators that name the argument, the bad value and what is allowed (as MNE's
// `_validate_type` / `_check_option`), so every stage reports bad options the same way.

export function checkFiniteNumber(
  name: string,
  value: unknown,
  range: { min?: number; max?: number } = {},
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InputError(`${name} must be a finite number, got ${JSON.stringify(value)}`);
  }
  if (range.min !== undefined && value < range.min)
    throw new InputError(`${name} ${value} must be ≥ ${range.min}`);
  if (range.max !== undefined && value > range.max)
    throw new InputError(`${name} ${value} must be ≤ ${range.max}`);
  return value;
}

export function checkPositive(name: string, value: unknown): number {
  const n = checkFiniteNumber(name, value);
  if (n <= 0) throw new InputError(`${name} ${n} must be > 0`);
  return n;
}

export function checkInteger(
  name: string,
  value: unknown,
  range: { min?: number; max?: number } = {},
): number {
  const n = checkFiniteNumber(name, value, range);
  if (!Number.isInteger(n)) throw new InputError(`${name} must be an integer, got ${n}`);
  return n;
}

export function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InputError(`${name} ${JSON.stringify(value)} is not one of: ${allowed.join(', ')}`);
  }
  return value as T;
}

/** Parses a numeric CLI flag; `undefined` stays undefined so defaults apply. */
export function parseNumberFlag(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n))
    throw new InputError(`--${name} must be a number, got "${raw}"`);
  return n;
}
