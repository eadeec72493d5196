// The pipeline stage with IMLD_ROOT: real sets imported (values, hashes, source), absent or incomplete
// sets generated from their recipe with the reason, malformed CSVs named with file and line and
// leaving the previous outputs untouched, and reuse keyed on the CSVs' content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus, prepareCorpora, readPointsArrow } from '../src/index.ts';

const FAST = { scale: 0.002, bayesDraws: 200 };

function workspace(): { root: string; imld: string; out: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'imld-root-'));
  return {
    root,
    imld: join(root, 'imld'),
    out: join(root, 'out'),
    done: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** label,x,y rows written the way IMLD's course files are (six decimals). */
function rows(n: number, offset: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = ((i * 37 + offset) % 200) / 100 - 1;
    const y = ((i * 53 + 2 * offset) % 200) / 100 - 1;
    lines.push(`${i % 2},${x.toFixed(6)},${y.toFixed(6)}`);
  }
  return `${lines.join('\n')}\n`;
}

function writeSet(dir: string, splits: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(splits)) writeFileSync(join(dir, `${name}.csv`), text);
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

test('a complete set_10 is imported as is; ds08 and ds09, absent, are generated from their recipes', () => {
  const w = workspace();
  try {
    const csv = { train: rows(40, 1), dev: rows(20, 2), eval: rows(30, 3) };
    writeSet(join(w.imld, 'set_10'), csv);
    const prepared = prepareCorpora(w.out, { imldRoot: w.imld, ...FAST });
    assert.deepEqual(
      prepared.map((p) => [p.corpus, p.status]),
      [
        ['ds08', 'generated'],
        ['ds09', 'generated'],
        ['ds10', 'imported'],
      ],
    );
    assert.match(
      prepared[0].sourceLine,
      /ds08 generated from recipe ds08\.json \(seed 8.*no set_08 or ds08 folder/,
    );
    assert.match(
      prepared[2].sourceLine,
      new RegExp(`real IMLD set_10 \\(train\\.csv ${sha(csv.train).slice(0, 12)}`),
    );

    const read = readPointsArrow(join(w.out, 'ds10', 'eval.arrow'));
    const expected = csv.eval
      .trim()
      .split('\n')
      .map((l) => l.split(',').map(Number));
    assert.deepEqual(
      Array.from(read.label),
      expected.map((r) => r[0]),
    );
    assert.deepEqual(
      Array.from(read.x),
      expected.map((r) => Math.fround(r[1])),
    );
    assert.deepEqual(
      Array.from(read.y),
      expected.map((r) => Math.fround(r[2])),
    );
    assert.equal(read.metadata.bayesError, null, 'no generator, so no generator Bayes error');
    assert.deepEqual(read.metadata.inputs, { 'set_10/eval.csv': sha(csv.eval) });
    const source = (read.metadata.params as { source: { kind: string; files: Record<string, string> } })
      .source;
    assert.equal(source.kind, 'imld-csv');
    assert.equal(source.files['train.csv'], sha(csv.train));
    const manifest = JSON.parse(readFileSync(join(w.out, 'ds10', 'manifest.json'), 'utf8'));
    assert.equal(manifest.source.set, 'set_10');
  } finally {
    w.done();
  }
});

test('a set folder named ds09 is accepted; a set missing a split is generated, saying which split', () => {
  const w = workspace();
  try {
    writeSet(join(w.imld, 'ds09'), { train: rows(10, 1), dev: rows(10, 2), eval: rows(10, 3) });
    writeSet(join(w.imld, 'set_08'), { train: rows(10, 1), dev: rows(10, 2) });
    const prepared = prepareCorpora(w.out, { imldRoot: w.imld, corpora: ['ds08', 'ds09'], ...FAST });
    assert.deepEqual(
      prepared.map((p) => p.status),
      ['generated', 'imported'],
    );
    assert.match(prepared[0].sourceLine, /set_08 lacks eval\.csv/);
  } finally {
    w.done();
  }
});

test('a malformed CSV stops with file and line, and the earlier outputs stay as they were', () => {
  const w = workspace();
  try {
    const good = { train: rows(10, 1), dev: rows(10, 2), eval: rows(10, 3) };
    writeSet(join(w.imld, 'set_10'), good);
    prepareCorpora(w.out, { imldRoot: w.imld, corpora: ['ds10'], ...FAST });
    const before = ['train', 'dev', 'eval', 'manifest'].map((s) =>
      readFileSync(join(w.out, 'ds10', s === 'manifest' ? 'manifest.json' : `${s}.arrow`)),
    );
    // The first two splits are fine and changed, the third is broken on its line 3.
    writeSet(join(w.imld, 'set_10'), {
      train: rows(12, 5),
      dev: rows(12, 6),
      eval: '0,0.1,0.2\n1,0.3,0.4\n1,zero,0.5\n',
    });
    assert.throws(
      () => prepareCorpora(w.out, { imldRoot: w.imld, corpora: ['ds10'], ...FAST }),
      (e: Error) => /set_10\/eval\.csv/.test(e.message) && /line 3/.test(e.message),
    );
    const after = ['train', 'dev', 'eval', 'manifest'].map((s) =>
      readFileSync(join(w.out, 'ds10', s === 'manifest' ? 'manifest.json' : `${s}.arrow`)),
    );
    after.forEach((b, i) => assert.ok(b.equals(before[i]), 'outputs untouched'));
  } finally {
    w.done();
  }
});

test('an unchanged set is reused; a changed CSV reimports that set only', () => {
  const w = workspace();
  try {
    writeSet(join(w.imld, 'set_09'), { train: rows(10, 1), dev: rows(10, 2), eval: rows(10, 3) });
    writeSet(join(w.imld, 'set_10'), { train: rows(10, 1), dev: rows(10, 2), eval: rows(10, 3) });
    const opts = { imldRoot: w.imld, corpora: ['ds09', 'ds10'], ...FAST };
    prepareCorpora(w.out, opts);
    assert.deepEqual(
      prepareCorpora(w.out, opts).map((p) => p.status),
      ['reused', 'reused'],
    );
    writeFileSync(join(w.imld, 'set_10', 'dev.csv'), rows(11, 2));
    assert.deepEqual(
      prepareCorpora(w.out, opts).map((p) => p.status),
      ['reused', 'imported'],
    );
  } finally {
    w.done();
  }
});

test('without an IMLD root every set is generated, exactly as generate --all writes it', () => {
  const w = workspace();
  try {
    const prepared = prepareCorpora(w.out, { corpora: ['ds10'], ...FAST });
    assert.equal(prepared[0].status, 'generated');
    assert.doesNotMatch(prepared[0].sourceLine, /IMLD_ROOT/);
    generateCorpus('ds10', join(w.root, 'generated'), FAST);
    for (const s of ['train', 'dev', 'eval'])
      assert.ok(
        readFileSync(join(w.out, 'ds10', `${s}.arrow`)).equals(
          readFileSync(join(w.root, 'generated', 'ds10', `${s}.arrow`)),
        ),
        `${s}.arrow identical`,
      );
  } finally {
    w.done();
  }
});
