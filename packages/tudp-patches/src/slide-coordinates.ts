// Step 2 of `prepare`: patch coordinates per slide, from the cache when slide, annotation, tiling
// parameters and code are unchanged; a slide that fails is skipped with the reason.
import { InputError } from '@corpus-tune/core';
import { readAnnotations, validateAnnotations } from './annotations.ts';
import { cacheKey } from './cache.ts';
import type { FileHashIndex } from './cache.ts';
import type { PrepareContext } from './prepare-context.ts';
import { withSlide } from './slide.ts';
import { skipSlide } from './slide-work.ts';
import type { SlideWork } from './slide-work.ts';
import { coordinatesFor } from './tiler.ts';
import type { SlideCoordinates } from './tiler.ts';

export async function tileSlides(
  work: readonly SlideWork[],
  context: PrepareContext,
  hashes: FileHashIndex,
): Promise<void> {
  const { options, cache } = context;
  const progress = options.progress({ label: 'slides', total: work.length, unit: 'slides' });
  const tilerParams = {
    tiler: options.tiler,
    ignoreLabels: options.ignoreLabels,
    backend: options.backend,
    code: context.codeVersion,
  };
  for (const w of work) {
    try {
      if (w.annotationPath === null)
        throw new InputError('no annotation file (.xml or .csv with the same name) beside the slide', {
          file: w.slidePath,
        });
      w.slideSha = hashes.hash(w.slidePath, w.slideRelPath);
      w.annotationSha = hashes.hash(w.annotationPath, w.annotationRelPath ?? w.annotationPath);
      const key = cacheKey({ slide: w.slideSha, annotation: w.annotationSha, ...tilerParams });
      const cached = cache.readCoords<SlideCoordinates>(w.slideId, key);
      if (cached) {
        w.coords = cached;
        w.report.status = 'reused';
      } else {
        w.coords = await tileSlide(w.slidePath, w.annotationPath, context);
        cache.writeCoords(w.slideId, key, w.coords);
        w.report.status = 'processed';
      }
      w.report.counts = w.coords.counts;
      w.patchKey = cacheKey({
        slide: w.slideSha,
        geometry: w.coords.geometry,
        encoding: options.encoding,
        backend: options.backend,
        code: context.codeVersion,
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      skipSlide(w, error, options.logger, context.root);
    }
    progress.tick(1, w.slideId);
  }
  progress.done();
}

/** Reads the annotations, checks them against the slide's size and cuts the slide into candidates. */
async function tileSlide(
  slidePath: string,
  annotationPath: string,
  { options }: PrepareContext,
): Promise<SlideCoordinates> {
  const annotations = readAnnotations(annotationPath);
  return withSlide(
    slidePath,
    async (slide) => {
      const regions = validateAnnotations(
        annotations,
        { widthPx: slide.levels[0].width, heightPx: slide.levels[0].height },
        options.ignoreLabels,
      );
      return coordinatesFor(slide, regions, options.tiler);
    },
    { backend: options.backend },
  );
}
