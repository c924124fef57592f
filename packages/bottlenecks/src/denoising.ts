/** Denoising on the code: h + N(0, σ²) in training, h at inference. No regularizer term: the noise is the regularizer. */
import { tf } from '@latentkit/core';
import { trainRng } from './checks.js';
import { ParameterFreeBottleneck } from './parameter-free.js';
import type { BottleneckContext } from './types.js';
import { defineBottleneck } from './kind.js';
import { schemas, sizes, z } from './schema.js';

/** Denoising autoencoder on the code: adds N(0, σ²) noise in training, nothing at inference. */
export interface DenoisingConfig {
  readonly kind: 'denoising';
  readonly inputDim: number;
  /** Noise standard deviation. Default 0.1. */
  readonly sigma: number;
}

export class DenoisingBottleneck extends ParameterFreeBottleneck<DenoisingConfig> {
  protected code(h: tf.Tensor2D, ctx: BottleneckContext): tf.Tensor2D {
    return ctx.mode === 'train' && this.config.sigma > 0
      ? tf.add<tf.Tensor2D>(h, tf.randomNormal(h.shape, 0, this.config.sigma, 'float32', trainRng(ctx, this.config.kind).tfSeed()))
      : h;
  }
}

export const denoising = defineBottleneck<DenoisingConfig>({
  kind: 'denoising',
  summary: 'denoising autoencoder: Gaussian noise on the code in training',
  schema: z.strictObject({ kind: z.literal('denoising'), inputDim: sizes.inputDim(), sigma: schemas.nonNegative().default(0.1) }),
  latentField: 'inputDim',
  create: (config) => new DenoisingBottleneck(config),
});
