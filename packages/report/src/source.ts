// What each corpus's numbers were computed on, in one line: the real IMLD CSVs (with their hashes), a
// set regenerated from a recipe, a synthetic demo corpus, or a real TUSZ / TUDP root — read from the
// metadata the producing stage wrote, so the report cannot claim more than the data says.
import type { RunMetadata } from '@corpus-tune/core';
import { SPLITS } from './contracts.ts';
import type { Split } from './contracts.ts';
import type { CorpusInputs } from './collect.ts';
import { TWO_D_CORPORA } from './collect.ts';

export interface CorpusSource {
  kind: 'imld-csv' | 'recipe' | 'demo' | 'real' | 'unknown';
  /** True when the numbers come from a synthetic stand-in, not the data the poster used. */
  standIn: boolean;
  line: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function twoDSource(c: CorpusInputs): CorpusSource {
  const s = c.generator?.source;
  if (s?.kind === 'imld-csv') {
    const files = Object.entries(obj(s.files))
      .map(([f, h]) => `${f} ${String(h).slice(0, 12)}`)
      .join(', ');
    return { kind: 'imld-csv', standIn: false, line: `real IMLD CSVs ${str(s.set) ?? ''} (${files})` };
  }
  if (s?.kind === 'recipe' || c.generator) {
    const recipe = str(s?.recipe) ?? c.corpus;
    const seed = num(s?.seed) ?? c.generator?.seed ?? null;
    return {
      kind: 'recipe',
      standIn: true,
      line:
        `synthetic stand-in regenerated from recipe ${recipe}${seed === null ? '' : ` (seed ${seed})`}; ` +
        `not the poster's IMLD set (set IMLD_ROOT to use it)`,
    };
  }
  return { kind: 'unknown', standIn: true, line: `unknown: no imld-gen/${c.corpus}/ output` };
}

const perSplit = (prepared: Partial<Record<Split, RunMetadata>>, count: (m: RunMetadata) => number | null) =>
  SPLITS.map((s) => {
    const m = prepared[s];
    const n = m ? count(m) : null;
    return n === null ? '—' : n.toLocaleString('en-US');
  }).join(' / ');

function tuszSource(c: CorpusInputs): CorpusSource {
  const metas = SPLITS.map((s) => c.prepared[s]).filter((m): m is RunMetadata => m !== undefined);
  if (metas.length === 0) return { kind: 'unknown', standIn: true, line: 'unknown: no tusz-segments output' };
  const recordings = new Set(
    metas.flatMap((m) => Object.keys(obj(m.inputs)).filter((f) => /\.edf$/i.test(f))),
  );
  const segments = perSplit(c.prepared, (m) => num(obj(m.counts).selected));
  const corpus = str(metas[0].corpus) ?? '';
  const kind = corpus.startsWith('demo') ? 'demo' : corpus === 'TUSZ' ? 'real' : 'unknown';
  const what = {
    demo: 'synthetic demo EEG written by tusz-segments',
    real: 'real TUSZ root',
    unknown: 'EEG of unknown origin (tusz-segments metadata names no corpus)',
  }[kind];
  return {
    kind,
    standIn: kind !== 'real',
    line: `${what}: ${recordings.size} recordings; segments train / dev / eval ${segments}`,
  };
}

function tudpSource(c: CorpusInputs): CorpusSource {
  const metas = SPLITS.map((s) => c.prepared[s]).filter((m): m is RunMetadata => m !== undefined);
  if (metas.length === 0) return { kind: 'unknown', standIn: true, line: 'unknown: no tudp-patches output' };
  const slides = new Set(metas.flatMap((m) => (Array.isArray(m.slides) ? m.slides.map(String) : [])));
  const patients = new Set(metas.flatMap((m) => (Array.isArray(m.patients) ? m.patients.map(String) : [])));
  const patches = perSplit(c.prepared, (m) =>
    Object.values(obj(m.perClass)).reduce<number>((a, v) => a + (num(obj(v).taken) ?? 0), 0),
  );
  const corpus = str(obj(metas[0].params).corpus);
  const kind = corpus === 'demo' ? 'demo' : corpus === 'tudp' ? 'real' : 'unknown';
  const what = {
    demo: 'synthetic demo slides written by tudp-patches',
    real: 'real TUDP root',
    unknown: 'slides of unknown origin (tudp-patches metadata names no corpus)',
  }[kind];
  return {
    kind,
    standIn: kind !== 'real',
    line:
      `${what}: ${slides.size} slides of ${patients.size} patients; ` +
      `patches train / dev / eval ${patches}`,
  };
}

export function corpusSource(c: CorpusInputs): CorpusSource {
  if (TWO_D_CORPORA.includes(c.corpus)) return twoDSource(c);
  return c.corpus === 'tusz' ? tuszSource(c) : tudpSource(c);
}

/** The overview's first words when any corpus is a synthetic stand-in. */
/** What standInSentence needs of report.json (structural, so this module does not import tables.ts). */
interface StandInView {
  standIns: readonly string[];
  corpora: readonly { corpus: string; posterId: string }[];
}

export function standInSentence(report: StandInView): string | null {
  if (report.standIns.length === 0) return null;
  const names = report.corpora
    .filter((c) => report.standIns.includes(c.corpus))
    .map((c) => `${c.posterId} ${c.corpus}`)
    .join(', ');
  return (
    `${names}: synthetic stand-ins, not the data the poster used. ` +
    'Their rows show that the pipeline runs; ' +
    "they are not comparable to the poster's numbers."
  );
}
