/** What both image autoencoders share: batches of flattened images and the Bernoulli / Gaussian likelihood. */
import { tf } from '@latentkit/core';
import { bernoulliNll, gaussianNll } from '../likelihoods.js';
import type { ImageBatch, ImageLikelihood } from '../types.js';
import { checkLength } from './base.js';

/** The batch as [size, side²]. */
export function imageTensor(batch: ImageBatch, side: number): tf.Tensor2D {
  const area = side * side;
  checkLength(batch.pixels, batch.size * area, 'pixels', `size × ${side} × ${side}`);
  return tf.tensor2d(batch.pixels, [batch.size, area]);
}

export function imageNll(likelihood: ImageLikelihood, output: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
  return likelihood === 'bernoulli' ? bernoulliNll(output, x) : gaussianNll(output, x);
}

/** Pixel means from the decoder output: sigmoid of Bernoulli logits, or the Gaussian mean itself. */
export function imageMean(likelihood: ImageLikelihood, output: tf.Tensor): tf.Tensor {
  return likelihood === 'bernoulli' ? tf.sigmoid(output) : output;
}
