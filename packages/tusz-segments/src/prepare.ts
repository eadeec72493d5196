import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  codeVersion,
  createRng,
  errorMessage,
  InputError,
  sha256,
  silentLogger,
  silentProgress,
  writeArrowBatches,
  writeJsonAtomic,
  shardOf,
  STAGE,
} from '@corpus-tune/core';
import type { Logger, ProgressReporter, RunMetadata } from '@corpus-tune/core';
import type { RecordBatch } from 'apache-arrow';
import { CLASS_NAMES } from './annotations.ts';
import { segmentBatch, segmentSchema } from './arrow-output.ts';
import type { SegmentRow } from './arrow-output.ts';
import { createHashIndex, pruneCache, readEntry, readEntrySamples, writeEntry } from './cache.ts';
import type { CacheEntry } from './cache.ts';
import { discoverRecordings } from './corpus.ts';
import { writeDemoCorpus } from './demo-corpus.ts';
import type { DemoCorpusOptions } from './demo-corpus.ts';
import { effectiveBandHz, resolveOptions, segmentOptionsOf, SPLITS } from './options.ts';
import type { PrepareOptions, SplitName } from './options.ts';
import { montageChannels, processRecording } from './recording.ts';
import { createResampler, resampleRatio } from './resample-poly.ts';
import { assignSplits, selectBalanced } from './splits.ts';

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The modules that decide a recording's segments; only their source goes into the cache key, so an
 * edit to the CLI or the split logic does not reprocess a whole corpus. */
const PROCESSING_MODULES = [
  'edf-reader.ts',
  'annotations.ts',
  'montage.ts',
  'butterworth.ts',
  'sosfiltfilt.ts',
  'resample-poly.ts',
  'segments.ts',
  'recording.ts',
  'cache.ts',
];

function processingVersion(): string {
  return sha256(
    PROCESSING_MODULES.map((m) => `${m}\0${readFileSync(join(PACKAGE_DIR, 'src', m), 'utf8')}`).join('\0'),
  );
}

export interface PrepareRun {
  /** A TUSZ tree; undefined → write and use the demo corpus under `<outDir>/demo-corpus`. */
  root?: string;
  outDir: string;
  options?: Partial<PrepareOptions>;
  /** Process only recordings whose id hashes to `index` mod `count`; the splits are written by `merge`. */
  shard?: { index: number; count: number };
  logger?: Logger;
  /** One counter over the recordings; silent by default, stderr in the CLI. */
  progress?: ProgressReporter;
  /** Size of the demo corpus (tests use a smaller one); ignored when `root` is set. */
  demo?: DemoCorpusOptions;
  /**
   * Where the demo corpus lives when `root` is unset (default `<outDir>/demo-corpus`). The pipeline
   * keeps it outside the outputs (data/demo-corpora/tusz) so Nx hashes it as an input: editing one
   * demo EDF then reruns prepare, which reprocesses only that recording.
   */
  demoRoot?: string;
}

export interface ShardRecording {
  recordingId: string;
  patientId: string;
  folderSplit: SplitName | null;
  key: string;
}

export interface SplitSummary {
  rows: number;
  available: { seiz: number; bckg: number };
}

export interface PrepareSummary {
  demo: boolean;
  recordings: number;
  processed: number;
  reused: number;
  rehashed: number;
  skipped: { file: string; reason: string }[];
  hoursOfEeg: number;
  splits: Partial<Record<SplitName, SplitSummary>>;
}

const stripRoot = (text: string, root: string): string => text.split(`${root}/`).join('');

