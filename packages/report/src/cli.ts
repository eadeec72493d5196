// `report build [--data DIR] [--out DIR]`: a thin CLI over buildReport.
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError, elapsedSec, runCli, stderrProgress } from '@corpus-tune/core';

const displayPath = (p: string): string => {
  const rel = relative(process.cwd(), p);
  return rel === '' ? '.' : rel.startsWith('..') ? p : rel;
};

const USAGE = `usage: report build [--data DIR] [--out DIR]

Builds data/report/index.html (self-contained), report.md and report.json from the train, tune,
imld-gen and tusz-segments outputs under the data dir. Missing stages show as "not run".
  --data DIR   stage outputs (default: $CORPUS_TUNE_DATA or <workspace>/data)
  --out DIR    output folder (default: <data>/report)`;

await runCli('report', async (argv) => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      verbose: { type: 'boolean' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals[0] !== 'build' || positionals.length > 1)
    throw new InputError(`unknown command "${positionals.join(' ')}"\n${USAGE}`);
  const start = performance.now();
  // Loaded only to build, so usage errors answer without loading Vega, sharp and Arrow.
  const { buildReport } = await import('./build.ts');
  const { outDir, report } = await buildReport({
    dataDir: values.data,
    outDir: values.out,
    progress: stderrProgress,
  });
  const ran = report.corpora.filter((c) => c.status === 'ok').map((c) => c.corpus);
  const systems = report.corpora.reduce((n, c) => n + c.results.filter((r) => r.kind === 'system').length, 0);
  process.stdout.write(
    `report: ${report.corpora.length} corpora (${ran.length > 0 ? `results for ${ran.join(', ')}` : 'none run yet'}), ${systems} systems → ${displayPath(outDir)}/index.html, report.md, report.json in ${elapsedSec(start)}s\n`,
  );
});
