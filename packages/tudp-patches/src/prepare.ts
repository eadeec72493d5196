// The `prepare` stage: corpus → per-slide coordinate tables (cached) → balanced, slide-disjoint
// sampling per split → pixels (cached per slide) → Arrow per split. Each step is its own module.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, codeVersion } from '@corpus-tune/core';
import { FileHashIndex, SlideCache } from './cache.ts';
import { writeDemoCorpus } from './demo-corpus.ts';
import { corpusRootOf, resolvePrepareOptions } from './options.ts';
import type { PrepareInput, PrepareOptions } from './options.ts';
import { sampleSplits } from './patch-sampling.ts';
import type { PrepareContext } from './prepare-context.ts';
import { tileSlides } from './slide-coordinates.ts';
import { identifySlides } from './slide-work.ts';
import type { SlideReport } from './slide-work.ts';
import { livePatches, tallySlides, writeRunReport, writeSplitTables } from './split-tables.ts';
import type { CorpusKind, SplitSummaries } from './split-tables.ts';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface PrepareResult {
  outDir: string;
  corpus: CorpusKind;
  slides: SlideReport[];
  processed: number;
  reused: number;
  skipped: number;
  /** Patches read from slides this run (the rest came from the patch cache). */
  patchesExtracted: number;
  splits: SplitSummaries;
  files: string[];
}

export async function prepare(input: PrepareInput): Promise<PrepareResult> {
  const options = resolvePrepareOptions(input);
  const corpus: CorpusKind = options.root === null ? 'demo' : 'tudp';
  const root = await openCorpus(options);
  const cache = new SlideCache(join(options.outDir, 'cache'));
  cache.ensure();
  const context: PrepareContext = {
    options,
    root,
    codeVersion: codeVersion(PACKAGE_DIR),
    cache,
    ext: options.encoding.format === 'png' ? 'png' : 'jpg',
  };

  const work = identifySlides(root, options);
  const hashes = new FileHashIndex(join(cache.root, 'file-hashes.json'));
  await tileSlides(work, context, hashes);
  hashes.save();
  const result = (patchesExtracted: number, splits: SplitSummaries, files: string[]): PrepareResult => ({
    outDir: options.outDir,
    corpus,
    slides: work.map((w) => w.report),
    ...tallySlides(work),
    patchesExtracted,
    splits,
    files,
  });
  // A shard only fills the coordinate cache; a plain run merges.
  if (options.shard) return result(0, {}, []);

  const { samples, patchesExtracted } = await sampleSplits(work, context);
  const { splits, files } = await writeSplitTables(work, samples, context, corpus);
  cache.prune(livePatches(work, samples, context.ext));
  const done = result(patchesExtracted, splits, files);
  done.files.push(writeRunReport(context, corpus, tallySlides(work), splits, done.slides));
  return done;
}

/** The folder to read slides from: the demo corpus (written when missing or outdated) or the given root. */
async function openCorpus(options: Readonly<PrepareOptions>): Promise<string> {
  const root = corpusRootOf(options);
  if (options.root === null) {
    const log = (line: string) => options.logger.info(line);
    const demo = await writeDemoCorpus(root, options.demo, log);
    log(
      demo.reused ? `demo corpus: reusing ${root}` : `demo corpus: wrote ${demo.generated} slides to ${root}`,
    );
  } else if (!existsSync(root)) {
    throw new InputError('TUDP root does not exist', { file: root });
  }
  return root;
}
