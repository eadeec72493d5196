// Finds and reads every stage output the report shows, corpus by corpus. Nothing here throws for a
// missing or broken file: absence is recorded (the report says "not run"), a broken file becomes a
// failure note naming it, and the rest of the corpus goes on.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { TWO_D_CORPORA, errorMessage, readSchemaRunMetadata, sha256File, STAGE } from '@corpus-tune/core';
import { readPointsArrow } from '@corpus-tune/imld-gen';
import type { Points } from '@corpus-tune/imld-gen';
import { readBayes, readMetrics, readSurface } from '@corpus-tune/train';
import type { Surface } from '@corpus-tune/train';
import type { RunMetadata } from '@corpus-tune/core';
import { CORPORA, SPLITS, parseErrorRate, parseSelection, parseTrials } from './contracts.ts';
import type {
  BayesReport,
  CorpusId,
  ErrorRate,
  Split,
  SystemMetrics,
  Trial,
  TunerSelection,
} from './contracts.ts';
import { bayesClassifierOf } from './bayes-boundary.ts';
import type { ClassAt } from './bayes-boundary.ts';

export { TWO_D_CORPORA };

export interface Failure {
  /** Path relative to the data dir. */
  file: string;
  message: string;
}

export interface TuningStudy {
  protocol: string;
  trials: Trial[];
  selection: TunerSelection | null;
}

export interface GeneratorInfo {
  seed?: number;
  codeVersion?: string;
  classNames?: string[];
  bayesError: Partial<Record<Split, ErrorRate>>;
  sizes: Partial<Record<Split, number>>;
  /** imld-gen's `params.source`: the recipe it drew from, or the real IMLD CSVs it imported. */
  source?: Record<string, unknown>;
}

export interface CorpusInputs {
  corpus: CorpusId;
  systems: SystemMetrics[];
  surfaces: Record<string, Surface>;
  bayes: BayesReport | null;
  /** Bayes-optimal class per split, where imld-gen recorded the generating recipe. */
  bayesAt: Partial<Record<Split, ClassAt>>;
  tuning: TuningStudy[];
  points: Partial<Record<Split, Points>>;
  generator: GeneratorInfo | null;
  /** Schema metadata of the EEG segments (tusz only), for the effective band. */
  segments: RunMetadata | null;
  /** Schema metadata of each split the prepare stage wrote (tusz-segments, tudp-patches): the source. */
  prepared: Partial<Record<Split, RunMetadata>>;
  failures: Failure[];
}

export interface Collected {
  corpora: CorpusInputs[];
  /** Every file read in full, relative path → sha256 (provenance of the report itself). */
  inputs: Record<string, string>;
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
const subdirs = (p: string): string[] =>
  isDir(p)
    ? readdirSync(p)
        .filter((n) => !n.startsWith('.') && isDir(join(p, n)))
        .sort()
    : [];

export async function collectInputs(
  dataDir: string,
  corpora: readonly CorpusId[] = CORPORA,
): Promise<Collected> {
  const inputs: Record<string, string> = {};
  const out: CorpusInputs[] = [];
  for (const corpus of corpora) {
    const c: CorpusInputs = {
      corpus,
      systems: [],
      surfaces: {},
      bayes: null,
      bayesAt: {},
      tuning: [],
      points: {},
      generator: null,
      segments: null,
      prepared: {},
      failures: [],
    };
    /** Runs `read` on an existing file, recording its hash, or a failure; undefined when absent or broken. */
    const attempt = <T>(path: string, read: (p: string) => T, hash = true): T | undefined => {
      if (!existsSync(path)) return undefined;
      const rel = relative(dataDir, path);
      try {
        const value = read(path);
        if (hash) inputs[rel] = sha256File(path);
        return value;
      } catch (error) {
        c.failures.push({ file: rel, message: errorMessage(error).replace(`${path}: `, '') });
        return undefined;
      }
    };
    const readJson = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8'));

    /** One system folder: its metrics.json, and its decision surface on the 2-D sets. */
    const readSystem = (dir: string): void => {
      const metrics = attempt(join(dir, 'metrics.json'), readMetrics);
      if (!metrics) return;
      c.systems.push(metrics);
      const surface = TWO_D_CORPORA.includes(corpus)
        ? attempt(join(dir, 'surface.arrow'), readSurface)
        : undefined;
      if (surface) c.surfaces[metrics.system] = surface;
    };
    const trainDir = join(dataDir, STAGE.train, corpus);
    for (const system of subdirs(trainDir)) readSystem(join(trainDir, system));
    c.bayes = attempt(join(trainDir, 'bayes.json'), readBayes) ?? null;

    // The tune stage keeps each autotuned system (metrics.json) in its study folder.
    const tuneDir = join(dataDir, STAGE.tune, corpus);
    for (const protocol of subdirs(tuneDir)) {
      readSystem(join(tuneDir, protocol));
      const trials = attempt(join(tuneDir, protocol, 'trials.json'), (p) => parseTrials(readJson(p), p));
      if (!trials) continue;
      const selection =
        attempt(join(tuneDir, protocol, 'best.json'), (p) => parseSelection(readJson(p))) ?? null;
      c.tuning.push({ protocol, trials, selection });
    }

    if (TWO_D_CORPORA.includes(corpus)) {
      for (const split of SPLITS) {
        const path = join(dataDir, STAGE.imldGen, corpus, `${split}.arrow`);
        const read = attempt(path, readPointsArrow);
        if (!read) continue;
        const bayesAt = attempt(path, (p) => bayesClassifierOf(read.metadata, split, p), false);
        if (bayesAt) c.bayesAt[split] = bayesAt;
        c.points[split] = { x: read.x, y: read.y, label: read.label };
        const meta = read.metadata;
        c.generator ??= { bayesError: {}, sizes: {} };
        if (typeof meta.seed === 'number') c.generator.seed = meta.seed;
        c.generator.codeVersion = meta.codeVersion;
        if (Array.isArray(meta.classNames)) c.generator.classNames = meta.classNames.map(String);
        const source = (meta.params as { source?: unknown } | undefined)?.source;
        if (source && typeof source === 'object') c.generator.source = source as Record<string, unknown>;
        const bayes = parseErrorRate(meta.bayesError);
        if (bayes) c.generator.bayesError[split] = bayes;
        c.generator.sizes[split] = read.label.length;
      }
    }
    if (corpus === 'tusz' || corpus === 'tudp') {
      const stage = corpus === 'tusz' ? STAGE.tuszSegments : STAGE.tudpPatches;
      for (const split of SPLITS) {
        const path = join(dataDir, stage, `${split}.arrow`);
        if (!existsSync(path)) continue;
        try {
          c.prepared[split] = await readSchemaRunMetadata(path);
        } catch (error) {
          c.failures.push({
            file: relative(dataDir, path),
            message: errorMessage(error).replace(`${path}: `, ''),
          });
        }
      }
      if (corpus === 'tusz')
        c.segments = SPLITS.map((s) => c.prepared[s]).find((m) => m !== undefined) ?? null;
    }
    out.push(c);
  }
  return {
    corpora: out,
    inputs: Object.fromEntries(Object.entries(inputs).sort(([a], [b]) => a.localeCompare(b))),
  };
}
