// The self-contained HTML report: inline CSS, every image a data URI, no scripts, no external requests.
import type { SurfaceGrid } from '@corpus-tune/train';
import { SPLITS } from './contracts.ts';
import type { Split } from './contracts.ts';
import {
  LAYER_COLUMNS,
  cellText,
  compactJson,
  escapeHtml as esc,
  integer,
  interval,
  layerOther,
  percent,
  seconds,
} from './format.ts';
import { hexColor } from './surfaces.ts';
import { PROTOCOLS } from './tables.ts';
import { standInSentence } from './source.ts';
import { verdictText } from './verdict.ts';
import { reproducedText } from './markdown.ts';
import type { PosterRow } from './poster.ts';
import type { CorpusReport, HeadlinePick, ReportJson, ResultRow, TuningSummary } from './tables.ts';

/** Rendered images for one corpus, as data URIs. */
export interface CorpusAssets {
  resultsChart: string | null;
  learningChart: string | null;
  trialsChart: string | null;
  /** system → split → PNG data URI. */
  surfaces: Record<string, Partial<Record<Split, string>>>;
  /** system → the surface grid the panels show. */
  extents: Record<string, SurfaceGrid>;
}

const STYLE = `
:root{--fg:#1d2329;--muted:#6a737d;--line:#e3e6ea;--accent:#2f5f8f;--bad:#b03a2e;--bg-alt:#f7f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:#fff}
header.top{padding:28px 40px 18px;border-bottom:1px solid var(--line);background:linear-gradient(#f4f7fb,#fff)}
header.top h1{margin:0 0 4px;font-size:24px;font-weight:600}
header.top p{margin:2px 0;color:var(--muted)}
nav{margin-top:10px}nav a{margin-right:14px;color:var(--accent);text-decoration:none;font-weight:500}
main{padding:8px 40px 40px;max-width:1280px}
section.corpus{border-top:3px solid var(--accent);margin-top:36px;padding-top:6px}
h2{font-size:20px;margin:8px 0 6px}h3{font-size:15px;margin:22px 0 8px;color:var(--accent)}
h4{font-size:13px;margin:12px 0 4px}
table.overview td:first-child{white-space:nowrap}
span.verdict{display:block;font-size:.8em}span.verdict.ok{color:#1a7f37}span.verdict.off{color:#b35900}
.standin-banner{background:#fff4e5;border-left:4px solid #e69500;padding:.5em .8em}
p.source.standin{color:#8a5300}
.badge{display:inline-block;font-size:11px;padding:1px 8px;border-radius:10px;vertical-align:middle;margin-left:8px;background:#e6f0e6;color:#2d6a2d}
.badge.notrun{background:#f6e3e1;color:var(--bad)}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:var(--bg-alt);font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.poster{color:#8a3b32;background:#fdf6f5}
.ci{display:block;color:var(--muted);font-size:11px}
tr.notrun td{color:var(--muted);font-style:italic}
tr.failed td{color:var(--bad)}
tr.bayes td{background:#f9fafb}
.note,.notes li{color:var(--muted);font-size:12.5px}
ul.notes{margin:4px 0 8px;padding-left:18px}
.failures li{color:var(--bad)}
figure{margin:6px 0 12px}figcaption{color:var(--muted);font-size:12px}
.panels{display:flex;gap:14px;flex-wrap:wrap;align-items:flex-start}
.panels figure{margin:0}.panels img{border:1px solid var(--line);display:block;image-rendering:pixelated}
.legend span{display:inline-block;width:11px;height:11px;border-radius:2px;margin:0 4px -1px 12px}
.grid{display:flex;flex-wrap:wrap;gap:18px}
details{margin:6px 0}summary{cursor:pointer;color:var(--accent)}
code{font-size:12px;background:var(--bg-alt);padding:0 3px;border-radius:3px}
img.chart{max-width:100%;height:auto}
`;

function oursCell(corpus: string, row: ResultRow, split: Split): string {
  const e = row.ours[split];
  const key = `${corpus}/${row.id}/${split}`;
  if (!e) return `<td class="num" data-cell="${esc(key)}">—</td>`;
  return `<td class="num" data-cell="${esc(key)}" data-rate="${e.rate}">${percent(e.rate)}<span class="ci">${interval(e)}</span></td>`;
}

