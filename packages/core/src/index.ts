export { InputError, errorMessage, readInputFile, readInputText, openInputFile } from './errors.ts';
export { checkFiniteNumber, checkPositive, checkInteger, checkOneOf, parseNumberFlag } from './validate.ts';
export { writeFileAtomic, writeJsonAtomic, tempPathFor } from './atomic-write.ts';
export { sha256, sha256File, sha256Tree, listFiles } from './hash.ts';
export { codeVersion } from './code-version.ts';
export { workspaceRoot, dataDir, corpusRoot, sharedDataDir, CORPUS_ROOT_ENV } from './paths.ts';
export { createRng, shuffleInPlace } from './rng.ts';
export type { Rng } from './rng.ts';
export { stderrLogger, silentLogger, memoryLogger } from './logger.ts';
export type { Logger } from './logger.ts';
export { createProgress, formatDuration, progressLines, silentProgress, stderrProgress } from './progress.ts';
export type { Progress, ProgressOptions, ProgressReporter, ProgressTask } from './progress.ts';
export {
  METADATA_KEY,
  withMetadata,
  writeArrowFile,
  writeArrowBatches,
  readArrowFile,
  runMetadataOf,
  readRunMetadata,
  readSchemaRunMetadata,
} from './arrow-io.ts';
export type { RunMetadata } from './arrow-io.ts';
export { runCli, elapsedSec } from './cli.ts';
export { pipelineProfile, PIPELINE_PROFILES } from './profile.ts';
export type { PipelineProfile } from './profile.ts';
export {
  STORED_EXTENSIONS,
  STORE_MANIFEST,
  storeDir,
  storeId,
  isStoredFile,
  publishToStore,
  checkoutFromStore,
  readStoreManifest,
  gcStore,
} from './content-store.ts';
export type {
  StoreManifest,
  StoreOptions,
  PublishSummary,
  CheckoutSummary,
  GcSummary,
} from './content-store.ts';
export { GENERATED_RECORD, recordGeneratedFiles } from './generated-files.ts';
export { ORIGINS, ORIGIN_LABELS } from './origins.ts';
export type { Origin } from './origins.ts';
export { CORPORA, TWO_D_CORPORA, isTwoDCorpus, SPLITS, STAGE, STAGES } from './vocabulary.ts';
export type { CorpusId, TwoDCorpusId, SplitName, StageName } from './vocabulary.ts';
export { parseShardFlag, shardOf } from './shard.ts';
export type { Shard } from './shard.ts';
export {
  openArrowBatches,
  requireField,
  requireFixedSizeList,
  requireScalar,
  listValues,
  scalarValues,
  binaryValues,
} from './arrow-batches.ts';
export type { ArrowBatchSource } from './arrow-batches.ts';
export { finiteField, isJsonObject, stringField } from './json-fields.ts';
export type { JsonObject } from './json-fields.ts';
export { embedWasm } from './wasm-embed.ts';
export type { WasmEmbedOptions } from './wasm-embed.ts';
