import { InputError } from '@corpus-tune/core';
import { openArrowBatches, requireScalar, scalarValues } from './arrow-batches.ts';
import type { ArrowBatchSource } from './arrow-batches.ts';
import { emptyRows, outputPath, splitMetadata } from './corpus-job.ts';
import type { CorpusJob, CorpusOutcome } from './corpus-job.ts';
import type { SyntheticOptions } from './options.ts';
import { SPLITS } from './options.ts';
import { fitNormalization, rowsPerChunk, writeFeatureSplit } from './split-pipeline.ts';
import type { ChunkSource } from './split-pipeline.ts';
import { noNormalization } from './standardize.ts';
import type { GroupLayout } from './standardize.ts';

const SYNTHETIC_LAYOUT: GroupLayout = { groupedBy: 'feature', groupStride: 1, groupCount: 2 };

export function checkSyntheticSchema(source: ArrowBatchSource): void {
  requireScalar(source.schema, 'x', 'float32', source.path);
  requireScalar(source.schema, 'y', 'float32', source.path);
  requireScalar(source.schema, 'label', 'int8', source.path);
}

/** imld-gen rows (x, y) → feature rows [x, y], streamed. */
export function syntheticChunks(source: ArrowBatchSource): ChunkSource {
  const chunkRows = rowsPerChunk(8);
  return async function* () {
    let row = 0;
    for await (const batch of source.batches()) {
      const xs = scalarValues<Float32Array>(batch, 'x', source.path);
      const ys = scalarValues<Float32Array>(batch, 'y', source.path);
      const labels = scalarValues<Int8Array>(batch, 'label', source.path);
      for (let start = 0; start < batch.numRows; start += chunkRows) {
        const rows = Math.min(chunkRows, batch.numRows - start);
        const x = new Float32Array(rows * 2);
        const sourceRow = new Int32Array(rows);
        for (let r = 0; r < rows; r++) {
          const a = xs[start + r];
          const b = ys[start + r];
          if (!Number.isFinite(a) || !Number.isFinite(b)) {
            throw new InputError(
              `row ${row + start + r} has a non-finite ${Number.isFinite(a) ? 'y' : 'x'} (${Number.isFinite(a) ? b : a})`,
              { file: source.path },
            );
          }
          x[2 * r] = a;
          x[2 * r + 1] = b;
          sourceRow[r] = row + start + r;
        }
        yield { x, label: labels.slice(start, start + rows), sourceRow };
      }
      row += batch.numRows;
    }
  };
}

/** imld-gen/<ds> → features/<ds>: pass-through, optionally standardised with train statistics. */
export async function prepareSyntheticCorpus(
  job: CorpusJob,
  options: Readonly<SyntheticOptions>,
): Promise<CorpusOutcome> {
  const sources = Object.fromEntries(
    await Promise.all(SPLITS.map(async (s) => [s, await openArrowBatches(job.inputs[s])])),
  ) as Record<(typeof SPLITS)[number], ArrowBatchSource>;
  for (const split of SPLITS) checkSyntheticSchema(sources[split]);
  const normalization =
    options.normalization === 'standard'
      ? await fitNormalization(syntheticChunks(sources.train), 2, SYNTHETIC_LAYOUT, true)
      : noNormalization(SYNTHETIC_LAYOUT);
  const rows = emptyRows();
  for (const split of SPLITS) {
    const source = sources[split];
    const classNames = (source.metadata?.classNames as string[] | undefined) ?? null;
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
      ...(classNames && { labels: { classCount: classNames.length, file: source.path } }),
    });
  }
  return { corpus: job.corpus, rows, shape: [2], dtype: 'float32', normalization };
}
