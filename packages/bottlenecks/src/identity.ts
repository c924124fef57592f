/** The plain autoencoder: the code is the encoder's features, with no regularizer. */
import type { tf } from '@latentkit/core';
import { ParameterFreeBottleneck } from './parameter-free.js';
import { defineBottleneck } from './kind.js';
import { sizes, z } from './schema.js';

/** Plain autoencoder: the code is the encoder's features. */
export interface IdentityConfig {
  readonly kind: 'identity';
  readonly inputDim: number;
}

export class IdentityBottleneck extends ParameterFreeBottleneck<IdentityConfig> {
  protected code(h: tf.Tensor2D): tf.Tensor2D {
    return h;
  }
}

/** Plain autoencoder: the code is the encoder features themselves. */
export const identity = defineBottleneck<IdentityConfig>({
  kind: 'identity',
  summary: 'plain autoencoder: the code is the encoder features',
  schema: z.strictObject({ kind: z.literal('identity'), inputDim: sizes.inputDim() }),
  latentField: 'inputDim',
  create: (config) => new IdentityBottleneck(config),
});
