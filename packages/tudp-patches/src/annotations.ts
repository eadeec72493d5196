import { extname } from 'node:path';
import { InputError, readInputText } from '@corpus-tune/core';
import { parseImageScopeXml } from './annotations-xml.ts';
import { parseTudpCsv } from './annotations-csv.ts';
import { resolveLabel } from './labels.ts';
import type { LabeledRegion, SlideAnnotations } from './annotation-types.ts';

/** Reads ImageScope XML (`.xml`) or TUDP CSV (`.csv`) by extension. */
export function readAnnotations(path: string): SlideAnnotations {
  const text = readInputText(path, 'annotation file');
  const ext = extname(path).toLowerCase();
  if (ext === '.xml') return parseImageScopeXml(text, path);
  if (ext === '.csv') return parseTudpCsv(text, path);
  throw new InputError('annotation files must be ImageScope .xml or TUDP .csv', { file: path });
}

/**
 * Checks labels (unknown → error unless ignored) and that every vertex lies inside the slide
 * (a region outside the bounds means the annotation belongs to another slide or scale).
 */
export function validateAnnotations(
  annotations: SlideAnnotations,
  slide: { widthPx: number; heightPx: number },
  ignoreLabels: readonly string[],
): LabeledRegion[] {
  const out: LabeledRegion[] = [];
  // Annotation tools round and let outlines touch the edge; one pixel of slack avoids false alarms.
  const slackPx = 1;
  for (const region of annotations.regions) {
    const label = resolveLabel(region.rawLabel, ignoreLabels, {
      file: annotations.file,
      regionId: region.id,
    });
    if (label === null) continue;
    const v = region.vertices;
    for (let i = 0; i < v.length; i += 2) {
      if (
        v[i] < -slackPx ||
        v[i + 1] < -slackPx ||
        v[i] > slide.widthPx + slackPx ||
        v[i + 1] > slide.heightPx + slackPx
      ) {
        throw new InputError(
          `region ${region.id} (${label}): vertex (${v[i]}, ${v[i + 1]}) lies outside the slide (${slide.widthPx} × ${slide.heightPx} px)`,
          { file: annotations.file },
        );
      }
    }
    out.push({ ...region, label });
  }
  return out;
}
