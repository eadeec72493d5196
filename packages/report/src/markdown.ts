// report.md: the same tables as the HTML, as GitHub-flavoured Markdown (no images).
import { SPLITS } from './contracts.ts';
import { integer, interval, percent, seconds } from './format.ts';
import type { PosterRow } from './poster.ts';
import { PROTOCOLS } from './tables.ts';
import { standInSentence } from './source.ts';
import { verdictText } from './verdict.ts';
import type { CorpusReport, HeadlinePick, ReportJson } from './tables.ts';

/** Markdown text that renders literally: no stray HTML tags ("<system>"), no table breaks. */
const text = (s: string): string => s.replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cell = (s: string): string => text(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;
const header = (cells: string[], align: string[]): string => `${row(cells)}\n| ${align.join(' | ')} |`;

function resultsTable(c: CorpusReport): string {
  const lines = [
    header(
      [
        'System',
        'What it is',
        'Poster row',
        ...SPLITS.flatMap((s) => [`${s} (ours)`, `${s} (poster)`]),
        'Note',
      ],
      ['---', '---', '---', ...SPLITS.flatMap(() => ['---:', '---:']), '---'],
    ),
  ];
  for (const r of c.results) {
    const splits = SPLITS.flatMap((s) => {
      const e = r.ours[s];
      const p = r.posterPercent[s];
      const v = r.verdicts[s];
      const mark = v ? (v.reproduced ? ' ✓' : ` (${verdictText(v)})`) : '';
      return [
        e ? `${percent(e.rate)} ${interval(e)}`.trim() : '—',
        p === null ? '' : `${p.toFixed(2)}${mark}`,
      ];
    });
    const note = r.status === 'not run' ? `not run: ${r.note ?? ''}` : (r.note ?? '');
    lines.push(row([r.label, r.what ?? '', r.posterSystem ?? '', ...splits, note]));
  }
  return lines.join('\n');
}

function corpusSection(c: CorpusReport): string {
  const parts = [
    `## ${c.posterId} · ${c.corpus} — ${c.description}${c.status === 'ok' ? '' : ' (not run)'}`,
    `**Computed on:** ${text(c.source.line)}${c.source.standIn ? ' — not comparable to the poster' : ''}.`,
  ];
  if (c.notes.length > 0) parts.push(c.notes.map((n) => `- ${text(n)}`).join('\n'));
  parts.push('Error rates in percent; ours with the 95 % interval.', resultsTable(c));
  parts.push(
    `Data sizes (train / dev / eval): ours ${SPLITS.map((s) => integer(c.sizes.ours[s])).join(' / ')}; ` +
      `poster ${SPLITS.map((s) => integer(c.sizes.poster[s])).join(' / ')}.`,
  );
  if (c.eegBand) {
    const b = c.eegBand;
    parts.push(
      `EEG effective band: bandpass ${b.lowCutHz}–${b.highCutHz} Hz at ${b.sampleRateHz} Hz ` +
        `(Nyquist ${b.nyquistHz} Hz) → **${b.effectiveLowHz}–${b.effectiveHighHz} Hz** ` +
        `(from ${b.source}).`,
    );
  }
  for (const m of c.layouts) {
    if (m.layers.length === 0) continue;
    parts.push(
      `### Layout: ${m.label}` +
        (m.parameterCount === null ? '' : ` (${integer(m.parameterCount)} parameters)`),
      [
        header(
          ['Layer', 'Units', 'Activation', 'Dropout', 'L2', 'Params'],
          ['---', '---:', '---', '---:', '---:', '---:'],
        ),
        ...m.layers.map((l) =>
          row([
            l.layer,
            String(l.units ?? '—'),
            l.activation ?? '—',
            String(l.dropout ?? '—'),
            String(l.l2 ?? '—'),
            String(l.params ?? '—'),
          ]),
        ),
      ].join('\n'),
    );
  }
  for (const s of c.tuning) {
    const failed = s.trials.filter((t) => t.state === 'FAIL');
    parts.push(
      `### Tuner, ${s.protocol} protocol: ${s.trials.length} trials, ${Object.entries(s.counts)
        .map(([k, n]) => `${n} ${k.toLowerCase()}`)
        .join(', ')}` +
        (s.bestTrial === null
          ? ''
          : `; lowest dev error: trial ${s.bestTrial} (${percent(s.bestDevError ?? 0)} %)`),
    );
    if (s.selection) {
      const sel = s.selection;
      parts.push(
        `Chosen: trial ${sel.trial} by the ${sel.rule} rule` +
          `${sel.devError === null ? '' : ` (dev ${percent(sel.devError)} %)`}.`,
      );
    }
    if (failed.length > 0)
      parts.push(
        failed.map((t) => `- trial ${t.number} failed: ${text(t.reason ?? 'no reason recorded')}`).join('\n'),
      );
  }
  if (c.provenance.length > 0) {
    parts.push(
      '### Computed on',
      [
        header(
          ['System', 'train n', 'dev n', 'eval n', 'Seed', 'Backend', 'Train s', 'Code version'],
          ['---', '---:', '---:', '---:', '---:', '---', '---:', '---'],
        ),
        ...c.provenance.map((p) =>
          row([
            p.label,
            ...SPLITS.map((s) => integer(p.sizes[s])),
            String(p.seed ?? '—'),
            p.backend ?? '—',
            seconds(p.trainSec),
            p.codeVersion ?? '—',
          ]),
        ),
      ].join('\n'),
    );
  }
  if (c.failures.length > 0)
    parts.push(
      '### Unreadable inputs',
      c.failures.map((f) => `- \`${f.file}\`: ${text(f.message)}`).join('\n'),
    );
  return parts.join('\n\n');
}

/** "5 / 12" cells, or "—" when nothing could be compared. */
export const reproducedText = (c: CorpusReport): string =>
  c.reproduction.compared === 0 ? '—' : `${c.reproduction.reproduced} / ${c.reproduction.compared}`;

function overview(report: ReportJson): string {
  const pick = (p: HeadlinePick | null): string =>
    p ? `${p.label} ${p.evalRate === null ? '—' : percent(p.evalRate)}` : 'not run';
  const poster = (r: PosterRow | null): string => (r ? `${r.system} ${r.eval.toFixed(2)}` : '');
  return [
    header(
      [
        'Corpus',
        'Manual (ours)',
        'Manual (poster)',
        ...PROTOCOLS.map((p) => `Autotuned, ${p} protocol`),
        'Autotuned (poster)',
        'Poster cells reproduced',
      ],
      ['---', '---', '---', ...PROTOCOLS.map(() => '---'), '---', '---:'],
    ),
    ...report.corpora.map((c) =>
      row([
        `${c.posterId} ${c.corpus}`,
        pick(c.headline.manual),
        poster(c.headline.posterManual),
        ...PROTOCOLS.map((p) => pick(c.headline.autotuned[p] ?? null)),
        poster(c.headline.posterAutotuned),
        reproducedText(c),
      ]),
    ),
  ].join('\n');
}

const standInNote = (report: ReportJson): string => {
  const s = standInSentence(report);
  return s ? `> **Not comparable to the poster:** ${s}\n\n` : '';
};

export function renderMarkdown(report: ReportJson): string {
  return (
    `# Autotuning vs manual tuning — reproduction report

Report ${report.codeVersion}; poster numbers from \`packages/report/data/poster-results.json\`. ` +
    `Decision surfaces,
charts and confusion matrices are in \`index.html\`.

## Overview

${standInNote(report)}Eval error (%) of the system with the lowest dev error in each group; ` +
    `the poster's rows picked the same way.
A poster cell is reproduced (✓) when the poster's value lies inside our 95 % interval widened by
${report.corpora[0]?.reproduction.tolerancePp ?? 0} pp on each side ` +
    `(seed-to-seed spread; see the report README); ` +
    `else the table says by how much it differs.

${overview(report)}

${report.corpora.map(corpusSection).join('\n\n')}
`
  );
}
