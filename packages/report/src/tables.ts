// Turns what was collected into the report's tables (the content of report.json): the poster's results
// table with ours beside it, layouts, confusion matrices, tuning history and provenance, per corpus.
import { ORIGINS, ORIGIN_LABELS } from '@corpus-tune/core';
import type { Origin } from '@corpus-tune/core';
import { SPLITS } from './contracts.ts';
import type {
  CorpusId,
  ErrorRate,
  LayoutLayer,
  LearningCurvePoint,
  Split,
  SystemMetrics,
  Trial,
  TunerSelection,
} from './contracts.ts';
import { TWO_D_CORPORA } from './collect.ts';
import type { Collected, CorpusInputs, Failure } from './collect.ts';
import { effectiveEegBand } from './eeg-band.ts';
import { corpusSource } from './source.ts';
import { cellVerdict, REPRODUCTION_TOLERANCE_PP } from './verdict.ts';
import type { CellVerdict } from './verdict.ts';
import type { CorpusSource } from './source.ts';
import type { EegBand } from './eeg-band.ts';
import { POSTER_BER_ROW, posterRowFor } from './poster.ts';
import type { PosterLayout, PosterResults, PosterRow } from './poster.ts';

/** The tuner protocols the report expects a pick from on every corpus (issue 7). */
export const PROTOCOLS = ['ours', 'keras-tuner'] as const;

export type RowStatus = 'ok' | 'not run' | 'failed';

export interface ResultRow {
  /** Stable key: the system id, `bayes-<estimate>`, or `missing-<what>`; HTML cells carry it. */
  id: string;
  label: string;
  kind: 'system' | 'bayes' | 'missing';
  system: string | null;
  origin: string | null;
  /** What the row is, in words (the origin of a system, the method of an estimate). */
  what: string | null;
  /** The system's model kind (mlp, cnn, lstm, cnn-lstm, knn, rf); null for estimates and gaps. */
  systemKind: string | null;
  protocol: string | null;
  posterSystem: string | null;
  status: RowStatus;
  note: string | null;
  /** Our error rates (fractions, 95 % intervals), as the stage wrote them. */
  ours: Record<Split, ErrorRate | null>;
  /** The poster's error rates, in percent as printed. */
  posterPercent: Record<Split, number | null>;
  /** Per split where both exist: is the poster's value inside our widened interval? */
  verdicts: Record<Split, CellVerdict | null>;
}

export interface LayoutTable {
  system: string;
  label: string;
  parameterCount: number | null;
  layers: LayoutLayer[];
  hyperparameters: Record<string, unknown>;
}

export interface ConfusionTable {
  system: string;
  label: string;
  classNames: string[];
  matrices: Partial<Record<Split, number[][]>>;
}

export interface ProvenanceRow {
  system: string;
  label: string;
  backend: string | null;
  seed: number | null;
  sizes: Record<Split, number | null>;
  trainSec: number | null;
  tuneSec: number | null;
  samplesPerSec: number | null;
  codeVersion: string | null;
  inputs: Record<string, string>;
}

export interface TuningSummary {
  protocol: string;
  trials: Trial[];
  counts: Record<string, number>;
  /** The completed trial with the lowest dev error. */
  bestTrial: number | null;
  bestDevError: number | null;
  /** What the tuner chose (best.json), which under our protocol need not be the lowest dev error. */
  selection: TunerSelection | null;
}

/** A system picked for the overview: the lowest dev error of its group; eval is what is compared. */
export interface HeadlinePick {
  system: string;
  label: string;
  devRate: number;
  evalRate: number | null;
  posterSystem: string | null;
  posterEvalPercent: number | null;
}

export interface CorpusReport {
  corpus: CorpusId;
  posterId: string;
  description: string;
  twoD: boolean;
  status: 'ok' | 'not run';
  notes: string[];
  /** What the numbers were computed on (real data, a regenerated set, a demo corpus). */
  source: CorpusSource;
  /** Cells (one of our rows × split) compared with a poster value, and how many reproduce it. */
  reproduction: { compared: number; reproduced: number; tolerancePp: number };
  sizes: { ours: Record<Split, number | null>; poster: Record<Split, number> };
  generatorSeed: number | null;
  classNames: string[];
  results: ResultRow[];
  /**
   * Overview: our manual system and each protocol's autotuned system with the lowest dev error, and
   * the poster's manual and autotuned rows picked the same way (its Keras Tuner ranked on dev too).
   */
  headline: {
    manual: HeadlinePick | null;
    autotuned: Record<string, HeadlinePick | null>;
    posterManual: PosterRow | null;
    posterAutotuned: PosterRow | null;
  };
  posterLayout: PosterLayout | null;
  layouts: LayoutTable[];
  confusion: ConfusionTable[];
  learningCurves: { system: string; label: string; points: LearningCurvePoint[] }[];
  tuning: TuningSummary[];
  provenance: ProvenanceRow[];
  surfaces: { system: string; label: string; bayesSplits: Split[]; pointSplits: Split[] }[];
  eegBand: EegBand | null;
  failures: Failure[];
}

