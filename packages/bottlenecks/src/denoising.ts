/** Denoising on the code: h + N(0, σ²) in training, h at inference. No regularizer term: the noise is the regularizer. */
import { tf } from '@latentkit/core';
import { trainRng } from './checks.js';
import type { DenoisingConfig } from './config.js';
import { ParameterFreeBottleneck } from './parameter_free.js';
import type { BottleneckContext } from './types.js';

export class DenoisingBottleneck extends ParameterFreeBottleneck<DenoisingConfig> {
  protected code(h: tf.Tensor2D, ctx: BottleneckContext): tf.Tensor2D {
    return ctx.mode === 'train' && this.config.sigma > 0
      ? tf.add<tf.Tensor2D>(h, tf.randomNormal(h.shape, 0, this.config.sigma, 'float32', trainRng(ctx, this.config.kind).tfSeed()))
      : h;
  }
}
