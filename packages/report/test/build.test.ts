// The report built from fixture outputs: every number in report.json and the HTML equals the fixture
// metrics and the poster file, missing corpora and systems say "not run", a broken file is a note,
// the HTML is self-contained and renders in headless Chromium (a screenshot is written to
// <workspace>/tmp/report-screenshot.png), and two builds are byte-identical.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { silentLogger, workspaceRoot } from '@corpus-tune/core';
import { buildReport, loadPosterResults } from '../src/index.ts';
import type { BuildResult, CorpusReport, ReportJson } from '../src/index.ts';
import { chromiumMissing, openPage } from './chromium.ts';
import { writeFixture } from './fixtures.ts';
import type { Fixture } from './fixtures.ts';

const quiet = { progress: () => ({ tick: () => silentLogger.info(''), done: () => silentLogger.info('') }) };
let fixture: Fixture;
let built: BuildResult;
let html: string;
const missing = chromiumMissing();
if (missing) process.stderr.write(`report browser test skipped: ${missing}\n`);

before(async () => {
  fixture = writeFixture(mkdtempSync(join(tmpdir(), 'ct-report-')));
  built = await buildReport({ dataDir: fixture.dataDir, ...quiet });
  html = readFileSync(built.files.html, 'utf8');
});

const corpus = (id: string): CorpusReport => {
  const c = built.report.corpora.find((x) => x.corpus === id);
  assert.ok(c, `corpus ${id} in report.json`);
  return c;
};

