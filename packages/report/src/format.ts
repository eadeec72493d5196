// Number and text formatting shared by the HTML and Markdown renderers.
import type { ErrorRate, LayoutLayer } from './contracts.ts';

/** A fraction as a percent with two decimals, as the poster prints it ("8.74"). */
export const percent = (rate: number): string => (rate * 100).toFixed(2);

/** "[8.50, 8.92]" for a rate with an interval, "" without one. */
export function interval(e: ErrorRate): string {
  return e.lower95 !== undefined && e.upper95 !== undefined
    ? `[${percent(e.lower95)}, ${percent(e.upper95)}]`
    : '';
}

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const integer = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : n.toLocaleString('en-US');

export const seconds = (s: number | null | undefined): string =>
  s === null || s === undefined ? '—' : s < 100 ? s.toFixed(1) : s.toFixed(0);

export function compactJson(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'number' && !Number.isInteger(x) ? Number(x.toPrecision(4)) : x,
  ).replace(/"([^"]+)":/g, '$1: ');
}

/** Layer fields not worth a reader's attention (tfjs' output shape repeats the units). */
const HIDDEN_LAYER_FIELDS = ['outputShape'];

/** The layout fields shown as columns; any other field of a layer goes into "other". */
export const LAYER_COLUMNS = ['layer', 'units', 'activation', 'dropout', 'l2', 'params'] as const;

export function layerOther(l: LayoutLayer): string {
  const rest = Object.entries(l).filter(
    ([k]) => !(LAYER_COLUMNS as readonly string[]).includes(k) && !HIDDEN_LAYER_FIELDS.includes(k),
  );
  return rest.map(([k, v]) => `${k} ${compactJson(v)}`).join(', ');
}

export const cellText = (v: unknown): string =>
  v === undefined || v === null ? '—' : typeof v === 'number' ? String(v) : compactJson(v);
