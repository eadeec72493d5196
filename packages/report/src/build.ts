// The report end to end: collect the stage outputs, build the tables (report.json), render charts and
// surfaces, write index.html, report.md and report.json atomically.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  codeVersion,
  dataDir,
  silentProgress,
  STAGE,
  writeFileAtomic,
  writeJsonAtomic,
} from '@corpus-tune/core';
import type { ProgressReporter } from '@corpus-tune/core';
import { CORPORA, SPLITS } from './contracts.ts';
import type { CorpusId } from './contracts.ts';
import { collectInputs } from './collect.ts';
import type { CorpusInputs } from './collect.ts';
import { learningCurveSpec, resultsChartSpec, specToSvg, svgDataUri, trialHistorySpec } from './charts.ts';
import { renderHtml } from './html.ts';
import type { CorpusAssets } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { loadPosterResults } from './poster.ts';
import { bayesPixels, surfacePanelPng } from './surfaces.ts';
import { reportJson } from './tables.ts';
import type { CorpusReport, ReportJson } from './tables.ts';

export interface BuildOptions {
  /** Where the stage outputs are (default: the workspace data dir). */
  dataDir?: string;
  /** Where index.html, report.md and report.json go (default: `<dataDir>/report`). */
  outDir?: string;
  corpora?: readonly CorpusId[];
  /** Edge of one decision-surface panel, in pixels. */
  surfacePx?: number;
  /** One counter over the corpora; silent by default, stderr in the CLI. */
  progress?: ProgressReporter;
}

export interface BuildResult {
  outDir: string;
  files: { html: string; markdown: string; json: string };
  report: ReportJson;
}

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

async function corpusAssets(c: CorpusInputs, r: CorpusReport, surfacePx: number): Promise<CorpusAssets> {
  const svg = async (spec: Parameters<typeof specToSvg>[0] | null): Promise<string | null> =>
    spec ? svgDataUri(await specToSvg(spec)) : null;
  const surfaces: CorpusAssets['surfaces'] = {};
  const classCount = Math.max(2, r.classNames.length);
  // The Bayes classes per pixel depend only on the split and the view: computed once, shared by panels.
  const bayesCache = new Map<string, Int8Array>();
  for (const s of r.surfaces) {
    surfaces[s.system] = {};
    const view = c.surfaces[s.system].grid;
    for (const split of SPLITS) {
      const classAt = c.bayesAt[split];
      const key = `${split} ${JSON.stringify(view)}`;
      if (classAt && !bayesCache.has(key)) bayesCache.set(key, bayesPixels(classAt, view, surfacePx));
      const bayes = bayesCache.get(key) ?? null;
      const png = await surfacePanelPng(c.surfaces[s.system], c.points[split], bayes, {
        sizePx: surfacePx,
        classCount,
      });
      surfaces[s.system][split] = `data:image/png;base64,${png.toString('base64')}`;
    }
  }
  return {
    resultsChart: await svg(resultsChartSpec(r.results)),
    learningChart: await svg(learningCurveSpec(r.learningCurves)),
    trialsChart: await svg(trialHistorySpec(r.tuning)),
    surfaces,
    extents: Object.fromEntries(r.surfaces.map((s) => [s.system, c.surfaces[s.system].grid])),
  };
}

export async function buildReport(options: BuildOptions = {}): Promise<BuildResult> {
  const data = resolve(options.dataDir ?? dataDir());
  const outDir = resolve(options.outDir ?? join(data, STAGE.report));
  const corpora = options.corpora ?? CORPORA;
  const progress = (options.progress ?? silentProgress)({
    label: 'report',
    total: corpora.length,
    unit: 'corpora',
  });
  const collected = await collectInputs(data, corpora);
  const report = reportJson(collected, loadPosterResults(), codeVersion(PACKAGE_DIR));
  const assets: Record<string, CorpusAssets> = {};
  for (const [i, c] of collected.corpora.entries()) {
    assets[c.corpus] = await corpusAssets(c, report.corpora[i], options.surfacePx ?? 240);
    progress.tick(1, c.corpus);
  }
  progress.done();
  const files = {
    html: join(outDir, 'index.html'),
    markdown: join(outDir, 'report.md'),
    json: join(outDir, 'report.json'),
  };
  writeJsonAtomic(files.json, report);
  writeFileAtomic(files.markdown, renderMarkdown(report));
  writeFileAtomic(files.html, renderHtml(report, assets));
  return { outDir, files, report };
}