export interface ReportJson {
  format: 'corpus-tune-report/1';
  codeVersion: string;
  posterSource: string;
  inputs: Record<string, string>;
  /** Corpora whose numbers come from synthetic stand-ins: not comparable to the poster's. */
  standIns: CorpusId[];
  corpora: CorpusReport[];
}

const none = <T>(): Record<Split, T | null> => ({ train: null, dev: null, eval: null });

function posterPercentOf(row: PosterRow | undefined): Record<Split, number | null> {
  return row ? { train: row.train, dev: row.dev, eval: row.eval } : none<number>();
}

/** Our rates beside the poster's, with a verdict per split where both exist. */
function compared(
  ours: Record<Split, ErrorRate | null>,
  posterPercent: Record<Split, number | null>,
): Pick<ResultRow, 'ours' | 'posterPercent' | 'verdicts'> {
  const verdicts = none<CellVerdict>();
  for (const s of SPLITS) verdicts[s] = cellVerdict(ours[s], posterPercent[s]);
  return { ours, posterPercent, verdicts };
}

function reproductionOf(rows: readonly ResultRow[]): CorpusReport['reproduction'] {
  const verdicts = rows.flatMap((r) => SPLITS.map((s) => r.verdicts[s])).filter((v) => v !== null);
  return {
    compared: verdicts.length,
    reproduced: verdicts.filter((v) => v.reproduced).length,
    tolerancePp: REPRODUCTION_TOLERANCE_PP,
  };
}

function oursOf(
  errors: Partial<Record<Split, ErrorRate>> | null | undefined,
): Record<Split, ErrorRate | null> {
  const out = none<ErrorRate>();
  for (const split of SPLITS) out[split] = errors?.[split] ?? null;
  return out;
}

/** The system's label, naming its tuner protocol unless the label already does ("MLP-A (ours)"). */
export function labelWithProtocol(m: Pick<SystemMetrics, 'label' | 'protocol'>): string {
  if (!m.protocol) return m.label;
  const squash = (s: string): string => s.toLowerCase().replace(/[\s_-]/g, '');
  return squash(m.label).includes(squash(m.protocol)) ? m.label : `${m.label} (${m.protocol} protocol)`;
}

const autotunedName = (c: CorpusId): string => (TWO_D_CORPORA.includes(c) ? 'MLP-A' : 'Auto');

function systemRow(m: SystemMetrics, posterRows: readonly PosterRow[]): ResultRow {
  const posterSystem = posterRowFor(m, posterRows);
  const failed = Object.keys(m.errors).length === 0 || m.status === 'failed';
  return {
    id: m.system,
    label: labelWithProtocol(m),
    kind: 'system',
    system: m.system,
    origin: m.origin ?? null,
    what: whatSystemIs(m),
    systemKind: m.kind ?? null,
    protocol: m.protocol ?? null,
    posterSystem,
    status: failed ? 'failed' : 'ok',
    note: failed ? (m.reason ?? 'run failed') : null,
    ...compared(oursOf(m.errors), posterPercentOf(posterRows.find((r) => r.system === posterSystem))),
  };
}

function missingRow(id: string, label: string, posterRow: PosterRow | undefined, note: string): ResultRow {
  return {
    id: `missing-${id}`,
    label,
    kind: 'missing',
    system: null,
    origin: null,
    what: null,
    systemKind: null,
    protocol: null,
    posterSystem: posterRow?.system ?? null,
    status: 'not run',
    note,
    ...compared(none<ErrorRate>(), posterPercentOf(posterRow)),
  };
}

const ORIGIN_ORDER: Record<string, number> = Object.fromEntries(
  (['baseline', 'manual', 'poster-layout', 'ours', 'autotuned'] as const).map((o, i) => [o, i]),
);

