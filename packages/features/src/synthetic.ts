import { InputError } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import { readPointsArrow } from '@corpus-tune/imld-gen';
import type { LabelledPoints } from '@corpus-tune/imld-gen';
import { emptyRows, outputPath, splitMetadata } from './corpus-job.ts';
import type { CorpusJob, CorpusOutcome } from './corpus-job.ts';
import type { SyntheticOptions } from './options.ts';
import { SPLITS } from './options.ts';
import { fitNormalization, rowsPerChunk, writeFeatureSplit } from './split-pipeline.ts';
import type { ChunkSource } from './split-pipeline.ts';
import { noNormalization } from './standardize.ts';
import type { GroupLayout } from './standardize.ts';

const SYNTHETIC_LAYOUT: GroupLayout = { groupedBy: 'feature', groupStride: 1, groupCount: 2 };

/** The imld-gen split a synthetic corpus passes through. */
interface PointSource {
  path: string;
  points: LabelledPoints;
  metadata: RunMetadata;
}

function readPointSource(path: string): PointSource {
  const { metadata, ...points } = readPointsArrow(path);
  return { path, points, metadata };
}

/** imld-gen rows (x, y) → feature rows [x, y], in chunks. */
export function syntheticChunks(source: PointSource): ChunkSource {
  const chunkRows = rowsPerChunk(8);
  const { x: xs, y: ys, label: labels } = source.points;
  return async function* () {
    for (let start = 0; start < labels.length; start += chunkRows) {
      const rows = Math.min(chunkRows, labels.length - start);
      const x = new Float32Array(rows * 2);
      const sourceRow = new Int32Array(rows);
      for (let r = 0; r < rows; r++) {
        const a = xs[start + r];
        const b = ys[start + r];
        if (!Number.isFinite(a) || !Number.isFinite(b)) {
          throw new InputError(
            `row ${start + r} has a non-finite ${Number.isFinite(a) ? 'y' : 'x'} (${Number.isFinite(a) ? b : a})`,
            { file: source.path },
          );
        }
        x[2 * r] = a;
        x[2 * r + 1] = b;
        sourceRow[r] = start + r;
      }
      yield { x, label: labels.slice(start, start + rows), sourceRow };
    }
  };
}

/** imld-gen/<ds> → features/<ds>: pass-through, optionally standardised with train statistics. */
export async function prepareSyntheticCorpus(
  job: CorpusJob,
  options: Readonly<SyntheticOptions>,
): Promise<CorpusOutcome> {
  const sources = Object.fromEntries(SPLITS.map((s) => [s, readPointSource(job.inputs[s])])) as Record<
    (typeof SPLITS)[number],
    PointSource
  >;
  const normalization =
    options.normalization === 'standard'
      ? await fitNormalization(syntheticChunks(sources.train), 2, SYNTHETIC_LAYOUT, true)
      : noNormalization(SYNTHETIC_LAYOUT);
  const rows = emptyRows();
  for (const split of SPLITS) {
    const source = sources[split];
    const classNames = source.points.classNames;
    const metadata = splitMetadata(job, split, {
      params: { synthetic: options },
      shape: [2],
      dtype: 'float32',
      normalization,
      classNames,
      axes: ['feature'],
      featureNames: ['x', 'y'],
      source: source.metadata,
    });
    rows[split] = await writeFeatureSplit(syntheticChunks(source)(), {
      path: outputPath(job, split),
      dtype: 'float32',
      rowLength: 2,
      metadata,
      normalization,
      progressLabel: `features ${job.corpus} ${split}`,
      progress: job.progress,
      labels: { classCount: classNames.length, file: source.path },
    });
  }
  return { corpus: job.corpus, rows, shape: [2], dtype: 'float32', normalization };
}
