import { probeSlide, slideInfo, withSlide } from './slide.ts';
import type { SlideBackend, SlideInfo } from './slide.ts';

/** Opens a slide, proves its pixels decode (lowest level), and returns its description. */
export async function inspectSlide(
  path: string,
  options: { backend?: SlideBackend | 'auto' } = {},
): Promise<SlideInfo> {
  return withSlide(
    path,
    async (slide) => {
      await probeSlide(slide);
      return slideInfo(slide);
    },
    options,
  );
}

/** Human-readable summary for `inspect` without `--json`. */
export function formatSlideInfo(path: string, info: SlideInfo): string {
  const lines = [
    `${path}: ${info.vendor} (${info.backend}), ${info.levels.length} level(s)`,
    ...info.levels.map((l, i) => `  level ${i}: ${l.width} × ${l.height}, downsample ${l.downsample}`),
    `  mpp: ${info.mppX ?? '?'} × ${info.mppY ?? '?'} µm/px, objective power: ${info.objectivePower ?? '?'}`,
    `  associated images: ${info.associatedImages.join(', ') || 'none'}`,
    `  properties: ${Object.keys(info.properties).length}`,
  ];
  return lines.join('\n');
}
