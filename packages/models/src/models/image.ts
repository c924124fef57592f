/** What both image autoencoders share: batches of flattened images, the likelihoods, the data they read. */
import { LatentkitError, schemas, tf, z } from '@latentkit/core';
import type { DataShape } from '@latentkit/data';
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

/** The config fields both image kinds have. */
export function imageSchemaFields() {
  return {
    size: schemas.positiveInt().default(28),
    likelihood: z.enum(['bernoulli', 'gaussian']).default('bernoulli'),
    bottleneck: z.looseObject({ kind: z.string() }),
  };
}

/** The image models take square single-channel images: the side comes from the data. */
export function imageFromData(shape: DataShape): { size: number } {
  if (shape.kind !== 'image' || shape.height !== shape.width || shape.channels !== 1) {
    const got = shape.kind === 'image' ? `${shape.height}×${shape.width}×${shape.channels} images` : `${shape.kind} data`;
    throw new LatentkitError('UNSUPPORTED', `the image models read square single-channel images; this data has ${got}`);
  }
  return { size: shape.height };
}
