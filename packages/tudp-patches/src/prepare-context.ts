// What every step of one `prepare` run reads: the resolved options, the corpus folder, the code
// version that keys the caches, the cache itself and the patch file extension.
import type { SlideCache } from './cache.ts';
import type { PrepareOptions } from './options.ts';

export interface PrepareContext {
  options: Readonly<PrepareOptions>;
  /** The folder slides are read from (the given root or the demo corpus); reports are relative to it. */
  root: string;
  codeVersion: string;
  cache: SlideCache;
  /** Extension of the cached patch files, from the encoding. */
  ext: 'png' | 'jpg';
}
