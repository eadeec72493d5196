import * as tf from '@tensorflow/tfjs';

/**
 * Dropout whose masks are reproducible: each training call draws its seed from (base seed, call
 * number). tfjs's own Dropout either repeats one mask forever (fixed seed) or uses Math.random.
 * `fitModel` sets `callCount` at every epoch start, so a resumed run draws the same masks.
 */
export class SeededDropout extends tf.layers.Layer {
  static className = 'SeededDropout';
  readonly rate: number;
  readonly seed: number;
  callCount = 0;

  constructor(args: { rate: number; seed: number; name?: string }) {
    super({ name: args.name });
    this.rate = args.rate;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate <= 0) return x;
    const seed = (Math.imul(this.seed + 1, 0x9e3779b1) + this.callCount++) >>> 0;
    return tf.dropout(x, this.rate, undefined, seed);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

/** Keras's `exponential` activation (tfjs has none): y = exp(x). */
export class Exponential extends tf.layers.Layer {
  static className = 'Exponential';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.exp(Array.isArray(inputs) ? inputs[0] : inputs);
  }
}

tf.serialization.registerClass(SeededDropout);
tf.serialization.registerClass(Exponential);