export async function prepare(run: PrepareRun): Promise<PrepareSummary> {
  const options = resolveOptions(run.options);
  const logger = run.logger ?? silentLogger;
  const demo = run.root === undefined;
  const root = run.root ?? run.demoRoot ?? join(run.outDir, 'demo-corpus');
  if (demo) {
    const { written } = writeDemoCorpus(root, run.demo);
    if (written > 0) logger.info(`tusz-segments: wrote ${written} demo corpus files under ${root}`);
  }
  const { recordings, problems } = discoverRecordings(root);
  const mine = run.shard
    ? recordings.filter((r) => shardOf(r.recordingId, run.shard!.count) === run.shard!.index)
    : recordings;
  const cacheDir = join(run.outDir, '.cache');
  const hashIndex = createHashIndex(
    join(
      cacheDir,
      run.shard ? `file-hashes.${run.shard.index}-of-${run.shard.count}.json` : 'file-hashes.json',
    ),
  );
  const version = processingVersion();
  const segOptions = segmentOptionsOf(options);
  const summary: PrepareSummary = {
    demo,
    recordings: mine.length,
    processed: 0,
    reused: 0,
    rehashed: 0,
    skipped: [],
    hoursOfEeg: 0,
    splits: {},
  };
  if (!run.shard || run.shard.index === 0) summary.skipped.push(...problems);
  const progress = (run.progress ?? silentProgress)({
    label: 'tusz-segments',
    total: mine.length,
    unit: 'recordings',
  });
  const started = performance.now();
  let processedHours = 0;
  const shardRecordings: ShardRecording[] = [];
  for (const r of mine) {
    const edfSha256 = hashIndex.hash(r.edfPath, r.edfRelPath);
    const annotationSha256 = hashIndex.hash(r.annotationPath, r.annotationRelPath);
    const key = sha256(JSON.stringify({ edfSha256, annotationSha256, segOptions, version }));
    let entry = readEntry(cacheDir, r.recordingId, key);
    const base = {
      key,
      recordingId: r.recordingId,
      patientId: r.patientId,
      sessionId: r.sessionId,
      edfRelPath: r.edfRelPath,
      annotationRelPath: r.annotationRelPath,
      edfSha256,
      annotationSha256,
    };
    if (entry) {
      summary.reused++;
    } else {
      try {
        const result = processRecording(r, segOptions);
        entry = {
          ...base,
          status: 'ok',
          sourceSampleRateHz: result.sourceSampleRateHz,
          durationSec: result.durationSec,
          channels: result.channels,
          filterSos: result.filterSos,
          segments: result.windows,
        };
        writeEntry(cacheDir, entry, result.samples);
        processedHours += result.durationSec / 3600;
      } catch (error) {
        // One bad file never stops the corpus: record why and go on. Input errors are cached (same
        // bytes, same verdict); anything else may be transient or a bug, so it is retried next run.
        entry = { ...base, status: 'failed', reason: stripRoot(errorMessage(error), root), segments: [] };
        if (error instanceof InputError) writeEntry(cacheDir, entry, null);
        else
          logger.warn(
            `internal error on ${r.edfRelPath}: ${error instanceof Error ? error.stack : String(error)}`,
          );
      }
      summary.processed++;
    }
    if (entry.status === 'failed')
      summary.skipped.push({ file: r.edfRelPath, reason: entry.reason ?? 'failed' });
    else summary.hoursOfEeg += (entry.durationSec ?? 0) / 3600;
    shardRecordings.push({
      recordingId: r.recordingId,
      patientId: r.patientId,
      folderSplit: r.folderSplit,
      key,
    });
    const elapsedSec = (performance.now() - started) / 1000;
    progress.tick(
      1,
      `${summary.hoursOfEeg.toFixed(2)} h EEG, ${elapsedSec > 0 ? ((processedHours * 3600) / elapsedSec).toFixed(0) : '?'}× real time`,
    );
  }
  progress.done(`${summary.hoursOfEeg.toFixed(2)} h EEG`);
  hashIndex.save();
  summary.rehashed = hashIndex.rehashed();
  for (const s of summary.skipped) logger.warn(`skipped ${s.file}: ${s.reason}`);

  if (run.shard) {
    writeJsonAtomic(join(run.outDir, 'shards', `shard-${run.shard.index}-of-${run.shard.count}.json`), {
      index: run.shard.index,
      count: run.shard.count,
      demo,
      options,
      recordings: shardRecordings,
      skipped: summary.skipped,
    });
    return summary;
  }
  summary.splits = await writeSplits(run.outDir, shardRecordings, summary.skipped, options, demo);
  pruneCache(cacheDir, new Set(shardRecordings.map((r) => `${r.recordingId}.${r.key.slice(0, 16)}`)));
  return summary;
}

