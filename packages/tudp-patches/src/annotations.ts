import { extname } from 'node:path';
import { InputError, readInputText } from '@corpus-tune/core';
import { parseImageScopeXml } from './annotations-xml.ts';
import { parseTudpCsv } from './annotations-csv.ts';
import { resolveLabel } from './labels.ts';
import type { TudpLabel } from './labels.ts';

/** One annotated polygon in level-0 pixels (X = column, Y = row, whatever the file's order). */
export interface AnnotationRegion {
  id: string;
  /** The label exactly as written in the file. */
  rawLabel: string;
  /** Flat [x0, y0, x1, y1, …] in level-0 pixels. */
  vertices: Float64Array;
  /** ImageScope "negative region of area": a hole cut out of the annotation's label. */
  negative: boolean;
}

export interface SlideAnnotations {
  file: string;
  micronsPerPixel: number | null;
  /** Slide size the annotation file claims (TUDP CSV header, NEDC XML attributes), if any. */
  declaredWidthPx: number | null;
  declaredHeightPx: number | null;
  regions: AnnotationRegion[];
  /** Two-point marks (arrows, rulers) that enclose no area and so label nothing. */
  nonAreaRegions: number;
}

export interface LabeledRegion extends AnnotationRegion {
  label: TudpLabel;
}

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
