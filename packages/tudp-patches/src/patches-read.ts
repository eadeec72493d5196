// Reading tudp-patches/{train,dev,eval}.arrow back (the one reader of the files patch-table.ts writes;
// the features stage streams them through it): columns checked, then encoded images and labels batch
// by batch in bounded memory.
import { binaryValues, openArrowBatches, requireScalar, scalarValues } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';

/** One record batch of patches: the encoded image (PNG / JPEG bytes) and the label code per row. */
export interface PatchBatch {
  rows: number;
  /** Views into the batch (zero-copy); copy what you keep. */
  images: Uint8Array[];
  label: Int8Array;
}

/** A patches split opened for streaming: metadata now, batches on demand. */
export interface PatchSplit {
  path: string;
  /** Null for a file without corpus-tune metadata (the labels are then read as indc 0, dcis 1). */
  metadata: RunMetadata | null;
  batches(): AsyncGenerator<PatchBatch>;
}

/** Opens a patches split; a missing or mistyped `image` / `label` column is an InputError naming the file. */
export async function openPatchSplit(path: string): Promise<PatchSplit> {
  const source = await openArrowBatches(path);
  requireScalar(source.schema, 'image', 'binary', path);
  requireScalar(source.schema, 'label', 'int8', path);
  return {
    path,
    metadata: source.metadata,
    async *batches() {
      for await (const batch of source.batches()) {
        yield {
          rows: batch.numRows,
          images: binaryValues(batch, 'image', path),
          label: scalarValues<Int8Array>(batch, 'label', path),
        };
      }
    },
  };
}
