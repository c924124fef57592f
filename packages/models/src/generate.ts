/** Codes to generate from, whatever the bottleneck: its own prior or codebook, or a Gaussian fitted to codes it made. */
import { LatentkitError, type Rng, tf } from '@latentkit/core';
import { defaultConditionValues } from './condition.js';
import type { Model } from './types.js';

/**
 * `n` codes the decoder can turn into new examples. A bottleneck with a prior or a codebook samples them itself; a
 * plain or denoising autoencoder has neither, so a diagonal Gaussian is fitted to `heldOut`, codes it produced.
 */
export function sampleCodes(model: Model, n: number, rng: Rng, heldOut?: tf.Tensor2D): tf.Tensor2D {
  const b = model.bottleneck;
  if (b.sampleCodes) return b.sampleCodes(n, rng);
  if (!heldOut) {
    throw new LatentkitError(
      'UNSUPPORTED',
      `a ${b.config.kind} bottleneck has no prior or codebook to sample from; give codes it produced to fit a Gaussian to`,
    );
  }
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(heldOut, 0);
    return tf.randomNormal([n, b.codeDim], 0, 1, 'float32', rng.tfSeed()).mul(tf.sqrt(variance)).add(mean) as tf.Tensor2D;
  });
}

/** Pixel values in [0, 1] from an image decoder's output: the Bernoulli mean, or the Gaussian mean clipped. */
export function imagePixels(model: Model, output: tf.Tensor): tf.Tensor {
  const likelihood = (model.config as { likelihood?: string }).likelihood;
  return tf.tidy(() => (likelihood === 'bernoulli' ? tf.sigmoid(output) : tf.clipByValue(output, 0, 1)));
}

/**
 * What the decoder reads for `codes`: a conditional model's condition appended, one value per code (`labels`, or
 * `defaultConditionValues`: the classes in turn); an unconditioned model's codes as they are. Always a new tensor.
 */
export function decoderInput(model: Model, codes: tf.Tensor2D, labels?: ArrayLike<number>): tf.Tensor2D {
  const condition = model.config.condition;
  const conditioned = (model as { conditionedCode?: (c: tf.Tensor2D, l?: ArrayLike<number>) => tf.Tensor2D }).conditionedCode;
  if (!condition || !conditioned) return tf.clone(codes);
  const given = labels ?? defaultConditionValues(condition, codes.shape[0]);
  return conditioned.call(model, codes, given);
}
