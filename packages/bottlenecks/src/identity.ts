/** The plain autoencoder: the code is the encoder's features, with no regularizer. */
import type { tf } from '@latentkit/core';
import type { IdentityConfig } from './config.js';
import { ParameterFreeBottleneck } from './parameter_free.js';

export class IdentityBottleneck extends ParameterFreeBottleneck<IdentityConfig> {
  protected code(h: tf.Tensor2D): tf.Tensor2D {
    return h;
  }
}