/** An origin the report does not know is shown as written, so a new producer cannot hide behind a label. */
function whatSystemIs(m: SystemMetrics): string | null {
  if (!m.origin) return null;
  const known = (ORIGINS as readonly string[]).includes(m.origin);
  const origin = known ? ORIGIN_LABELS[m.origin as Origin] : m.origin;
  // A baseline says what it is run on (the nearest centroid: which features).
  const what = m.description ? `${origin}: ${m.description}` : origin;
  return m.protocol ? `${what}, ${m.protocol} protocol` : what;
}

/** The poster's rows in its order, each followed by our systems compared with it, then the rest. */
export function resultRows(c: CorpusInputs, poster: PosterResults): ResultRow[] {
  const posterRows = poster.corpora[c.corpus].results;
  const systems = [...c.systems].sort(
    (a, b) =>
      (ORIGIN_ORDER[a.origin ?? ''] ?? 3) - (ORIGIN_ORDER[b.origin ?? ''] ?? 3) ||
      a.system.localeCompare(b.system),
  );
  const rows: ResultRow[] = [];
  const placed = new Set<string>();
  for (const pr of posterRows) {
    if (pr.system === POSTER_BER_ROW) continue;
    const matched = systems.filter((m) => posterRowFor(m, posterRows) === pr.system);
    for (const m of matched) {
      rows.push(systemRow(m, posterRows));
      placed.add(m.system);
    }
    if (matched.length === 0)
      rows.push(
        missingRow(pr.system, pr.system, pr, `no train/${c.corpus}/ system for the poster's ${pr.system}`),
      );
  }
  for (const m of systems) if (!placed.has(m.system)) rows.push(systemRow(m, posterRows));
  for (const protocol of PROTOCOLS) {
    if (!c.systems.some((m) => m.protocol === protocol)) {
      const name = `${autotunedName(c.corpus)} (${protocol} protocol)`;
      rows.push(
        missingRow(
          `protocol-${protocol}`,
          name,
          undefined,
          `no autotuned system with protocol "${protocol}"`,
        ),
      );
    }
  }
  rows.push(
    ...bayesRows(
      c,
      posterRows.find((r) => r.system === POSTER_BER_ROW),
    ),
  );
  return rows;
}

function bayesRows(c: CorpusInputs, posterBer: PosterRow | undefined): ResultRow[] {
  const rows: ResultRow[] = [];
  const bayesRow = (
    id: string,
    label: string,
    what: string,
    errors: Partial<Record<Split, ErrorRate>>,
    posterRow?: PosterRow,
  ): ResultRow => ({
    id: `bayes-${id}`,
    label,
    kind: 'bayes',
    system: null,
    origin: null,
    what,
    systemKind: null,
    protocol: null,
    posterSystem: posterRow?.system ?? null,
    status: 'ok',
    note: null,
    ...compared(oursOf(errors), posterPercentOf(posterRow)),
  });
  const generator =
    c.bayes?.generator ??
    (c.generator && Object.keys(c.generator.bayesError).length > 0 ? c.generator.bayesError : null);
  if (c.bayes?.closedLoop)
    rows.push(
      bayesRow(
        'closed-loop',
        'BER (closed-loop KNN/RF)',
        'lowest error of KNN / RF fit and scored on the same split (an estimate, optimistic)',
        c.bayes.closedLoop,
        posterBer,
      ),
    );
  else if (posterBer)
    rows.push(
      missingRow(
        'bayes-closed-loop',
        'BER (closed-loop KNN/RF)',
        posterBer,
        `no train/${c.corpus}/bayes.json`,
      ),
    );
  if (generator)
    rows.push(
      bayesRow(
        'generator',
        'generator Bayes error (Monte Carlo, 95 % CI)',
        "Monte Carlo estimate under imld-gen's generating densities, with its 95 % interval",
        generator,
      ),
    );
  if (c.bayes?.coverHartLower)
    rows.push(
      bayesRow(
        'cover-hart',
        'Cover–Hart lower bound (1-NN)',
        'lower bound from the 1-NN error (Cover & Hart 1967)',
        c.bayes.coverHartLower,
      ),
    );
  return rows;
}

function sizesOf(c: CorpusInputs): Record<Split, number | null> {
  const sizes = none<number>();
  for (const split of SPLITS) {
    sizes[split] =
      c.generator?.sizes[split] ??
      c.systems.map((m) => m.data?.[split]).find((n): n is number => typeof n === 'number') ??
      null;
  }
  return sizes;
}

