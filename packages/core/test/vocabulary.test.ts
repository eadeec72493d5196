import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPORA, SPLITS, STAGES, TWO_D_CORPORA, isTwoDCorpus, workspaceRoot } from '../src/index.ts';

// The data contract (docs/conventions.md, "Data between stages") is the independent record of the names.
const conventions = readFileSync(join(workspaceRoot(), 'docs', 'conventions.md'), 'utf8');
const contractRows = conventions
  .split('\n')
  .filter((l) => /^\| [a-z-]+ +\| `/.test(l))
  .map((l) => l.split('|').map((c) => c.trim()));

test('stage folders are the stages of the data contract', () => {
  const documented = contractRows.map((r) => r[1]);
  assert.deepEqual(documented, [...STAGES]);
  for (const [, stage, path] of contractRows) assert.ok(path.startsWith(`\`${stage}/`), `${stage}: ${path}`);
});

test('corpus ids and split names are the ones the features row of the contract lists', () => {
  const features = contractRows.find((r) => r[1] === 'features');
  assert.ok(features, 'features row in docs/conventions.md');
  assert.match(features[2], new RegExp(`\\{${SPLITS.join(',')}\\}\\.arrow`));
  assert.match(features[2], new RegExp(`corpus: ${CORPORA.join(', ')}\\)`));
  assert.deepEqual(
    CORPORA.filter((c) => isTwoDCorpus(c)),
    [...TWO_D_CORPORA],
  );
  assert.equal(isTwoDCorpus('tusz'), false);
});
