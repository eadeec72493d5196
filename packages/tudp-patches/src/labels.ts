import { InputError } from '@corpus-tune/core';

/** TUDP region labels (NEDC nedc_mladp header block): non-cancerous, potentially cancerous, cancerous. */
export const TUDP_LABELS = ['bckg', 'norm', 'null', 'artf', 'nneo', 'infl', 'susp', 'dcis', 'indc'] as const;
export type TudpLabel = (typeof TUDP_LABELS)[number];

/** The two classes of the poster's dataset #11, in code order (`label` int8 indexes this). */
export const CLASS_NAMES = ['indc', 'dcis'] as const;
export type ClassName = (typeof CLASS_NAMES)[number];

export function isTudpLabel(name: string): name is TudpLabel {
  return (TUDP_LABELS as readonly string[]).includes(name);
}

export function classCode(label: string): number {
  return (CLASS_NAMES as readonly string[]).indexOf(label);
}

/**
 * Normalises a label as written by an annotator (case, whitespace) and checks it against the TUDP
 * set. Unknown names are an error unless listed in `ignoreLabels` (then `null`: region dropped).
 */
export function resolveLabel(
  raw: string,
  ignoreLabels: readonly string[],
  where: { file: string; regionId: string },
): TudpLabel | null {
  const name = raw.trim().toLowerCase();
  if (isTudpLabel(name)) return name;
  if (ignoreLabels.map((l) => l.trim().toLowerCase()).includes(name)) return null;
  throw new InputError(
    `region ${where.regionId}: unknown label ${JSON.stringify(raw)} (TUDP labels: ${TUDP_LABELS.join(', ')}; pass --ignore-label ${name || '""'} to skip it)`,
    { file: where.file },
  );
}