function resultsTable(c: CorpusReport): string {
  const head = `<tr><th>System</th><th>What it is</th><th>vs poster row</th>${SPLITS.map((s) => `<th class="num">${s[0].toUpperCase()}${s.slice(1)} (ours)</th><th class="num">poster</th>`).join('')}<th>Note</th></tr>`;
  const body = c.results
    .map((r) => {
      const cls =
        r.status === 'not run'
          ? 'notrun'
          : r.status === 'failed'
            ? 'failed'
            : r.kind === 'bayes'
              ? 'bayes'
              : '';
      const cells = SPLITS.map((s) => {
        const p = r.posterPercent[s];
        const v = r.verdicts[s];
        const mark = v
          ? `<span class="verdict ${v.reproduced ? 'ok' : 'off'}" title="${esc(verdictText(v))}">${v.reproduced ? '✓' : esc(verdictText(v).replace('differs by ', ''))}</span>`
          : '';
        return `${oursCell(c.corpus, r, s)}<td class="num poster">${p === null ? '' : p.toFixed(2)}${mark}</td>`;
      }).join('');
      const note = r.status === 'not run' ? `not run: ${r.note ?? ''}` : (r.note ?? '');
      return `<tr class="${cls}" data-row="${esc(r.id)}"><td>${esc(r.label)}</td><td class="what">${esc(r.what ?? '')}</td><td>${esc(r.posterSystem ?? '')}</td>${cells}<td class="note">${esc(note)}</td></tr>`;
    })
    .join('\n');
  return `<table class="results"><thead>${head}</thead><tbody>\n${body}\n</tbody></table>
<p class="note">Error rates in percent; ours with the 95 % Wilson interval below each value; the poster's numbers (shaded) as printed.</p>`;
}

function sizesTable(c: CorpusReport): string {
  return `<table><tr><th></th>${SPLITS.map((s) => `<th class="num">${s}</th>`).join('')}</tr>
<tr><td>ours</td>${SPLITS.map((s) => `<td class="num">${integer(c.sizes.ours[s])}</td>`).join('')}</tr>
<tr><td>poster</td>${SPLITS.map((s) => `<td class="num">${integer(c.sizes.poster[s])}</td>`).join('')}</tr></table>`;
}

function legend(classNames: string[]): string {
  return `<p class="legend note">Classes:${classNames.map((n, k) => `<span style="background:${hexColor(k)}"></span>${esc(n)}`).join('')}
 · region shade = model confidence · grey line = model boundary · black dashes = Bayes boundary</p>`;
}

function surfacesBlock(c: CorpusReport, assets: CorpusAssets): string {
  if (!c.twoD) return '';
  if (c.surfaces.length === 0)
    return `<h3>Decision surfaces</h3><p class="note">not run: no surface.arrow under train/${c.corpus}/.</p>`;
  const blocks = c.surfaces.map((s) => {
    const panels = SPLITS.map((split) => {
      const uri = assets.surfaces[s.system]?.[split];
      if (!uri) return '';
      const points = s.pointSplits.includes(split) ? `${split} points` : `no ${split} points`;
      const bayes = s.bayesSplits.includes(split) ? '' : ' · Bayes boundary unknown';
      return `<figure><img src="${uri}" width="240" height="240" alt="${esc(`${s.label} decision surface with ${split} points`)}"><figcaption>${esc(split)} · ${esc(points)}${bayes}</figcaption></figure>`;
    });
    const g = assets.extents[s.system];
    const extent = g
      ? ` <span class="note">x ${g.xMin.toPrecision(3)} … ${g.xMax.toPrecision(3)}, y ${g.yMin.toPrecision(3)} … ${g.yMax.toPrecision(3)} (${g.nx}×${g.ny} grid)</span>`
      : '';
    return `<h4>${esc(s.label)}${extent}</h4><div class="panels">${panels.join('')}</div>`;
  });
  return `<h3>Decision surfaces</h3>${legend(c.classNames)}${blocks.join('\n')}`;
}