/** Combines the outputs of `prepare --shard I/N` for I = 0…N−1 into the split files. */
export async function merge(
  outDir: string,
  count: number,
  logger: Logger = silentLogger,
): Promise<PrepareSummary> {
  const recordings: ShardRecording[] = [];
  const skipped: { file: string; reason: string }[] = [];
  let options: PrepareOptions | undefined;
  let demo = false;
  for (let i = 0; i < count; i++) {
    const path = join(outDir, 'shards', `shard-${i}-of-${count}.json`);
    if (!existsSync(path)) throw new InputError(`shard ${i} of ${count} has not been run (no ${path})`);
    const shard = JSON.parse(readFileSync(path, 'utf8')) as {
      options: PrepareOptions;
      demo: boolean;
      recordings: ShardRecording[];
      skipped: { file: string; reason: string }[];
    };
    if (options && JSON.stringify(options) !== JSON.stringify(shard.options))
      throw new InputError(`shard ${i} was run with different options than shard 0`, { file: path });
    options = shard.options;
    demo = shard.demo;
    recordings.push(...shard.recordings);
    skipped.push(...shard.skipped);
  }
  const others = existsSync(join(outDir, 'shards'))
    ? readdirSync(join(outDir, 'shards')).filter((n) => !n.endsWith(`-of-${count}.json`))
    : [];
  if (others.length > 0) logger.warn(`ignoring shard files of other shard counts: ${others.join(', ')}`);
  recordings.sort((a, b) => (a.recordingId < b.recordingId ? -1 : 1));
  const resolved = resolveOptions(options);
  const splits = await writeSplits(outDir, recordings, skipped, resolved, demo);
  return {
    demo,
    recordings: recordings.length,
    processed: 0,
    reused: recordings.length,
    rehashed: 0,
    skipped,
    hoursOfEeg: 0,
    splits,
  };
}

/**
 * The band-pass sections each source rate was filtered with, as the recordings' cache entries
 * recorded them when they ran (rates whose recordings needed no filtering are absent).
 */
function appliedSosByRate(entries: readonly CacheEntry[]): Record<number, number[][]> {
  const byRate = new Map<number, number[][]>();
  for (const e of entries) {
    if (!e.filterSos) continue;
    const rate = e.sourceSampleRateHz as number;
    const seen = byRate.get(rate);
    if (seen && JSON.stringify(seen) !== JSON.stringify(e.filterSos))
      throw new Error(`recordings at ${rate} Hz were filtered with different designs (${e.edfRelPath})`);
    byRate.set(rate, e.filterSos);
  }
  return Object.fromEntries([...byRate].sort(([a], [b]) => a - b));
}

interface Candidate {
  recordingId: string;
  startSec: number;
  stopSec: number;
  label: 'seiz' | 'bckg';
  index: number;
  entry: CacheEntry;
}

