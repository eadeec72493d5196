import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';

/** Extensions OpenSlide 3.4 reads (plus plain TIFF for the sharp fallback). */
export const SLIDE_EXTENSIONS = [
  '.svs',
  '.tif',
  '.tiff',
  '.ndpi',
  '.vms',
  '.vmu',
  '.scn',
  '.mrxs',
  '.bif',
  '.svslide',
];
/** Annotation formats, in order of preference when both sit beside a slide. */
export const ANNOTATION_EXTENSIONS = ['.xml', '.csv'];

export interface DiscoveredSlide {
  slidePath: string;
  /** Relative to the corpus root, `/`-separated. */
  slideRelPath: string;
  annotationPath: string | null;
  annotationRelPath: string | null;
}

/** Every slide under `root` (sorted), with the `.xml`/`.csv` of the same stem beside it if any. */
export function discoverSlides(root: string): DiscoveredSlide[] {
  const out: DiscoveredSlide[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      if (!SLIDE_EXTENSIONS.includes(extname(name).toLowerCase())) continue;
      const stem = join(dir, basename(name, extname(name)));
      const annotationPath =
        ANNOTATION_EXTENSIONS.map((ext) => stem + ext).find((p) => existsSync(p)) ?? null;
      out.push({
        slidePath: path,
        slideRelPath: relative(root, path).split('\\').join('/'),
        annotationPath,
        annotationRelPath:
          annotationPath === null ? null : relative(root, annotationPath).split('\\').join('/'),
      });
    }
  };
  walk(root);
  return out;
}
