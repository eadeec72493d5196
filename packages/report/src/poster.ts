// The poster's own numbers (transcribed in data/poster-results.json) and how our systems map onto
// the poster's rows.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CorpusId, SystemMetrics } from './contracts.ts';

export interface PosterRow {
  system: string;
  train: number;
  dev: number;
  eval: number;
}

export interface PosterCorpus {
  poster: string;
  description: string;
  classes: number;
  sizes: { train: number; dev: number; eval: number };
  results: PosterRow[];
}

export interface PosterLayout {
  title: string;
  columns: string[];
  rows: { layer: string; cells: string[] }[];
}

export interface PosterResults {
  source: string;
  units: string;
  corpora: Record<CorpusId, PosterCorpus>;
  layouts: Partial<Record<CorpusId, PosterLayout>>;
  preprocessing: {
    tusz: {
      channels: number;
      bandpassHz: [number, number];
      sampleRateHz: number;
      segmentSec: number;
      frameSec: number;
      windowSec: number;
    };
  };
}

/** The checked-in transcription of the poster (an input of the Nx `report` target). */
export const POSTER_RESULTS_PATH = fileURLToPath(new URL('../data/poster-results.json', import.meta.url));

export function loadPosterResults(path = POSTER_RESULTS_PATH): PosterResults {
  return JSON.parse(readFileSync(path, 'utf8')) as PosterResults;
}

/** The poster's Bayes-error row name (a closed-loop KNN/RF estimate). */
export const POSTER_BER_ROW = 'BER';

/** Systems whose poster row is fixed by what they are, whatever their metadata says. */
const FIXED_ROWS: Record<string, string[]> = {
  knn: ['KNN'],
  rf: ['RNF'],
  'cnn-m': ['Manual'],
  'cnn-lstm': ['Manual'],
  'cnn-a': ['Auto'],
  lstm: ['Auto'],
};

/**
 * The poster row an output of ours is compared with: KNN/RNF by kind; manual models with MLP-M<n>
 * (n from the system id), MLP-M or "Manual"; autotuned ones with MLP-A<n>, MLP-A or "Auto".
 * null when the poster has no such row (e.g. a tuner's pick on #10, where the poster only has A1/A2).
 */
export function posterRowFor(
  metrics: Pick<SystemMetrics, 'system' | 'kind' | 'origin'>,
  rows: readonly PosterRow[],
): string | null {
  const names = new Set(rows.map((r) => r.system));
  const digit = /(\d+)$/.exec(metrics.system)?.[1] ?? '';
  // A tuner's pick is autotuned whatever it built (a tuned CNN+LSTM is not the manual CNN+LSTM row).
  let candidates =
    FIXED_ROWS[metrics.system] ??
    (metrics.kind && metrics.origin !== 'autotuned' ? FIXED_ROWS[metrics.kind] : undefined);
  // The poster's own autotuned layouts, retrained here, are compared with the rows they came from.
  const autoRow = metrics.origin === 'autotuned' || metrics.origin === 'poster-layout';
  if (!candidates && metrics.kind !== 'knn' && metrics.kind !== 'rf') {
    if (metrics.origin === 'manual') candidates = [`MLP-M${digit}`, 'MLP-M', 'Manual'];
    else if (autoRow) candidates = [`MLP-A${digit}`, 'MLP-A', 'Auto'];
  }
  return (candidates ?? []).find((c) => names.has(c)) ?? null;
}
