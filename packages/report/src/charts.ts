// Charts as Vega-Lite specs rendered to SVG in Node (vega View with the 'none' renderer): the results
// next to the poster's, learning curves and the tuner's trial history.
import { View, parse } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { LearningCurvePoint } from './contracts.ts';
import { SPLITS } from './contracts.ts';
import type { ResultRow, TuningSummary } from './tables.ts';

const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 11, gridColor: '#eee', labelLimit: 260 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 11 },
};

export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(
    parse(compile({ ...spec, config: { ...CONFIG, ...spec.config } } as TopLevelSpec).spec),
    { renderer: 'none' },
  );
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const pct = (v: number): number => Math.round(v * 1e6) / 1e4;

/** Our error with its interval beside the poster's, per split, for every row with a number. */
export function resultsChartSpec(rows: readonly ResultRow[]): TopLevelSpec | null {
  const values: Record<string, string | number>[] = [];
  const order: string[] = [];
  for (const row of rows) {
    let any = false;
    for (const split of SPLITS) {
      const ours = row.ours[split];
      if (ours) {
        values.push({
          row: row.label,
          split,
          source: 'ours',
          value: pct(ours.rate),
          lo: pct(ours.lower95 ?? ours.rate),
          hi: pct(ours.upper95 ?? ours.rate),
        });
        any = true;
      }
      const poster = row.posterPercent[split];
      if (poster !== null) {
        values.push({ row: row.label, split, source: 'poster', value: poster, lo: poster, hi: poster });
        any = true;
      }
    }
    if (any) order.push(row.label);
  }
  if (values.length === 0) return null;
  const y = { field: 'row', type: 'nominal' as const, sort: order, title: null };
  return {
    data: { values },
    facet: { column: { field: 'split', type: 'nominal', sort: [...SPLITS], title: null } },
    spec: {
      width: 190,
      height: { step: 18 },
      layer: [
        {
          transform: [{ filter: "datum.source === 'ours'" }],
          mark: { type: 'rule', color: '#4c78a8' },
          encoding: { y, x: { field: 'lo', type: 'quantitative', title: 'error (%)' }, x2: { field: 'hi' } },
        },
        {
          mark: { type: 'point', filled: true, size: 55 },
          encoding: {
            y,
            x: { field: 'value', type: 'quantitative', title: 'error (%)' },
            color: {
              field: 'source',
              type: 'nominal',
              scale: { domain: ['ours', 'poster'], range: ['#4c78a8', '#e45756'] },
              title: null,
            },
            shape: {
              field: 'source',
              type: 'nominal',
              scale: { domain: ['ours', 'poster'], range: ['circle', 'diamond'] },
              title: null,
            },
          },
        },
      ],
    },
  } as TopLevelSpec;
}

export function learningCurveSpec(
  curves: readonly { label: string; points: readonly LearningCurvePoint[] }[],
): TopLevelSpec | null {
  const loss: Record<string, string | number>[] = [];
  const error: Record<string, string | number>[] = [];
  for (const c of curves) {
    for (const p of c.points) {
      if (p.loss !== undefined)
        loss.push({ system: c.label, epoch: p.epoch, series: 'train', value: p.loss });
      if (p.innerValLoss !== undefined)
        loss.push({ system: c.label, epoch: p.epoch, series: 'inner validation', value: p.innerValLoss });
      if (p.innerValError !== undefined)
        error.push({ system: c.label, epoch: p.epoch, value: pct(p.innerValError) });
    }
  }
  if (loss.length === 0 && error.length === 0) return null;
  const color = { field: 'system', type: 'nominal' as const, title: 'system' };
  const x = { field: 'epoch', type: 'quantitative' as const, axis: { tickMinStep: 1 } };
  return {
    hconcat: [
      {
        title: 'loss',
        width: 300,
        height: 200,
        data: { values: loss },
        mark: { type: 'line', point: { size: 20 } },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: 'loss' },
          color,
          strokeDash: {
            field: 'series',
            type: 'nominal',
            title: 'series',
            sort: ['train', 'inner validation'],
            legend: {
              symbolType: 'stroke',
              symbolStrokeWidth: 2,
              symbolSize: 300,
              encode: { symbols: { update: { stroke: { value: '#555' } } } },
            },
          },
        },
      },
      {
        title: 'inner-validation error',
        width: 300,
        height: 200,
        data: { values: error },
        mark: { type: 'line', point: { size: 20 } },
        encoding: { x, y: { field: 'value', type: 'quantitative', title: 'error (%)' }, color },
      },
    ],
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}

/** Dev error per trial with the running best; trials without a dev error (failed, pruned) along the top edge. */
export function trialHistorySpec(studies: readonly TuningSummary[]): TopLevelSpec | null {
  const values: Record<string, string | number | null>[] = [];
  let maxPct = 0;
  for (const s of studies)
    for (const t of s.trials) if (t.devError !== null) maxPct = Math.max(maxPct, pct(t.devError));
  const failY = Math.ceil(maxPct * 1.08 + 1);
  for (const s of studies) {
    let best = Infinity;
    for (const t of s.trials) {
      const dev = t.devError === null ? null : pct(t.devError);
      if (t.state === 'COMPLETE' && t.role === 'search' && dev !== null) best = Math.min(best, dev);
      values.push({
        protocol: s.protocol,
        trial: t.number,
        state: t.state,
        role: t.role,
        devError: dev ?? failY,
        best: Number.isFinite(best) ? best : null,
        reason: t.reason ?? '',
      });
    }
  }
  if (values.length === 0) return null;
  return {
    data: { values },
    facet: { column: { field: 'protocol', type: 'nominal', title: 'protocol' } },
    spec: {
      width: 300,
      height: 200,
      layer: [
        {
          transform: [{ filter: 'datum.best !== null' }],
          mark: { type: 'line', interpolate: 'step-after', color: '#333', strokeDash: [4, 3] },
          encoding: {
            x: { field: 'trial', type: 'quantitative' },
            y: { field: 'best', type: 'quantitative' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 45 },
          encoding: {
            x: { field: 'trial', type: 'quantitative', title: 'trial', axis: { tickMinStep: 1 } },
            y: { field: 'devError', type: 'quantitative', title: 'dev error (%)' },
            color: {
              field: 'state',
              type: 'nominal',
              scale: { domain: ['COMPLETE', 'PRUNED', 'FAIL'], range: ['#4c78a8', '#bab0ac', '#e45756'] },
            },
            shape: {
              field: 'role',
              type: 'nominal',
              scale: { domain: ['search', 'retrain'], range: ['circle', 'square'] },
            },
          },
        },
      ],
    },
  } as TopLevelSpec;
}

export const svgDataUri = (svg: string): string =>
  `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