/** The text of the HTML table cell carrying `data-cell="key"`. */
function cellText(key: string): string {
  const m = new RegExp(`<td[^>]*data-cell="${key.replace(/[/.-]/g, (c) => `\\${c}`)}"[^>]*>(.*?)</td>`).exec(
    html,
  );
  assert.ok(m, `HTML has a cell ${key}`);
  return m[1]
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

test('writes index.html, report.md and report.json into <data>/report and nothing else', () => {
  assert.deepEqual(readdirSync(join(fixture.dataDir, 'report')).sort(), [
    'index.html',
    'report.json',
    'report.md',
  ]);
  assert.deepEqual(JSON.parse(readFileSync(built.files.json, 'utf8')), built.report);
});

test('our error rates in report.json and the HTML cells equal the fixture metrics, in percent with the interval', () => {
  for (const [key, m] of Object.entries(fixture.metrics)) {
    const [corpusId, system] = key.split('/');
    const row = corpus(corpusId).results.find((r) => r.system === system);
    assert.ok(row, `row for ${key}`);
    for (const split of ['train', 'dev', 'eval'] as const) {
      assert.deepEqual(row.ours[split], m.errors[split], `${key} ${split} in report.json`);
      const e = m.errors[split];
      const expected = `${(e.rate * 100).toFixed(2)} [${(e.lower95 * 100).toFixed(2)}, ${(e.upper95 * 100).toFixed(2)}]`;
      assert.equal(cellText(`${corpusId}/${system}/${split}`), expected, `${key} ${split} in the HTML`);
    }
  }
});

test("each of our systems sits next to its poster row with the poster's numbers", () => {
  const poster = loadPosterResults();
  const expected: Record<string, string | null> = {
    knn: 'KNN',
    rf: 'RNF',
    'mlp-m1': 'MLP-M1',
    'mlp-a1': 'MLP-A1',
    'mlp-a-ours': null,
  };
  for (const [system, posterSystem] of Object.entries(expected)) {
    const row = corpus('ds10').results.find((r) => r.system === system);
    assert.equal(row?.posterSystem, posterSystem, system);
    const p = poster.corpora.ds10.results.find((r) => r.system === posterSystem);
    assert.deepEqual(
      row?.posterPercent,
      p ? { train: p.train, dev: p.dev, eval: p.eval } : { train: null, dev: null, eval: null },
    );
  }
  const tusz = corpus('tusz').results.find((r) => r.system === 'cnn-lstm');
  assert.equal(tusz?.posterSystem, 'Manual');
  assert.equal(tusz?.posterPercent.eval, 36.08);
  assert.match(
    html,
    /<td class="num poster">36\.08<span class="verdict ok" title="reproduced">✓<\/span><\/td>/,
  );
});

test('each poster cell we have gets a verdict, and the overview counts them per corpus', () => {
  const ds10 = corpus('ds10');
  const verdicts = (id: string) => ds10.results.find((r) => r.id === id)?.verdicts;
  // The fixture's MLP-M1 is the poster's row to the digit; the tuner pick has no poster row.
  assert.deepEqual(
    Object.values(verdicts('mlp-m1') ?? {}).map((v) => v?.reproduced),
    [true, true, true],
  );
  assert.deepEqual(verdicts('mlp-a-ours'), { train: null, dev: null, eval: null });
  // The closed-loop BER row sits beside the poster's BER: 11.70 dev is the poster's, 13.74 eval too.
  const compared = ds10.results.flatMap((r) => Object.values(r.verdicts)).filter((v) => v !== null);
  assert.equal(ds10.reproduction.compared, compared.length);
  assert.equal(ds10.reproduction.reproduced, compared.filter((v) => v.reproduced).length);
  assert.ok(ds10.reproduction.compared >= 12, 'KNN, RNF, MLP-M1, MLP-A1 and the BER row');
  assert.match(
    html,
    new RegExp(`data-reproduced="ds10">${ds10.reproduction.reproduced} / ${ds10.reproduction.compared}<`),
  );
});

test('the overview picks, per group, the system with the lowest dev error and shows its eval error', () => {
  const h = corpus('ds10').headline;
  assert.deepEqual(
    [h.manual?.system, h.autotuned.ours?.system, h.autotuned['keras-tuner']],
    ['mlp-m1', 'mlp-a-ours', null],
  );
  assert.equal(h.manual?.evalRate, fixture.metrics['ds10/mlp-m1'].errors.eval.rate);
  assert.equal(h.manual?.posterEvalPercent, 32.8);
  // The poster's own picks by dev: MLP-M1 (38.52 < 40.88) and MLP-A1 (26.95 < 40.11, eval 42.07).
  assert.deepEqual(
    [h.posterManual?.system, h.posterAutotuned?.system, h.posterAutotuned?.eval],
    ['MLP-M1', 'MLP-A1', 42.07],
  );
  assert.deepEqual(
    [corpus('tudp').headline.posterManual?.eval, corpus('tudp').headline.posterAutotuned?.eval],
    [20.88, 41.55],
  );
  assert.equal(corpus('tusz').headline.manual?.system, 'cnn-lstm');
});

test("the Bayes rows come from bayes.json, the closed-loop one beside the poster's BER", () => {
  const rows = corpus('ds10').results.filter((r) => r.kind === 'bayes');
  assert.deepEqual(
    rows.map((r) => r.id),
    ['bayes-closed-loop', 'bayes-generator', 'bayes-cover-hart'],
  );
  assert.deepEqual(rows[0].ours.dev, { rate: 0.117 });
  assert.equal(rows[0].posterSystem, 'BER');
  assert.equal(rows[0].posterPercent.eval, 13.74);
  assert.equal(
    cellText('ds10/bayes-generator/eval'),
    '13.77 [13.71, 13.83]',
    'the generator estimate shows its Monte Carlo interval',
  );
});

test('missing corpora, poster rows and protocols are visible "not run" rows, never a crash', () => {
  for (const id of ['ds08', 'tudp']) {
    const c = corpus(id);
    assert.equal(c.status, 'not run');
    assert.ok(
      c.results.every((r) => r.status === 'not run'),
      `${id}: every row not run`,
    );
    assert.ok(c.results.length >= loadPosterResults().corpora[c.corpus].results.length - 1);
  }
  const ds10 = corpus('ds10').results;
  assert.deepEqual(
    ds10.filter((r) => r.status === 'not run').map((r) => r.id),
    ['missing-MLP-M2', 'missing-MLP-A2', 'missing-protocol-keras-tuner'],
  );
  assert.equal(cellText('ds10/missing-MLP-M2/dev'), '—');
  assert.match(html, /<section class="corpus" id="ds08">[\s\S]*?<span class="badge notrun">not run<\/span>/);
  assert.match(html, /not run: no tune\/tudp\/&lt;protocol&gt;\/trials\.json/);
});

test('an unreadable metrics.json becomes a note naming the file; the rest of the corpus goes on', () => {
  const ds09 = corpus('ds09');
  assert.equal(ds09.failures.length, 1);
  assert.equal(ds09.failures[0].file, join('train', 'ds09', 'mlp-m1', 'metrics.json'));
  assert.match(html, /train\/ds09\/mlp-m1\/metrics\.json<\/code>: /);
  assert.equal(ds09.results.find((r) => r.posterSystem === 'KNN')?.status, 'not run');
});

test('trial history: every trial with its dev error, failed trials with their reasons', () => {
  const tuning = corpus('ds10').tuning;
  assert.deepEqual(
    tuning.map((s) => s.protocol),
    ['keras-tuner', 'ours'],
  );
  const ours = tuning[1];
  assert.deepEqual(
    ours.trials.map((t) => [t.number, t.state, t.devError]),
    fixture.trials.ours.map((t) => {
      const r = t as { number: number; state: string; devError: number | null };
      return [r.number, r.state, r.devError];
    }),
  );
  assert.equal(ours.bestTrial, 2);
  assert.deepEqual(ours.counts, { COMPLETE: 3, FAIL: 1, PRUNED: 1 });
  assert.deepEqual(
    ours.trials.map((t) => t.role),
    ['search', 'search', 'search', 'search', 'retrain'],
  );
  assert.deepEqual(
    ours.selection && [
      ours.selection.trial,
      ours.selection.rule,
      ours.selection.devError,
      ours.selection.seeds,
    ],
    [2, 'one-standard-error', 0.3535, [13, 101]],
  );
  assert.match(
    html,
    /Chosen: trial 2 by the one-standard-error rule, dev error 35\.35 % ± 0\.15 over seeds 13, 101 · sampler tpe, pruner asha, budget 4 trials/,
  );
  assert.match(html, /<li>trial 1: NaN loss at epoch 2<\/li>/);
  assert.match(html, /<li>trial 1: out of memory<\/li>/);
});

test('layouts, confusion matrices, learning curves and provenance come from the metrics', () => {
  const c = corpus('ds10');
  const m = fixture.metrics['ds10/mlp-m1'];
  const layout = c.layouts.find((l) => l.system === 'mlp-m1');
  assert.deepEqual(layout?.layers, m.layout);
  assert.equal(layout?.parameterCount, m.parameterCount);
  assert.match(html, /MLP-M1 · 2,338 parameters/);
  assert.deepEqual(c.confusion.find((x) => x.system === 'mlp-m1')?.matrices, m.confusion);
  assert.deepEqual(c.learningCurves.find((x) => x.system === 'mlp-m1')?.points, m.learningCurve);
  const prov = c.provenance.find((p) => p.system === 'mlp-a1');
  assert.deepEqual(
    prov && { backend: prov.backend, seed: prov.seed, trainSec: prov.trainSec, sizes: prov.sizes },
    {
      backend: 'wasm',
      seed: 2,
      trainSec: 14.5,
      sizes: { train: 2000, dev: 500, eval: 500 },
    },
  );
  assert.deepEqual(c.sizes.ours, { train: 2000, dev: 500, eval: 500 });
  // What trained each network: the backend, the engine, and LSTM layers that ran fused.
  const tuszProv = corpus('tusz').provenance.find((p) => p.system === 'cnn-lstm');
  assert.equal(tuszProv?.backend, 'wasm, tfjs engine, 2 LSTM layers fused');
  assert.ok(c.posterLayout && c.posterLayout.rows.length === 6, 'the poster layout table for #10');
});

test('decision surfaces: three PNG panels per system with a surface, the Bayes boundary known per split', () => {
  const c = corpus('ds10');
  const all = ['train', 'dev', 'eval'];
  assert.deepEqual(
    c.surfaces.map((s) => [s.system, s.bayesSplits, s.pointSplits]),
    [
      ['mlp-a-ours', all, all],
      ['mlp-m1', all, all],
    ],
  );
  assert.equal(html.match(/<img src="data:image\/png;base64,/g)?.length, 6);
});

test('charts are Vega-Lite SVGs embedded as data URIs; the page requests nothing external', () => {
  assert.ok((html.match(/src="data:image\/svg\+xml;base64,/g)?.length ?? 0) >= 4);
  const svg = Buffer.from(
    /src="data:image\/svg\+xml;base64,([^"]+)"/.exec(html)?.[1] ?? '',
    'base64',
  ).toString();
  assert.match(svg, /^<svg[^>]+class="marks"/);
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
  assert.doesNotMatch(html, /<script|<link /);
});

test('the EEG effective band comes from the tusz-segments metadata', () => {
  assert.deepEqual(corpus('tusz').eegBand, {
    source: 'tusz-segments',
    lowCutHz: 0.5,
    highCutHz: 35,
    sampleRateHz: 50,
    nyquistHz: 25,
    effectiveLowHz: 0.5,
    effectiveHighHz: 25,
  });
  assert.match(html, /effective band 0\.5–25 Hz/);
});

test('rows say what they are: only a tuner pick is autotuned, the generator Bayes error is an estimate', () => {
  const rows = corpus('ds10').results;
  const what = (id: string): string | null => rows.find((r) => r.id === id)?.what ?? null;
  assert.equal(what('mlp-a1'), "poster's autotuned layout, retrained");
  assert.equal(what('mlp-m1'), "poster's manual layout");
  assert.equal(what('mlp-a-ours'), 'autotuned (chosen by our tuner), ours protocol');
  const autotuned = rows.filter((r) => r.what?.startsWith('autotuned')).map((r) => r.id);
  assert.deepEqual(autotuned, ['mlp-a-ours']);
  const bayes = rows.find((r) => r.id === 'bayes-generator');
  assert.equal(bayes?.label, 'generator Bayes error (Monte Carlo, 95 % CI)');
  assert.ok(!rows.some((r) => /exact/i.test(`${r.label} ${r.what ?? ''}`)), 'no row claims an exact value');
  assert.match(html, /<td class="what">poster's autotuned layout, retrained<\/td>/);
  // A baseline row names what it runs on (train's metrics.json "description").
  const centroid = corpus('tusz').results.find((r) => r.system === 'centroid');
  assert.equal(
    centroid?.what,
    'baseline: nearest centroid on mean log band power per channel and band (22 × 8), standardised on train',
  );
  assert.deepEqual(centroid?.ours.eval, fixture.metrics['tusz/centroid'].errors.eval);
  assert.match(html, /<td class="what">baseline: nearest centroid on mean log band power/);
  // Issue 15's margin: the manual model's eval error below the centroid's (41.50 − 36.08 pp).
  assert.ok(
    corpus('tusz').notes.includes(
      'manual vs nearest-centroid baseline on eval: CNN-LSTM 36.08 %, Nearest centroid 41.50 %: 5.42 pp below it',
    ),
    JSON.stringify(corpus('tusz').notes),
  );
  assert.ok(!corpus('ds10').notes.some((n) => n.includes('nearest-centroid')), 'no centroid, no note');
});

test('the Markdown report holds the same numbers', () => {
  const md = readFileSync(built.files.markdown, 'utf8');
  const e = fixture.metrics['ds10/mlp-a1'].errors.eval;
  assert.ok(md.includes(`| MLP-A1 | poster's autotuned layout, retrained | MLP-A1 | `), 'row for MLP-A1');
  assert.ok(
    md.includes(
      `${(e.rate * 100).toFixed(2)} [${(e.lower95 * 100).toFixed(2)}, ${(e.upper95 * 100).toFixed(2)}] | 42.07 ✓ |`,
    ),
  );
  assert.match(md, /\*\*0\.5–25 Hz\*\*/);
  assert.match(md, /## #11 · tudp — Cancer Images \(not run\)/);
});

test('two builds from the same inputs are byte-identical (no timestamps, no absolute paths)', async () => {
  const again = await buildReport({
    dataDir: fixture.dataDir,
    outDir: join(fixture.dataDir, 'report-again'),
    ...quiet,
  });
  for (const name of ['html', 'markdown', 'json'] as const) {
    assert.ok(readFileSync(again.files[name]).equals(readFileSync(built.files[name])), `${name} identical`);
  }
  assert.ok(
    !readFileSync(built.files.json, 'utf8').includes(fixture.dataDir),
    'no absolute data path in report.json',
  );
  assert.ok(!html.includes(fixture.dataDir), 'no absolute data path in the HTML');
});

test('with no stage outputs at all the report still builds, every corpus "not run"', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ct-report-empty-'));
  const empty = await buildReport({ dataDir: join(root, 'data'), ...quiet });
  assert.ok(existsSync(empty.files.html));
  assert.deepEqual(
    empty.report.corpora.map((c) => c.status),
    ['not run', 'not run', 'not run', 'not run', 'not run'],
  );
  assert.equal(empty.report.corpora.find((c) => c.corpus === 'tusz')?.eegBand?.source, 'poster');
});

test(
  'the HTML renders in headless Chromium without errors and shows report.json values',
  { skip: missing, timeout: 60_000 },
  async () => {
    const { files } = built;
    const report = JSON.parse(readFileSync(files.json, 'utf8')) as ReportJson;
    const page = await openPage(pathToFileURL(files.html).href);
    try {
      assert.deepEqual(page.errors, [], 'no console errors, exceptions or failed loads');
      assert.deepEqual(
        page.requests.filter((u) => !u.startsWith('data:')),
        [pathToFileURL(files.html).href],
        'only the page itself is requested',
      );

      const row = report.corpora.find((c) => c.corpus === 'ds10')?.results.find((r) => r.system === 'mlp-a1');
      const evalRate = row?.ours.eval?.rate;
      assert.ok(evalRate !== undefined);
      const shown = await page.evaluate<string>(
        `document.querySelector('td[data-cell="ds10/mlp-a1/eval"]').firstChild.textContent`,
      );
      assert.equal(shown, (evalRate * 100).toFixed(2));
      const poster = await page.evaluate<string>(
        `document.querySelector('td[data-cell="ds10/mlp-a1/eval"]').nextElementSibling.firstChild.textContent`,
      );
      assert.equal(poster, row?.posterPercent.eval?.toFixed(2));

      const images = await page.evaluate<{ total: number; broken: number }>(
        `(() => { const all = [...document.images]; return { total: all.length, broken: all.filter((i) => !i.complete || i.naturalWidth === 0).length }; })()`,
      );
      assert.ok(images.total >= 10, `images on the page: ${images.total}`);
      assert.equal(images.broken, 0, 'every embedded image decodes');
      const notRun = await page.evaluate<string>(`document.querySelector('#tudp .badge').textContent`);
      assert.equal(notRun, 'not run');

      const png = await page.screenshot();
      const meta = await sharp(png).metadata();
      assert.ok((meta.height ?? 0) > 2000, 'the full page was captured');
      const out = join(workspaceRoot(), 'tmp');
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'report-screenshot.png'), png);
    } finally {
      await page.close();
    }
  },
);
