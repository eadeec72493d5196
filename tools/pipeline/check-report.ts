// CI check after the demo pipeline: the report exists (HTML, Markdown, JSON), holds every corpus, and
// every network system of every corpus — each of train's zoo made for that corpus, and one tuner pick
// per protocol — and the nearest-centroid baseline where train makes one (tudp, tusz; issue 15's
// yardstick) is in it with train, dev and eval error rates. A corpus whose only numbers are
// Bayes estimates or baselines does not pass.
// Run: node --import tsx tools/pipeline/check-report.ts (CORPUS_TUNE_DATA moves the data dir).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SYSTEMS } from '@corpus-tune/train';
import type { ReportJson, ResultRow } from '@corpus-tune/report';

const NETWORK_KINDS = new Set(['mlp', 'cnn', 'lstm', 'cnn-lstm']);
/** Baselines the report must show too (KNN / RF come with the 2-D sets' Bayes rows, checked elsewhere). */
const REQUIRED_BASELINE_KINDS = new Set(['centroid']);
const PROTOCOLS = ['ours', 'keras-tuner'];
const SPLITS = ['train', 'dev', 'eval'] as const;

/** Problems found in the report under `reportDir`; empty when it passes. */
export function reportProblems(reportDir: string): { problems: string[]; passed: string[] } {
  const problems: string[] = [];
  const passed: string[] = [];
  for (const file of ['index.html', 'report.md', 'report.json']) {
    if (!existsSync(join(reportDir, file))) problems.push(`missing ${join(reportDir, file)}`);
  }
  if (problems.length > 0) return { problems, passed };
  const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as ReportJson;
  const corpora = [...new Set(SYSTEMS.flatMap((s) => s.corpora))];
  for (const corpus of corpora) {
    const entry = report.corpora.find((c) => c.corpus === corpus);
    if (!entry) {
      problems.push(`${corpus}: not in report.json`);
      continue;
    }
    const before = problems.length;
    const rows = entry.results.filter((r) => r.kind === 'system');
    const judge = (name: string, row: ResultRow | undefined): void => {
      if (!row) problems.push(`${corpus}: ${name} is not in the report (no metrics.json)`);
      else if (row.status === 'failed')
        problems.push(`${corpus}: ${row.label} failed: ${row.note ?? 'no reason'}`);
      else if (!SPLITS.every((s) => Number.isFinite(row.ours[s]?.rate)))
        problems.push(`${corpus}: ${row.label} lacks a train, dev or eval error rate`);
    };
    const zoo = SYSTEMS.filter((s) => s.corpora.includes(corpus) && NETWORK_KINDS.has(s.kind));
    const baselines = SYSTEMS.filter(
      (s) => s.corpora.includes(corpus) && REQUIRED_BASELINE_KINDS.has(s.kind),
    );
    for (const s of [...zoo, ...baselines])
      judge(
        s.label,
        rows.find((r) => r.system === s.system),
      );
    for (const protocol of PROTOCOLS) {
      const picks = rows.filter((r) => r.protocol === protocol && r.origin === 'autotuned');
      if (picks.length === 0) judge(`the ${protocol} protocol's autotuned system`, undefined);
      for (const r of picks) judge(r.label, r);
    }
    if (problems.length === before)
      passed.push(
        `${corpus}: ${zoo.length} network systems, ${baselines.length ? 'the centroid baseline, ' : ''}` +
          'both tuner picks',
      );
  }
  return { problems, passed };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const { problems, passed } = reportProblems(resolve(process.env.CORPUS_TUNE_DATA ?? 'data', 'report'));
  for (const p of passed) console.log(`check-report: ${p}`);
  for (const p of problems) console.error(`check-report: ${p}`);
  process.exit(problems.length === 0 ? 0 : 1);
}