function tuningSummary(protocol: string, trials: Trial[], selection: TunerSelection | null): TuningSummary {
  const counts: Record<string, number> = {};
  for (const t of trials) counts[t.state] = (counts[t.state] ?? 0) + 1;
  let best: Trial | null = null;
  for (const t of trials)
    if (
      t.state === 'COMPLETE' &&
      t.devError !== null &&
      (best === null || t.devError < (best.devError ?? Infinity))
    )
      best = t;
  return {
    protocol,
    trials: [...trials].sort((a, b) => a.number - b.number),
    counts,
    bestTrial: best?.number ?? null,
    bestDevError: best?.devError ?? null,
    selection,
  };
}

function pickByDev(rows: readonly ResultRow[]): HeadlinePick | null {
  let best: ResultRow | null = null;
  for (const r of rows) {
    const dev = r.ours.dev?.rate;
    if (r.status === 'ok' && dev !== undefined && (best === null || dev < (best.ours.dev?.rate ?? Infinity)))
      best = r;
  }
  if (!best?.system || !best.ours.dev) return null;
  return {
    system: best.system,
    label: best.label,
    devRate: best.ours.dev.rate,
    evalRate: best.ours.eval?.rate ?? null,
    posterSystem: best.posterSystem,
    posterEvalPercent: best.posterPercent.eval,
  };
}

const lowestDev = (rows: readonly PosterRow[]): PosterRow | null =>
  rows.reduce<PosterRow | null>((best, r) => (best === null || r.dev < best.dev ? r : best), null);

function headlineOf(
  results: readonly ResultRow[],
  posterRows: readonly PosterRow[],
): CorpusReport['headline'] {
  const systems = results.filter((r) => r.kind === 'system');
  const autotuned: Record<string, HeadlinePick | null> = {};
  for (const protocol of PROTOCOLS)
    autotuned[protocol] = pickByDev(
      systems.filter((r) => r.origin === 'autotuned' && r.protocol === protocol),
    );
  return {
    manual: pickByDev(systems.filter((r) => r.origin === 'manual')),
    autotuned,
    posterManual: lowestDev(posterRows.filter((r) => /^(MLP-M\d*|Manual)$/.test(r.system))),
    posterAutotuned: lowestDev(posterRows.filter((r) => /^(MLP-A\d*|Auto)$/.test(r.system))),
  };
}

/**
 * Issue 15's test of a corpus: is the manual model (the overview's pick) clearly below a nearest
 * centroid on simple features? A corpus the baseline already solves cannot show what a network adds.
 */
function centroidMarginNote(results: readonly ResultRow[], manual: HeadlinePick | null): string | null {
  const centroid = results.find((r) => r.kind === 'system' && r.systemKind === 'centroid');
  const centroidEval = centroid?.ours.eval?.rate;
  if (!centroid || centroidEval === undefined || !manual || manual.evalRate === null) return null;
  const pct = (x: number): string => (100 * x).toFixed(2);
  const marginPp = 100 * (centroidEval - manual.evalRate);
  const side = marginPp >= 0 ? 'below' : 'above';
  return (
    `manual vs nearest-centroid baseline on eval: ${manual.label} ${pct(manual.evalRate)} %, ` +
    `${centroid.label} ${pct(centroidEval)} %: ${Math.abs(marginPp).toFixed(2)} pp ${side} it`
  );
}

/** "backend, engine engine[, N LSTM layers fused]": what trained a system, as metrics.json says. */
function provenanceEngine(m: SystemMetrics): string {
  if (!m.engine) return m.backend ?? '';
  const fused = m.fusedLstmLayers
    ? `, ${m.fusedLstmLayers} LSTM layer${m.fusedLstmLayers === 1 ? '' : 's'} fused`
    : '';
  return `${m.backend}, ${m.engine} engine${fused}`;
}

