// The records every annotation reader returns (ImageScope XML, TUDP CSV), in a module of their own
// so the readers and the dispatcher in annotations.ts depend on it and not on each other.
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
