import type { Params } from './space.ts';

/** A canonical text key of a configuration (sorted names), for equality and de-duplication. */
export function paramsKey(params: Params): string {
  return JSON.stringify(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  );
}

export function sameParams(a: Params, b: Params): boolean {
  return paramsKey(a) === paramsKey(b);
}