export function corpusReport(c: CorpusInputs, poster: PosterResults): CorpusReport {
  const pc = poster.corpora[c.corpus];
  const twoD = TWO_D_CORPORA.includes(c.corpus);
  const ran = c.systems.length > 0 || c.bayes !== null || c.tuning.length > 0;
  const notes: string[] = [];
  if (c.systems.length === 0) notes.push(`not run: no train/${c.corpus}/<system>/metrics.json`);
  if (c.tuning.length === 0) notes.push(`not run: no tuner trials under tune/${c.corpus}/`);
  if (twoD && Object.keys(c.surfaces).length > 0 && Object.keys(c.points).length === 0)
    notes.push(`no imld-gen/${c.corpus}/ points: surfaces are drawn without data points`);
  if (twoD && c.systems.length > 0 && Object.keys(c.surfaces).length === 0)
    notes.push('no surface.arrow for any system: no decision surfaces');
  if (twoD && Object.keys(c.points).length > 0 && Object.keys(c.bayesAt).length === 0)
    notes.push(
      c.generator?.source?.kind === 'imld-csv'
        ? 'no Bayes boundary: real IMLD data has no generating densities'
        : 'Bayes boundary unknown: the imld-gen metadata holds no generating recipe',
    );
  const bySystem = [...c.systems].sort((a, b) => a.system.localeCompare(b.system));
  const results = resultRows(c, poster);
  const headline = headlineOf(results, pc.results);
  const margin = centroidMarginNote(results, headline.manual);
  if (margin) notes.push(margin);
  const classNames = bySystem.find((m) => m.classNames)?.classNames ?? c.generator?.classNames ?? [];
  return {
    corpus: c.corpus,
    posterId: pc.poster,
    description: pc.description,
    twoD,
    status: ran ? 'ok' : 'not run',
    notes,
    sizes: { ours: sizesOf(c), poster: pc.sizes },
    source: corpusSource(c),
    reproduction: reproductionOf(results),
    generatorSeed: c.generator?.seed ?? null,
    classNames,
    results,
    headline,
    posterLayout: poster.layouts[c.corpus] ?? null,
    layouts: bySystem
      .filter((m) => m.layout || m.hyperparameters)
      .map((m) => ({
        system: m.system,
        label: m.label,
        parameterCount: m.parameterCount ?? null,
        layers: m.layout ?? [],
        hyperparameters: m.hyperparameters ?? {},
      })),
    confusion: bySystem
      .filter((m) => m.confusion)
      .map((m) => ({
        system: m.system,
        label: m.label,
        classNames: m.classNames ?? classNames,
        matrices: m.confusion ?? {},
      })),
    learningCurves: bySystem
      .filter((m) => (m.learningCurve?.length ?? 0) > 0)
      .map((m) => ({ system: m.system, label: m.label, points: m.learningCurve ?? [] })),
    tuning: c.tuning.map((t) => tuningSummary(t.protocol, t.trials, t.selection)),
    provenance: bySystem.map((m) => ({
      system: m.system,
      label: m.label,
      backend: m.backend ? provenanceEngine(m) : null,
      seed: m.seed ?? null,
      sizes: {
        train: typeof m.data?.train === 'number' ? m.data.train : (m.errors.train?.n ?? null),
        dev: typeof m.data?.dev === 'number' ? m.data.dev : (m.errors.dev?.n ?? null),
        eval: typeof m.data?.eval === 'number' ? m.data.eval : (m.errors.eval?.n ?? null),
      },
      trainSec: typeof m.timings?.trainSec === 'number' ? m.timings.trainSec : null,
      tuneSec: typeof m.timings?.tuneSec === 'number' ? m.timings.tuneSec : null,
      samplesPerSec: typeof m.timings?.samplesPerSec === 'number' ? m.timings.samplesPerSec : null,
      codeVersion: m.codeVersion ?? null,
      inputs: m.data?.inputs ?? {},
    })),
    surfaces: bySystem
      .filter((m) => c.surfaces[m.system])
      .map((m) => ({
        system: m.system,
        label: labelWithProtocol(m),
        bayesSplits: SPLITS.filter((s) => c.bayesAt[s]),
        pointSplits: SPLITS.filter((s) => c.points[s]),
      })),
    eegBand: c.corpus === 'tusz' ? effectiveEegBand(c.segments, poster) : null,
    failures: c.failures,
  };
}

export function reportJson(collected: Collected, poster: PosterResults, codeVersion: string): ReportJson {
  const corpora = collected.corpora.map((c) => corpusReport(c, poster));
  return {
    format: 'corpus-tune-report/1',
    codeVersion,
    posterSource: poster.source,
    inputs: collected.inputs,
    standIns: corpora.filter((c) => c.status === 'ok' && c.source.standIn).map((c) => c.corpus),
    corpora,
  };
}
