import { InputError, writeFileAtomic, readInputText } from '@corpus-tune/core';
import type { Points } from './generate.ts';

/** A labelled 2-D point set with its class names (label codes index `classNames`). */
export interface LabelledPoints extends Points {
  classNames: string[];
}

/**
 * Parses IMLD's CSV: `#` comment lines, then `label, x, y` rows. Class names are the distinct
 * labels, ordered numerically when all are integers (IMLD's 0, 1, …), else by first appearance.
 */
export function parseImldCsv(text: string, file: string): LabelledPoints {
  const labels: string[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const parts = line.split(',').map((p) => p.trim());
    if (parts.length !== 3) {
      throw new InputError(
        `line ${i + 1}: expected "label, x, y" (3 fields), got ${parts.length}: "${line}"`,
        { file },
      );
    }
    const x = Number(parts[1]);
    const y = Number(parts[2]);
    if (parts[0] === '' || parts[1] === '' || parts[2] === '' || !Number.isFinite(x) || !Number.isFinite(y)) {
      throw new InputError(`line ${i + 1}: label must be non-empty and x, y finite numbers: "${line}"`, {
        file,
      });
    }
    labels.push(parts[0]);
    xs.push(x);
    ys.push(y);
  }
  if (labels.length === 0) throw new InputError('no data rows', { file });
  const distinct = [...new Set(labels)];
  if (distinct.length > 127)
    throw new InputError(`${distinct.length} distinct labels; at most 127 classes`, { file });
  const classNames = distinct.every((l) => /^-?\d+$/.test(l))
    ? distinct.sort((a, b) => Number(a) - Number(b))
    : distinct;
  const code = new Map(classNames.map((n, i) => [n, i]));
  return {
    x: Float32Array.from(xs),
    y: Float32Array.from(ys),
    label: Int8Array.from(labels, (l) => code.get(l)!),
    classNames,
  };
}

export function readImldCsv(path: string): LabelledPoints {
  const text = readInputText(path, 'CSV');
  return parseImldCsv(text, path);
}

/**
 * Formats IMLD CSV. Values are float32; printing the shortest decimal of the widened double
 * makes export → import reproduce every float32 bit for bit.
 */
export function formatImldCsv(points: LabelledPoints, comments: readonly string[] = []): string {
  const out: string[] = comments.map((c) => `# ${c}`);
  for (let i = 0; i < points.label.length; i++) {
    out.push(`${points.classNames[points.label[i]]},${formatFloat(points.x[i])},${formatFloat(points.y[i])}`);
  }
  return `${out.join('\n')}\n`;
}

/** String(-0) is "0": keep the sign so an IMLD file's "-0.000000" survives a round trip. */
function formatFloat(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

export function writeImldCsv(path: string, points: LabelledPoints, comments: readonly string[] = []): void {
  writeFileAtomic(path, formatImldCsv(points, comments));
}
