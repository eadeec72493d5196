// The source line of every corpus comes from what the producer wrote: imld-gen's real import and
// recipe outputs (made here by imld-gen itself), and the prepare stages' split metadata for #11/#12.
// The overview names the stand-ins, and says nothing when every corpus is real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTable } from 'apache-arrow';
import { withMetadata, writeArrowFile, writeJsonAtomic } from '@corpus-tune/core';
import type { RunMetadata } from '@corpus-tune/core';
import { prepareCorpora } from '@corpus-tune/imld-gen';
import { collectInputs, loadPosterResults } from '../src/index.ts';
import { reportJson } from '../src/tables.ts';
import { renderMarkdown } from '../src/markdown.ts';

const csv = (n: number, shift: number): string =>
  Array.from(
    { length: n },
    (_, i) => `${i % 2},${((i * 0.37 + shift) % 2) - 1},${((i * 0.53) % 2) - 1}`,
  ).join('\n');

function writeSplitMetadata(path: string, metadata: RunMetadata): void {
  writeArrowFile(path, withMetadata(makeTable({ label: new Int8Array([0, 1]) }), metadata));
}

const tuszMeta = (corpus: string, selected: number, edfs: string[]): RunMetadata => ({
  stage: 'tusz-segments',
  codeVersion: 'x',
  params: {},
  inputs: Object.fromEntries(
    edfs.flatMap((f) => [
      [f, 'a'],
      [f.replace('.edf', '.csv_bi'), 'b'],
    ]),
  ),
  corpus,
  counts: { requested: selected, available: { seiz: 9, bckg: 9 }, selected },
});

const tudpMeta = (corpus: 'demo' | 'tudp', slides: string[], taken: [number, number]): RunMetadata => ({
  stage: 'tudp-patches',
  codeVersion: 'x',
  params: { corpus },
  inputs: {},
  slides,
  patients: slides.map((s) => s.split('_')[0]),
  perClass: {
    indc: { wanted: 9, available: 9, taken: taken[0] },
    dcis: { wanted: 9, available: 9, taken: taken[1] },
  },
});

async function sources(real: boolean) {
  const root = mkdtempSync(join(tmpdir(), 'report-source-'));
  try {
    const dataDir = join(root, 'data');
    const imld = join(root, 'imld', 'set_10');
    mkdirSync(imld, { recursive: true });
    const text = { train: csv(30, 0.1), dev: csv(20, 0.2), eval: csv(20, 0.3) };
    for (const [s, t] of Object.entries(text)) writeFileSync(join(imld, `${s}.csv`), t);
    prepareCorpora(join(dataDir, 'imld-gen'), {
      imldRoot: join(root, 'imld'),
      corpora: ['ds09', 'ds10'],
      scale: 0.001,
      bayesDraws: 100,
    });
    const splits = ['train', 'dev', 'eval'] as const;
    splits.forEach((s, i) => {
      writeSplitMetadata(
        join(dataDir, 'tusz-segments', `${s}.arrow`),
        tuszMeta(real ? 'TUSZ' : 'demo (synthetic, written by tusz-segments)', 10 + i, [
          `p${i}/r1.edf`,
          `p${i}/r2.edf`,
        ]),
      );
      writeSplitMetadata(
        join(dataDir, 'tudp-patches', `${s}.arrow`),
        tudpMeta(real ? 'tudp' : 'demo', [`pa${i}_s1`, `pa${i}_s2`], [5 + i, 6]),
      );
    });
    for (const corpus of ['ds09', 'ds10', 'tusz', 'tudp'])
      writeJsonAtomic(join(dataDir, 'train', corpus, 'knn', 'metrics.json'), {
        corpus,
        system: 'knn',
        kind: 'knn',
        origin: 'baseline',
        errors: { train: { rate: 0.1 }, dev: { rate: 0.2 }, eval: { rate: 0.3 } },
      });
    const collected = await collectInputs(dataDir, ['ds09', 'ds10', 'tusz', 'tudp']);
    const report = reportJson(collected, loadPosterResults(), 'test');
    const sha = createHash('sha256').update(text.train).digest('hex').slice(0, 12);
    return { report, sha, markdown: renderMarkdown(report) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('each corpus says what it was computed on, from the producers own metadata', async () => {
  const { report, sha } = await sources(false);
  const by = Object.fromEntries(report.corpora.map((c) => [c.corpus, c.source]));
  assert.equal(by.ds10.kind, 'imld-csv');
  assert.equal(by.ds10.standIn, false);
  assert.match(
    by.ds10.line,
    new RegExp(`^real IMLD CSVs set_10 \\(train\\.csv ${sha}, dev\\.csv [0-9a-f]{12}`),
  );
  const ds10Notes = report.corpora.find((c) => c.corpus === 'ds10')?.notes ?? [];
  assert.ok(
    ds10Notes.includes('no Bayes boundary: real IMLD data has no generating densities'),
    ds10Notes.join('; '),
  );
  assert.equal(by.ds09.kind, 'recipe');
  assert.match(by.ds09.line, /regenerated from recipe ds09 \(seed 9\)/);
  assert.equal(by.tusz.kind, 'demo');
  assert.equal(
    by.tusz.line,
    'synthetic demo EEG written by tusz-segments: 6 recordings; segments train / dev / eval 10 / 11 / 12',
  );
  assert.equal(by.tudp.kind, 'demo');
  assert.equal(
    by.tudp.line,
    'synthetic demo slides written by tudp-patches: 6 slides of 3 patients; patches train / dev / eval 11 / 12 / 13',
  );
});

test('the overview names the stand-ins only when there are some', async () => {
  const demo = await sources(false);
  assert.deepEqual(demo.report.standIns, ['ds09', 'tusz', 'tudp']);
  assert.match(
    demo.markdown,
    /> \*\*Not comparable to the poster:\*\* #09 ds09, #12 tusz, #11 tudp: synthetic stand-ins/,
  );
  assert.match(
    demo.markdown,
    /\*\*Computed on:\*\* synthetic demo EEG written by tusz-segments.* — not comparable to the poster\./,
  );
  const real = await sources(true);
  assert.deepEqual(real.report.standIns, ['ds09'], 'the regenerated ds09 is still a stand-in');
  assert.match(real.markdown, /\*\*Computed on:\*\* real TUSZ root: 6 recordings/);
  assert.doesNotMatch(real.markdown, /real TUSZ root[^\n]*not comparable/);
});
