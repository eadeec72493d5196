import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPosterResults, posterRowFor } from '../src/index.ts';
import type { CorpusId } from '../src/index.ts';

const poster = loadPosterResults();

const CASES: [string, CorpusId, { system: string; kind?: string; origin?: string }, string | null][] = [
  ['KNN by kind', 'ds08', { system: 'knn', kind: 'knn', origin: 'baseline' }, 'KNN'],
  ['random forest is the poster\'s RNF', 'ds09', { system: 'rf', kind: 'rf', origin: 'baseline' }, 'RNF'],
  ['numbered manual MLP on #10', 'ds10', { system: 'mlp-m2', kind: 'mlp', origin: 'manual' }, 'MLP-M2'],
  ['numbered manual MLP where the poster has one MLP-M', 'ds08', { system: 'mlp-m1', kind: 'mlp', origin: 'manual' }, 'MLP-M'],
  ['a tuner pick on #09 is the poster\'s MLP-A', 'ds09', { system: 'mlp-a-keras-tuner', kind: 'mlp', origin: 'autotuned' }, 'MLP-A'],
  ['a tuner pick on #10 has no single poster row', 'ds10', { system: 'mlp-a-ours', kind: 'mlp', origin: 'autotuned' }, null],
  ['MLP-A1 layout on #10', 'ds10', { system: 'mlp-a1', kind: 'mlp', origin: 'autotuned' }, 'MLP-A1'],
  ['manual CNN on #11', 'tudp', { system: 'cnn-m', kind: 'cnn', origin: 'manual' }, 'Manual'],
  ['auto CNN on #11, whatever its origin says', 'tudp', { system: 'cnn-a', kind: 'cnn', origin: 'manual' }, 'Auto'],
  ['the hybrid on #12 is the poster\'s manual model', 'tusz', { system: 'cnn-lstm', kind: 'cnn-lstm', origin: 'manual' }, 'Manual'],
  ['the LSTM on #12 is the poster\'s auto model', 'tusz', { system: 'lstm', kind: 'lstm' }, 'Auto'],
  ['a tuner pick on #12', 'tusz', { system: 'lstm-a-ours', kind: 'lstm', origin: 'autotuned' }, 'Auto'],
  ['KNN on a corpus the poster ran no KNN on', 'tusz', { system: 'knn', kind: 'knn' }, null],
];

for (const [name, corpus, metrics, expected] of CASES) {
  test(`poster row: ${name}`, () => {
    assert.equal(posterRowFor(metrics, poster.corpora[corpus].results), expected);
  });
}
