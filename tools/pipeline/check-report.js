#!/usr/bin/env node
// CI check after the demo pipeline: the report exists (HTML, Markdown, JSON) and holds every corpus
// with at least one system that has train/dev/eval error rates.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(process.env.CORPUS_TUNE_DATA ?? 'data', 'report');
const CORPORA = ['ds08', 'ds09', 'ds10', 'tudp', 'tusz'];
const problems = [];
for (const file of ['index.html', 'report.md', 'report.json']) {
  if (!existsSync(join(dir, file))) problems.push(`missing ${join(dir, file)}`);
}
if (problems.length === 0) {
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  for (const corpus of CORPORA) {
    const entry = report.corpora.find((c) => c.corpus === corpus);
    const withNumbers = (entry?.results ?? []).filter(
      (r) => r.ours && ['train', 'dev', 'eval'].every((s) => Number.isFinite(r.ours[s]?.rate)),
    );
    if (!entry) problems.push(`${corpus}: not in report.json`);
    else if (withNumbers.length === 0) problems.push(`${corpus}: no system with train/dev/eval errors`);
    else console.log(`check-report: ${corpus}: ${withNumbers.length} systems with results`);
  }
}
for (const p of problems) console.error(`check-report: ${p}`);
process.exit(problems.length === 0 ? 0 : 1);
