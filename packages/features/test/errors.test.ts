import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, memoryLogger } from '@corpus-tune/core';
import { prepareFeatures, readFeatureSplit, resolveEegOptions } from '../src/index.ts';
import {
  randomSegments,
  tempDataRoot,
  writeImld,
  writeImldSplit,
  writeTudpSplit,
  writeTusz,
  writeTuszSplit,
} from './fixtures.ts';

/** Runs prepare on one corpus and returns its failure message (prepare reports, the CLI exits 1). */
async function failureOf(root: string, corpus: 'tusz' | 'ds08' | 'tudp'): Promise<string> {
  const logger = memoryLogger();
  const [report] = await prepareFeatures({ dataRoot: root, corpora: [corpus], logger });
  assert.equal(report.status, 'failed', `expected ${corpus} to fail, got ${report.status}`);
  assert.ok(logger.lines.some((l) => l.startsWith(`warning: features ${corpus}: failed:`)));
  return report.reason;
}

test('a missing column is named with the file and the columns there are', async () => {
  const root = tempDataRoot();
  writeTusz(root);
  const dev = join(root, 'tusz-segments', 'dev.arrow');
  writeTuszSplit(dev, randomSegments(2, 5), { dropColumn: 'samples' });
  const reason = await failureOf(root, 'tusz');
  assert.ok(reason.startsWith(`${dev}: missing column "samples" (columns: recordingId, patientId`), reason);
  assert.ok(!existsSync(join(root, 'features', 'tusz', 'train.arrow')), 'nothing half-written is left');
});

test('a wrong list size is named with the file, the size and the expected size', async () => {
  const root = tempDataRoot();
  writeTusz(root);
  const train = join(root, 'tusz-segments', 'train.arrow');
  writeTuszSplit(train, { samples: new Float32Array(2 * 20 * 400), labels: [0, 1] }, { listSize: 20 * 400 });
  assert.equal(
    await failureOf(root, 'tusz'),
    `${train}: column "samples" has list size 8000, expected 10000`,
  );
});

test('NaN samples are named with file, row and channel', async () => {
  const root = tempDataRoot();
  writeTusz(root);
  const evalPath = join(root, 'tusz-segments', 'eval.arrow');
  const bad = randomSegments(3, 9);
  bad.samples[2 * 10000 + 3 * 500 + 17] = Number.NaN;
  writeTuszSplit(evalPath, bad);
  assert.equal(
    await failureOf(root, 'tusz'),
    `${evalPath}: column "samples" row 2 channel 3 holds NaN (not finite)`,
  );
});

test('metadata lacking the segment layout is an input error', async () => {
  const root = tempDataRoot();
  writeTusz(root);
  const train = join(root, 'tusz-segments', 'train.arrow');
  writeTuszSplit(train, randomSegments(2, 5), { metadata: { sampleRateHz: undefined } });
  assert.match(
    await failureOf(root, 'tusz'),
    /train\.arrow: metadata "sampleRateHz" must be a positive number/,
  );
});

test('synthetic: NaN and a missing column are named', async () => {
  const root = tempDataRoot();
  writeImld(root, 'ds08', 1);
  const dev = join(root, 'imld-gen', 'ds08', 'dev.arrow');
  writeImldSplit(dev, [1, Number.NaN], [2, 3], [0, 1]);
  assert.equal(await failureOf(root, 'ds08'), `${dev}: row 1 has a non-finite x (NaN)`);
  writeImldSplit(dev, [1, 2], [2, 3], [0, 1], 'label');
  assert.match(await failureOf(root, 'ds08'), /dev\.arrow: missing column "label" \(columns: x, y\)/);
});

test('an undecodable patch is named with file and row', async () => {
  const root = tempDataRoot();
  const good = join(root, 'tudp-patches');
  for (const split of ['train', 'dev', 'eval']) {
    await writeTudpSplit(join(good, `${split}.arrow`), [new Uint8Array([1, 2, 3, 4])], [0]);
  }
  assert.match(await failureOf(root, 'tudp'), /train\.arrow: column "image" row 0 is not a decodable image/);
});

test('a file that is not Arrow is named', async () => {
  const root = tempDataRoot();
  writeTusz(root);
  const dev = join(root, 'tusz-segments', 'dev.arrow');
  writeFileSync(dev, 'not arrow at all');
  assert.match(
    await failureOf(root, 'tusz'),
    new RegExp(`^${dev.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a readable Arrow IPC file`),
  );
});

test('bad options fail before any work, naming the option', async () => {
  await assert.rejects(
    prepareFeatures({ dataRoot: tempDataRoot(), eeg: { kind: 'mfcc' as never } }),
    (e: unknown) => e instanceof InputError && /eeg kind "mfcc" is not one of: raw, spectral/.test(e.message),
  );
  assert.throws(() => resolveEegOptions({ fftSize: 12 }), /fftSize 12 must be 0 \(auto\) or a power of two/);
  await assert.rejects(
    prepareFeatures({ dataRoot: tempDataRoot(), corpora: ['ds11' as never] }),
    /unknown corpus "ds11"/,
  );
});

test('reading something that is not a features split is an input error', async () => {
  const root = tempDataRoot();
  writeTusz(root);
  assert.throws(
    () => readFeatureSplit(join(root, 'tusz-segments', 'train.arrow')),
    (e: unknown) => e instanceof InputError && /not a features split/.test(e.message),
  );
});

test('a label that is not a class code is named with file and row', async () => {
  const root = tempDataRoot();
  writeTusz(root);
  const dev = join(root, 'tusz-segments', 'dev.arrow');
  writeTuszSplit(dev, { samples: randomSegments(3, 4).samples, labels: [0, 1, 5] });
  assert.equal(await failureOf(root, 'tusz'), `${dev}: column "label" row 2 holds 5, not a class code (0…1)`);
});
