import type { Activation, Cnn2dConfig, ConvBlockSpec } from '@corpus-tune/train';
import type { Params } from '../space.ts';
import { denseHeadOf, num, outputOf, str, trainingOf } from './params.ts';

/**
 * Translates a sampled configuration (the tudp `cnn` / `complete` spaces) into train's Cnn2dConfig:
 * - `conv_layers` blocks, block i = Conv2D(`filters_i`, `kernel_i`×`kernel_i`, 'valid', activation
 *   `activation_i`, else `activation`, else relu) → MaxPool(`pool_i`, stride = pool) → dropout
 *   `conv_dropout` (0 when absent or `use_dropout` is false);
 * - the Dense head: `dense_layers`, `dense_units_i`, `dense_activation[_i]`, each with `dropout`
 *   (gated by `use_dropout`) and `l2` (gated by `use_l2`);
 * - optimizer, learning_rate, batch_size, epochs (capped by maxEpochs), output_activation.
 * Shapes are not checked here: a block that pools the image past zero size makes buildModel throw,
 * which the objective records as a `shape:` failure.
 */
export function cnnConfigFromParams(
  params: Params,
  inputShape: number[],
  numClasses: number,
  maxEpochs?: number,
): Cnn2dConfig {
  const kind = 'CNN';
  const blocks = num(params, 'conv_layers', undefined, kind);
  const convDropout = params.use_dropout === false ? 0 : num(params, 'conv_dropout', 0, kind);
  const shared = str(params, 'activation', 'relu', kind);
  const convBlocks: ConvBlockSpec[] = Array.from({ length: blocks }, (_, i) => {
    const block: ConvBlockSpec = {
      filters: num(params, `filters_${i}`, undefined, kind),
      kernelSizePx: num(params, `kernel_${i}`, undefined, kind),
      activation: str(params, `activation_${i}`, shared, kind) as Activation,
      poolSizePx: num(params, `pool_${i}`, undefined, kind),
    };
    if (convDropout > 0) block.dropout = convDropout;
    return block;
  });
  return {
    kind: 'cnn',
    inputShape,
    numClasses,
    output: outputOf(params, kind),
    training: trainingOf(params, maxEpochs, kind),
    convBlocks,
    dense: denseHeadOf(params, kind),
  };
}
