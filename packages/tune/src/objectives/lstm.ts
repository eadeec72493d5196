import type { Activation, CnnLstmConfig, Conv1dSpec, LstmConfig, LstmSpec } from '@corpus-tune/train';
import type { Params } from '../space.ts';
import { denseHeadOf, dropoutOf, num, outputOf, str, trainingOf } from './params.ts';

/**
 * Translates a sampled configuration (the tusz `lstm` / `complete` spaces) into train's LstmConfig,
 * or a CnnLstmConfig when the space has a Conv1D front end and `conv_layers` > 0:
 * - `conv_layers` (absent: 0) Conv1D layers over time: `conv_filters_i`, `conv_kernel_i` ('same'
 *   padding), `conv_activation`, then max-pool over time by `conv_pool_i` (1 or absent: none);
 * - `lstm_layers` LSTM layers of `lstm_units_i`; `dropout` (gated by `use_dropout`) after the last
 *   one, as in the CNN+LSTM manual model;
 * - the Dense head (`dense_layers`, `dense_units_i`, `dense_activation[_i]`, with `dropout` and `l2`);
 * - optimizer, learning_rate, batch_size, epochs (capped by maxEpochs), output_activation.
 */
export function lstmConfigFromParams(
  params: Params,
  inputShape: number[],
  numClasses: number,
  maxEpochs?: number,
): LstmConfig | CnnLstmConfig {
  const kind = 'LSTM';
  const layers = num(params, 'lstm_layers', undefined, kind);
  const dropout = dropoutOf(params);
  const lstm: LstmSpec[] = Array.from({ length: layers }, (_, i) => {
    const spec: LstmSpec = { units: num(params, `lstm_units_${i}`, undefined, kind) };
    if (dropout > 0 && i === layers - 1) spec.dropout = dropout;
    return spec;
  });
  const base = {
    inputShape,
    numClasses,
    output: outputOf(params, kind),
    training: trainingOf(params, maxEpochs, kind),
    lstm,
    dense: denseHeadOf(params, kind),
  };
  const convLayers = num(params, 'conv_layers', 0, kind);
  if (convLayers === 0) return { kind: 'lstm', ...base };
  const activation = str(params, 'conv_activation', 'relu', kind) as Activation;
  const conv: Conv1dSpec[] = Array.from({ length: convLayers }, (_, i) => {
    const spec: Conv1dSpec = {
      filters: num(params, `conv_filters_${i}`, undefined, kind),
      kernelSize: num(params, `conv_kernel_${i}`, undefined, kind),
      activation,
    };
    const pool = num(params, `conv_pool_${i}`, 1, kind);
    if (pool > 1) spec.poolSize = pool;
    return spec;
  });
  return { kind: 'cnn-lstm', ...base, conv };
}
