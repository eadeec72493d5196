import type * as tf from '@tensorflow/tfjs';

/** One row of a model's layout, as metrics.json records it. */
export interface LayoutRow {
  layer: string;
  units?: number;
  filters?: number;
  kernelSize?: number[];
  poolSize?: number[];
  activation?: string;
  dropout?: number;
  /** L2 penalty factor on the layer's kernel (absent: none). */
  l2?: number;
  outputShape: (number | null)[];
  params: number;
}

interface LayerConfigView {
  units?: number;
  filters?: number;
  kernelSize?: number | number[];
  poolSize?: number | number[];
  activation?: string;
  rate?: number;
  /** Serialised regulariser; tfjs' `regularizers.l2` is an L1L2 with l1 = 0. */
  kernelRegularizer?: { className?: string; config?: { l1?: number; l2?: number } } | null;
}

function asArray(v: number | number[] | undefined): number[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

/**
 * The model's layers as rows (input layer omitted). Dropout and `exponential` activation layers are
 * folded into the row before them, matching how the poster's tables write layouts.
 */
export function describeLayout(model: tf.LayersModel): LayoutRow[] {
  const rows: LayoutRow[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === 'InputLayer') continue;
    const cfg = layer.getConfig() as LayerConfigView;
    const previous = rows[rows.length - 1];
    if ((className === 'SeededDropout' || className === 'Dropout') && previous) {
      previous.dropout = cfg.rate;
      continue;
    }
    if (className === 'Exponential' && previous) {
      previous.activation = 'exponential';
      continue;
    }
    const shape = layer.outputShape as (number | null)[];
    const row: LayoutRow = { layer: className, outputShape: shape, params: layer.countParams() };
    if (cfg.units !== undefined) row.units = cfg.units;
    if (cfg.filters !== undefined) row.filters = cfg.filters;
    if (cfg.kernelSize !== undefined) row.kernelSize = asArray(cfg.kernelSize);
    if (cfg.poolSize !== undefined) row.poolSize = asArray(cfg.poolSize);
    if (cfg.activation !== undefined) row.activation = cfg.activation;
    const l2 = cfg.kernelRegularizer?.className === 'L1L2' ? cfg.kernelRegularizer.config?.l2 : undefined;
    if (l2 !== undefined && l2 > 0) row.l2 = l2;
    rows.push(row);
  }
  return rows;
}

export function parameterCount(model: tf.LayersModel): number {
  return model.countParams();
}
