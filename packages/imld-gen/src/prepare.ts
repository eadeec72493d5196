// The imld-gen stage of the pipeline: every shipped recipe's corpus, each imported from the real IMLD
// set when `imldRoot` holds it complete, else generated from its recipe, with a line per set that
// says which it was and why.
import { SPLIT_NAMES } from './recipe-types.ts';
import { generateCorpus } from './corpus.ts';
import type { CorpusManifest, GenerateOptions } from './corpus.ts';
import { findImldSet, importImldSet } from './imld-root.ts';
import { listRecipes } from './recipe.ts';

export interface PrepareOptions extends GenerateOptions {
  /** A folder with one subfolder per real IMLD set (`set_10/{train,dev,eval}.csv`); unset: all generated. */
  imldRoot?: string;
  /** Corpora to prepare (default: every shipped recipe). */
  corpora?: readonly string[];
}

export interface PreparedCorpus {
  corpus: string;
  status: 'imported' | 'generated' | 'reused';
  manifest: CorpusManifest;
  /** One line for the run summary and the logs: where the points came from. */
  sourceLine: string;
  rows: number;
}

const short = (sha: string): string => sha.slice(0, 12);

function describe(manifest: CorpusManifest, absentReason: string | null): string {
  const s = manifest.source;
  if (s.kind === 'imld-csv')
    return `${manifest.corpus} from real IMLD ${s.set} (${Object.entries(s.files)
      .map(([f, h]) => `${f} ${short(h)}`)
      .join(', ')})`;
  const why = absentReason ? `; ${absentReason}` : '';
  return `${manifest.corpus} generated from recipe ${s.recipe} (seed ${s.seed}, scale ${s.scale})${why}`;
}

/** Prepares every corpus; a set under `imldRoot` that is absent or incomplete falls back to its recipe. */
export function prepareCorpora(outDir: string, options: PrepareOptions = {}): PreparedCorpus[] {
  const out: PreparedCorpus[] = [];
  for (const corpus of options.corpora ?? listRecipes()) {
    const lookup = options.imldRoot ? findImldSet(options.imldRoot, corpus) : null;
    if (lookup?.kind === 'found') {
      const r = importImldSet(lookup, outDir);
      out.push(summary(corpus, r.status, r.manifest, null));
    } else {
      const r = generateCorpus(corpus, outDir, options);
      out.push(summary(corpus, r.status, r.manifest, lookup ? lookup.reason : null));
    }
    options.logger?.info(`imld-gen: ${out[out.length - 1].sourceLine}`);
  }
  return out;
}

function summary(
  corpus: string,
  status: PreparedCorpus['status'],
  manifest: CorpusManifest,
  absentReason: string | null,
): PreparedCorpus {
  return {
    corpus,
    status,
    manifest,
    sourceLine: describe(manifest, absentReason),
    rows: SPLIT_NAMES.reduce((a, s) => a + manifest.splits[s].rows, 0),
  };
}
