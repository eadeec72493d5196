// The transcription in data/poster-results.json must equal the poster's own tables, parsed here
// straight from the seed text (tab-separated rows after the "DS\tSystem\tTrain\tDev\tEval" header);
// and which poster row each of our systems is compared with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@corpus-tune/core';
import { CORPORA, loadPosterResults, posterRowFor } from '../src/index.ts';
import type { CorpusId } from '../src/index.ts';

const seedDir = join(workspaceRoot(), '..', 'shared', 'seed');
const seedFiles = existsSync(seedDir) ? readdirSync(seedDir).filter((f) => f.endsWith('.txt')) : [];
const skip = seedFiles.length === 0 ? `shared data absent: no poster text in ${seedDir}` : false;
const seedText = (): string => seedFiles.map((f) => readFileSync(join(seedDir, f), 'utf8')).join('\n');

/** Lines of the first tab-separated table whose header starts with `header`, up to the first blank line. */
function tableAfter(text: string, header: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  assert.ok(start >= 0, `seed has a table headed "${header}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    rows.push(line.split('\t').map((c) => c.trim()));
  }
  return rows;
}

const POSTER_NUMBER_TO_CORPUS: Record<string, string> = {
  '#08': 'ds08',
  '#09': 'ds09',
  '#10': 'ds10',
  '#11': 'tudp',
  '#12': 'tusz',
};

test('the poster results file equals the results table in the seed text', { skip }, () => {
  const rows = tableAfter(seedText(), 'DS\tSystem\tTrain\tDev\tEval');
  const parsed: Record<string, { system: string; train: number; dev: number; eval: number }[]> = {};
  let corpus = '';
  for (const [ds, system, train, dev, evalPct] of rows) {
    if (ds) corpus = POSTER_NUMBER_TO_CORPUS[ds];
    (parsed[corpus] ??= []).push({ system, train: Number(train), dev: Number(dev), eval: Number(evalPct) });
  }
  const poster = loadPosterResults();
  assert.deepEqual(Object.keys(parsed), [...CORPORA]);
  for (const corpus of CORPORA) {
    assert.deepEqual(poster.corpora[corpus].results, parsed[corpus], `results of ${corpus}`);
    assert.equal(
      poster.corpora[corpus].poster,
      Object.entries(POSTER_NUMBER_TO_CORPUS).find(([, c]) => c === corpus)?.[0],
    );
  }
});

test('the poster dataset sizes equal the seed distribution table', { skip }, () => {
  const rows = tableAfter(seedText(), '#\tDescription\tNo. Classes\tTrain\tDev\tEval');
  const poster = loadPosterResults();
  for (const [number, description, classes, train, dev, evalN] of rows) {
    const c = poster.corpora[POSTER_NUMBER_TO_CORPUS[`#${number}`] as (typeof CORPORA)[number]];
    const n = (s: string): number => Number(s.replace(/,/g, ''));
    assert.deepEqual(
      { description: c.description, classes: c.classes, sizes: c.sizes },
      { description, classes: Number(classes), sizes: { train: n(train), dev: n(dev), eval: n(evalN) } },
      `sizes of #${number}`,
    );
  }
});

test('the layout tables for #10 and #11 equal the seed text, cell by cell', { skip }, () => {
  const text = seedText();
  const poster = loadPosterResults();
  for (const [corpus, header] of [
    ['ds10', 'Layout\tMLP-M1 (PyTorch)'],
    ['tudp', 'Layout\tManual (PyTorch)'],
  ] as const) {
    const headerLine = text.split('\n').find((l) => l.startsWith(header)) ?? '';
    const layout = poster.layouts[corpus];
    assert.ok(layout, `layout for ${corpus}`);
    assert.deepEqual(
      layout.columns,
      headerLine
        .split('\t')
        .slice(1)
        .map((c) => c.trim()),
    );
    const rows = tableAfter(text, header).map(([layer, ...cells]) => ({ layer, cells }));
    assert.deepEqual(layout.rows, rows, `layout rows of ${corpus}`);
  }
});

test("the EEG preprocessing in the poster file is the poster's (0.5–35 Hz, 50 Hz)", { skip }, () => {
  const text = seedText();
  const { bandpassHz, sampleRateHz } = loadPosterResults().preprocessing.tusz;
  assert.match(text, new RegExp(`within the range ${bandpassHz[0]} – ${bandpassHz[1]} Hz`));
  assert.match(text, new RegExp(`downsampled to ${sampleRateHz} Hz`));
});

// Which poster row each of our systems sits next to (posterRowFor), table-driven.
const CASES: [string, CorpusId, { system: string; kind?: string; origin?: string }, string | null][] = [
  ['KNN by kind', 'ds08', { system: 'knn', kind: 'knn', origin: 'baseline' }, 'KNN'],
  ["random forest is the poster's RNF", 'ds09', { system: 'rf', kind: 'rf', origin: 'baseline' }, 'RNF'],
  ['numbered manual MLP on #10', 'ds10', { system: 'mlp-m2', kind: 'mlp', origin: 'manual' }, 'MLP-M2'],
  [
    'numbered manual MLP where the poster has one MLP-M',
    'ds08',
    { system: 'mlp-m1', kind: 'mlp', origin: 'manual' },
    'MLP-M',
  ],
  [
    "a tuner pick on #09 is the poster's MLP-A",
    'ds09',
    { system: 'mlp-a-keras-tuner', kind: 'mlp', origin: 'autotuned' },
    'MLP-A',
  ],
  [
    'a tuner pick on #10 has no single poster row',
    'ds10',
    { system: 'mlp-a-ours', kind: 'mlp', origin: 'autotuned' },
    null,
  ],
  ['MLP-A1 layout on #10', 'ds10', { system: 'mlp-a1', kind: 'mlp', origin: 'autotuned' }, 'MLP-A1'],
  ['manual CNN on #11', 'tudp', { system: 'cnn-m', kind: 'cnn', origin: 'manual' }, 'Manual'],
  [
    'auto CNN on #11, whatever its origin says',
    'tudp',
    { system: 'cnn-a', kind: 'cnn', origin: 'manual' },
    'Auto',
  ],
  [
    "the hybrid on #12 is the poster's manual model",
    'tusz',
    { system: 'cnn-lstm', kind: 'cnn-lstm', origin: 'manual' },
    'Manual',
  ],
  ["the LSTM on #12 is the poster's auto model", 'tusz', { system: 'lstm', kind: 'lstm' }, 'Auto'],
  ['a tuner pick on #12', 'tusz', { system: 'lstm-a-ours', kind: 'lstm', origin: 'autotuned' }, 'Auto'],
  ['KNN on a corpus the poster ran no KNN on', 'tusz', { system: 'knn', kind: 'knn' }, null],
];

for (const [name, corpus, metrics, expected] of CASES) {
  test(`poster row: ${name}`, () => {
    assert.equal(posterRowFor(metrics, loadPosterResults().corpora[corpus].results), expected);
  });
}
