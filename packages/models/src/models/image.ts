/** What both image autoencoders share: batches of flattened images, the likelihoods, the data they read. */
import { LatentkitError, tf } from '@latentkit/core';
import { schemas, z } from '@latentkit/core/schema';
import type { DataShape } from '@latentkit/data';
import { bernoulliNll, gaussianNll } from '../likelihoods.js';
import type { ImageBatch, ImageLikelihood } from '../types.js';
import { checkLength } from './base.js';

/** The image dimensions of a config: height × width × channels. */
export interface ImageDims {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Values per image. */
export function imageArea(dims: ImageDims): number {
  return dims.height * dims.width * dims.channels;
}

/** The batch as [size, height · width · channels] (pixels row-major, channels last). */
export function imageTensor(batch: ImageBatch, dims: ImageDims): tf.Tensor2D {
  const area = imageArea(dims);
  checkLength(batch.pixels, batch.size * area, 'pixels', `size × ${dims.height} × ${dims.width} × ${dims.channels}`);
  return tf.tensor2d(batch.pixels, [batch.size, area]);
}

export function imageNll(likelihood: ImageLikelihood, output: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
  return likelihood === 'bernoulli' ? bernoulliNll(output, x) : gaussianNll(output, x);
}

/** Pixel means from the decoder output: sigmoid of Bernoulli logits, or the Gaussian mean itself. */
export function imageMean(likelihood: ImageLikelihood, output: tf.Tensor): tf.Tensor {
  return likelihood === 'bernoulli' ? tf.sigmoid(output) : output;
}

/**
 * The config fields both image kinds have. `height` and `width` (default 28) may be given as `size` for square
 * images, as configs and run folders from before non-square images did; `channels` is 1 (grey) or 3 (RGB).
 */
export function imageSchemaFields() {
  return {
    size: schemas.positiveInt().optional(),
    height: schemas.positiveInt().optional(),
    width: schemas.positiveInt().optional(),
    channels: z.union([z.literal(1), z.literal(3)], { error: '1 (grey) or 3 (RGB)' }).default(1),
    likelihood: z.enum(['bernoulli', 'gaussian']).default('bernoulli'),
    bottleneck: z.looseObject({ kind: z.string() }),
  };
}

interface SizeFields {
  readonly size?: number;
  readonly height?: number;
  readonly width?: number;
}

/** `size`, when given with `height` or `width`, must agree with them: it is the side of a square image. */
export function sizeAgrees(c: SizeFields): boolean {
  return c.size === undefined || ((c.height ?? c.size) === c.size && (c.width ?? c.size) === c.size);
}

/** Fills `height` and `width` from `size` (or 28); a square config keeps `size` too, so old readers still find it. */
export function withImageDims<T extends SizeFields>(c: T): T & { height: number; width: number } {
  const height = c.height ?? c.size ?? 28;
  const width = c.width ?? c.size ?? 28;
  const { size: _size, ...rest } = c;
  return { ...rest, ...(height === width && { size: height }), height, width } as T & { height: number; width: number };
}

/** The image models take grey or RGB images of any height and width: the dimensions come from the data. */
export function imageFromData(shape: DataShape): { height: number; width: number; channels: number } {
  if (shape.kind !== 'image' || !(shape.channels === 1 || shape.channels === 3)) {
    const got = shape.kind === 'image' ? `${shape.height}×${shape.width}×${shape.channels} images` : `${shape.kind} data`;
    throw new LatentkitError('UNSUPPORTED', `the image models read grey (1-channel) or RGB (3-channel) images; this data has ${got}`);
  }
  return { height: shape.height, width: shape.width, channels: shape.channels };
}