async function writeSplits(
  outDir: string,
  recordings: readonly ShardRecording[],
  skipped: readonly { file: string; reason: string }[],
  options: Readonly<PrepareOptions>,
  demo: boolean,
): Promise<Partial<Record<SplitName, SplitSummary>>> {
  const cacheDir = join(outDir, '.cache');
  const splitOf = assignSplits(recordings, options.counts, options.seed);
  const entries = recordings
    .map((r) => readEntry(cacheDir, r.recordingId, r.key))
    .filter((e): e is CacheEntry => e !== null && e.status === 'ok');
  const channels = montageChannels(options).map((c) => c.name);
  const segmentSamples = Math.round(options.segmentSec * options.targetRateHz);
  const rates = [...new Set(entries.map((e) => e.sourceSampleRateHz as number))].sort((a, b) => a - b);
  const filter = {
    kind: 'butterworth high-pass × low-pass (fili design), zero-phase sosfiltfilt with odd padding and steady-state initial conditions',
    order: options.filterOrder,
    lowCutHz: options.lowCutHz,
    highCutHz: options.highCutHz,
    sosBySourceRateHz: appliedSosByRate(entries),
  };
  const resample = {
    method:
      'polyphase FIR, as scipy.signal.resample_poly (Kaiser β = 5, 20·max(up,down)+1 taps, zero padding)',
    targetRateHz: options.targetRateHz,
    ratiosBySourceRateHz: Object.fromEntries(
      rates.map((r) => {
        const { up, down } = resampleRatio(r, options.targetRateHz);
        return [r, { up, down, taps: createResampler(up, down).taps }];
      }),
    ),
  };
  const rng = createRng(options.seed).fork('selection');
  const out: Partial<Record<SplitName, SplitSummary>> = {};
  for (const split of SPLITS) {
    const splitRng = rng.fork(split);
    const inSplit = entries.filter((e) => splitOf.get(e.recordingId) === split);
    const candidates: Candidate[] = inSplit.flatMap((entry) =>
      entry.segments.map((s, index) => ({ ...s, recordingId: entry.recordingId, index, entry })),
    );
    const chosen = selectBalanced(candidates, options.counts[split], splitRng);
    const inputs: Record<string, string> = {};
    for (const e of inSplit) {
      inputs[e.edfRelPath] = e.edfSha256;
      inputs[e.annotationRelPath] = e.annotationSha256;
    }
    const available = {
      seiz: candidates.filter((c) => c.label === 'seiz').length,
      bckg: candidates.filter((c) => c.label === 'bckg').length,
    };
    const metadata: RunMetadata = {
      stage: STAGE.tuszSegments,
      codeVersion: codeVersion(PACKAGE_DIR),
      seed: options.seed,
      params: { ...options },
      inputs,
      classNames: [...CLASS_NAMES],
      split,
      corpus: demo ? 'demo (synthetic, written by tusz-segments)' : 'TUSZ',
      channels,
      sampleRateHz: options.targetRateHz,
      segmentSec: options.segmentSec,
      filter,
      resample,
      effectiveBandHz: effectiveBandHz(options),
      counts: { requested: options.counts[split], available, selected: chosen.length },
    };
    const schema = segmentSchema(channels.length * segmentSamples, metadata);
    const block = channels.length * segmentSamples;
    const byRecording = new Map<string, Candidate[]>();
    for (const c of chosen) byRecording.set(c.recordingId, [...(byRecording.get(c.recordingId) ?? []), c]);
    function* batches(): Generator<RecordBatch> {
      for (const [, picks] of byRecording) {
        const entry = picks[0].entry;
        const all = readEntrySamples(cacheDir, entry);
        const samples = new Float32Array(picks.length * block);
        const rows: SegmentRow[] = picks.map((p, k) => {
          samples.set(all.subarray(p.index * block, (p.index + 1) * block), k * block);
          return {
            recordingId: entry.recordingId,
            patientId: entry.patientId,
            sessionId: entry.sessionId,
            startSec: p.startSec,
            stopSec: p.stopSec,
            label: p.label,
            sourceSampleRateHz: entry.sourceSampleRateHz as number,
          };
        });
        yield segmentBatch(schema, rows, samples);
      }
    }
    await writeArrowBatches(
      join(outDir, `${split}.arrow`),
      schema,
      byRecording.size > 0 ? batches() : [segmentBatch(schema, [], new Float32Array(0))],
    );
    out[split] = { rows: chosen.length, available };
  }
  writeJsonAtomic(join(outDir, 'summary.json'), { recordings: recordings.length, splits: out, skipped });
  return out;
}
