/** The plain autoencoder: the code is the encoder's features, with no regularizer. */
import { tf } from '@latentkit/core';
import { checkContext, checkFeatures } from './checks.js';
import type { IdentityConfig } from './config.js';
import type { InferenceSpec } from './inference.js';
import type { Bottleneck, BottleneckContext, BottleneckOutput, BottleneckStats } from './types.js';

export class IdentityBottleneck implements Bottleneck<IdentityConfig> {
  readonly config: IdentityConfig;
  readonly inputDim: number;
  readonly codeDim: number;
  readonly trainableVariables = {};
  readonly stateVariables = {};

  constructor(config: IdentityConfig) {
    this.config = config;
    this.inputDim = config.inputDim;
    this.codeDim = config.inputDim;
  }

  apply(h: tf.Tensor2D, ctx: BottleneckContext): BottleneckOutput {
    checkFeatures(h, this.inputDim, this.config.kind);
    checkContext(ctx);
    return { code: h, latent: h, terms: {}, regularizer: tf.scalar(0) };
  }

  stats(h: tf.Tensor2D): BottleneckStats {
    checkFeatures(h, this.inputDim, this.config.kind);
    return {};
  }

  inference(): InferenceSpec {
    return { kind: this.config.kind, inputDim: this.inputDim, codeDim: this.codeDim, steps: [], weights: {} };
  }

  dispose(): void {}
}