function layoutsBlock(c: CorpusReport): string {
  const parts: string[] = [];
  if (c.posterLayout) {
    const l = c.posterLayout;
    parts.push(`<h4>Poster: ${esc(l.title)}</h4><table><tr><th>Layout</th>${l.columns.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>
${l.rows.map((r) => `<tr><td>${esc(r.layer)}</td>${r.cells.map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`).join('\n')}</table>`);
  }
  const ours = c.layouts.map((m) => {
    const rows = m.layers
      .map(
        (l) =>
          `<tr>${LAYER_COLUMNS.map((k) => `<td${k === 'layer' || k === 'activation' ? '' : ' class="num"'}>${esc(cellText(l[k]))}</td>`).join('')}<td>${esc(layerOther(l))}</td></tr>`,
      )
      .join('');
    const hp =
      Object.keys(m.hyperparameters).length > 0
        ? `<p class="note">hyperparameters: <code>${esc(compactJson(m.hyperparameters))}</code></p>`
        : '';
    return `<div><h4>${esc(m.label)}${m.parameterCount ? ` · ${integer(m.parameterCount)} parameters` : ''}</h4>
${m.layers.length > 0 ? `<table><tr><th>Layer</th><th class="num">Units</th><th>Activation</th><th class="num">Dropout</th><th class="num">L2</th><th class="num">Params</th><th>Other</th></tr>${rows}</table>` : ''}${hp}</div>`;
  });
  if (parts.length === 0 && ours.length === 0) return '';
  return `<h3>Model layouts</h3>${parts.join('')}${ours.length > 0 ? `<div class="grid">${ours.join('')}</div>` : '<p class="note">not run: no layouts in metrics.json.</p>'}`;
}

function trialsTable(s: TuningSummary): string {
  const rows = s.trials
    .map((t) => {
      const cls = t.state === 'FAIL' ? 'failed' : t.state === 'PRUNED' ? 'notrun' : '';
      return `<tr class="${cls}"><td class="num">${t.number}</td><td>${esc(t.role)}</td><td>${esc(t.state)}</td><td class="num">${t.devError === null ? '—' : percent(t.devError)}</td><td class="num">${t.innerValError === null ? '—' : percent(t.innerValError)}</td><td class="num">${seconds(t.seconds)}</td><td><code>${esc(compactJson(t.params))}</code></td><td>${esc(t.reason ?? '')}</td></tr>`;
    })
    .join('\n');
  return `<table class="trials"><tr><th class="num">#</th><th>Role</th><th>State</th><th class="num">Dev error %</th><th class="num">Inner-val error %</th><th class="num">Seconds</th><th>Parameters</th><th>Reason</th></tr>\n${rows}</table>`;
}

function tuningBlock(c: CorpusReport, assets: CorpusAssets): string {
  if (c.tuning.length === 0)
    return `<h3>Autotuner trial history</h3><p class="note">not run: no tune/${c.corpus}/&lt;protocol&gt;/trials.json.</p>`;
  const studies = c.tuning.map((s) => {
    const counts = Object.entries(s.counts)
      .map(([k, n]) => `${n} ${k.toLowerCase()}`)
      .join(', ');
    const failed = s.trials.filter((t) => t.state === 'FAIL');
    const best =
      s.bestTrial === null
        ? 'no completed trial'
        : `lowest dev error: trial ${s.bestTrial}, ${percent(s.bestDevError ?? 0)} %`;
    const sel = s.selection;
    const chosen = sel
      ? `<p class="note">Chosen: trial ${sel.trial} by the ${esc(sel.rule)} rule${sel.devError === null ? '' : `, dev error ${percent(sel.devError)} %${sel.devErrorSe === null ? '' : ` ± ${percent(sel.devErrorSe)}`}`}${sel.seeds.length > 0 ? ` over seed${sel.seeds.length > 1 ? 's' : ''} ${sel.seeds.join(', ')}` : ''}${sel.sampler ? ` · sampler ${esc(sel.sampler)}` : ''}${sel.pruner ? `, pruner ${esc(sel.pruner)}` : ''}${sel.budgetTrials === null ? '' : `, budget ${sel.budgetTrials} trials`}</p>`
      : '';
    const failures =
      failed.length > 0
        ? `<ul class="failures">${failed.map((t) => `<li>trial ${t.number}: ${esc(t.reason ?? 'no reason recorded')}</li>`).join('')}</ul>`
        : '';
    return `<h4>${esc(s.protocol)} protocol — ${s.trials.length} trials (${esc(counts)}); ${esc(best)}</h4>${chosen}${failures}<details><summary>all trials</summary>${trialsTable(s)}</details>`;
  });
  const chart = assets.trialsChart
    ? `<figure><img class="chart" src="${assets.trialsChart}" alt="dev error per trial"><figcaption>Dev error per trial; dashed: best search trial so far; trials without a dev error (failed red, pruned grey) along the top edge; squares: the top trials re-trained with other seeds.</figcaption></figure>`
    : '';
  return `<h3>Autotuner trial history</h3>${chart}${studies.join('\n')}`;
}

function confusionBlock(c: CorpusReport): string {
  if (c.confusion.length === 0) return '';
  const tables = c.confusion.map((m) => {
    const per = SPLITS.filter((s) => m.matrices[s]).map((s) => {
      const mat = m.matrices[s] ?? [];
      const names = m.classNames.length === mat.length ? m.classNames : mat.map((_r, i) => String(i));
      return `<table><tr><th>${esc(s)}: true ↓ / predicted →</th>${names.map((n) => `<th class="num">${esc(n)}</th>`).join('')}</tr>${mat
        .map(
          (row, i) =>
            `<tr><th>${esc(names[i])}</th>${row.map((v) => `<td class="num">${integer(v)}</td>`).join('')}</tr>`,
        )
        .join('')}</table>`;
    });
    return `<div><h4>${esc(m.label)}</h4>${per.join('')}</div>`;
  });
  return `<h3>Confusion matrices</h3><details><summary>${c.confusion.length} systems</summary><div class="grid">${tables.join('')}</div></details>`;
}

function eegBlock(c: CorpusReport): string {
  const b = c.eegBand;
  if (!b) return '';
  const from =
    b.source === 'tusz-segments'
      ? 'from the tusz-segments metadata'
      : 'from the poster (tusz-segments output not found)';
  return `<h3>EEG effective band</h3><p data-cell="tusz/effective-band">Bandpass ${b.lowCutHz}–${b.highCutHz} Hz, resampled to ${b.sampleRateHz} Hz (Nyquist ${b.nyquistHz} Hz):
<strong>effective band ${b.effectiveLowHz}–${b.effectiveHighHz} Hz</strong>${b.highCutHz > b.nyquistHz ? ` — nothing above ${b.nyquistHz} Hz survives the resampling` : ''}. <span class="note">(${esc(from)})</span></p>`;
}

function provenanceBlock(c: CorpusReport): string {
  if (c.provenance.length === 0) return '';
  const rows = c.provenance
    .map((p) => {
      const inputs = Object.entries(p.inputs)
        .map(([f, h]) => `${f} ${h.slice(0, 12)}`)
        .join(', ');
      return `<tr><td>${esc(p.label)}</td>${SPLITS.map((s) => `<td class="num">${integer(p.sizes[s])}</td>`).join('')}<td class="num">${p.seed ?? '—'}</td><td>${esc(p.backend ?? '—')}</td><td class="num">${seconds(p.trainSec)}</td><td class="num">${seconds(p.tuneSec)}</td><td class="num">${p.samplesPerSec === null ? '—' : integer(Math.round(p.samplesPerSec))}</td><td><code>${esc(p.codeVersion ?? '—')}</code></td><td class="note">${esc(inputs)}</td></tr>`;
    })
    .join('\n');
  return `<h3>What each number was computed on</h3><table><tr><th>System</th><th class="num">train n</th><th class="num">dev n</th><th class="num">eval n</th><th class="num">Seed</th><th>Backend</th><th class="num">Train s</th><th class="num">Tune s</th><th class="num">Samples/s</th><th>Code version</th><th>Inputs (sha256)</th></tr>\n${rows}</table>`;
}

function corpusSection(c: CorpusReport, assets: CorpusAssets): string {
  const badge =
    c.status === 'ok' ? '<span class="badge">results</span>' : '<span class="badge notrun">not run</span>';
  const notes =
    c.notes.length > 0 ? `<ul class="notes">${c.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
  const failures =
    c.failures.length > 0
      ? `<h3>Unreadable inputs</h3><ul class="failures">${c.failures.map((f) => `<li><code>${esc(f.file)}</code>: ${esc(f.message)}</li>`).join('')}</ul>`
      : '';
  const chart = assets.resultsChart
    ? `<figure><img class="chart" src="${assets.resultsChart}" alt="error rates, ours and the poster's"><figcaption>Ours (circles, 95 % interval) and the poster's (diamonds).</figcaption></figure>`
    : '';
  const curves = assets.learningChart
    ? `<h3>Learning curves</h3><figure><img class="chart" src="${assets.learningChart}" alt="learning curves"></figure>`
    : '';
  return `<section class="corpus" id="${c.corpus}">
<h2>${esc(c.posterId)} · ${esc(c.corpus)} — ${esc(c.description)}${badge}</h2>
<p class="source${c.source.standIn ? ' standin' : ''}" data-source="${esc(c.source.kind)}"><strong>Computed on:</strong> ${esc(c.source.line)}${c.source.standIn ? ' — not comparable to the poster' : ''}.</p>
${notes}
<h3>Results</h3>
${resultsTable(c)}
${chart}
<h4>Data sizes</h4>${sizesTable(c)}${c.generatorSeed === null ? '' : `<p class="note">generator seed ${c.generatorSeed}</p>`}
${eegBlock(c)}
${surfacesBlock(c, assets)}
${layoutsBlock(c)}
${curves}
${tuningBlock(c, assets)}
${confusionBlock(c)}
${provenanceBlock(c)}
${failures}
</section>`;
}

function pickCells(p: HeadlinePick | null): string {
  if (!p) return '<td class="note">not run</td><td class="num">—</td>';
  return `<td>${esc(p.label)}</td><td class="num">${p.evalRate === null ? '—' : percent(p.evalRate)}</td>`;
}

const posterCell = (r: PosterRow | null): string =>
  `<td class="num poster">${r ? `${r.eval.toFixed(2)}<span class="ci">${esc(r.system)}</span>` : ''}</td>`;

function standInBanner(report: ReportJson): string {
  const s = standInSentence(report);
  return s ? `<p class="standin-banner"><strong>Not comparable to the poster:</strong> ${esc(s)}</p>` : '';
}

function overview(report: ReportJson): string {
  const rows = report.corpora
    .map((c) => {
      const systems = c.results.filter((r) => r.kind === 'system' && r.status === 'ok').length;
      const missing = c.results.filter((r) => r.status === 'not run').length;
      const h = c.headline;
      const picks = `${pickCells(h.manual)}${posterCell(h.posterManual)}${PROTOCOLS.map((p) => pickCells(h.autotuned[p] ?? null)).join('')}${posterCell(h.posterAutotuned)}`;
      return `<tr class="${c.status === 'ok' ? '' : 'notrun'}"><td><a href="#${c.corpus}">${esc(c.posterId)} ${esc(c.corpus)}</a></td><td>${esc(c.description)}</td>${picks}<td class="num">${systems}</td><td class="num">${missing}</td><td class="num">${c.tuning.reduce((n, s) => n + s.trials.length, 0)}</td><td class="num" data-reproduced="${esc(c.corpus)}">${esc(reproducedText(c))}</td></tr>`;
    })
    .join('\n');
  const pick = '<th>system</th><th class="num">eval %</th>';
  return `<table class="overview"><tr><th rowspan="2">Corpus</th><th rowspan="2">Description</th><th colspan="3">Manual</th><th colspan="${2 * PROTOCOLS.length + 1}">Autotuned</th><th rowspan="2" class="num">Systems<br>with results</th><th rowspan="2" class="num">Rows<br>not run</th><th rowspan="2" class="num">Tuner<br>trials</th><th rowspan="2" class="num">Poster cells<br>reproduced</th></tr>
<tr>${pick}<th class="num">poster</th>${PROTOCOLS.map((p) => `<th>${esc(p)} protocol</th><th class="num">eval %</th>`).join('')}<th class="num">poster</th></tr>\n${rows}</table>
<p class="note">In each group the system with the lowest dev error, and its eval error; the poster's rows picked the same way (its Keras Tuner also ranked on dev). A poster cell is reproduced (✓) when the poster's value lies inside our 95 % interval widened by ${report.corpora[0]?.reproduction.tolerancePp ?? 0} pp on each side (seed-to-seed spread, see the report README); otherwise the results tables say by how much ours differs.</p>`;
}

export function renderHtml(report: ReportJson, assets: Record<string, CorpusAssets>): string {
  const empty: CorpusAssets = {
    resultsChart: null,
    learningChart: null,
    trialsChart: null,
    surfaces: {},
    extents: {},
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>corpus-tune report — autotuning vs manual tuning</title><style>${STYLE}</style></head>
<body><header class="top"><h1>Autotuning vs manual tuning — reproduction report</h1>
<p>Per corpus: the poster's results table with ours beside it, decision surfaces, layouts, tuner history, and what each number was computed on.</p>
<p class="note">report ${esc(report.codeVersion)} · ${Object.keys(report.inputs).length} input files · poster numbers from <code>packages/report/data/poster-results.json</code></p>
<nav>${report.corpora.map((c) => `<a href="#${c.corpus}">${esc(c.posterId)} ${esc(c.corpus)}</a>`).join('')}</nav></header>
<main><h3>Overview</h3>${standInBanner(report)}${overview(report)}
${report.corpora.map((c) => corpusSection(c, assets[c.corpus] ?? empty)).join('\n')}
</main></body></html>
`;
}
