// Field readers for tolerant parsers of JSON outputs (metrics.json, trials.json, best.json, …): a
// field of the wrong type reads as absent, so each parser decides what is essential.

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** A JSON object (not null, not an array). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A finite number, else undefined. */
export function finiteField(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A string, else undefined. */
export function stringField(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
