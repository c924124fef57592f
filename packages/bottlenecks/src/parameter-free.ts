/**
 * What the bottlenecks without weights share (plain and denoising): the code has the features' width, there is no
 * regularizer term, no statistics, and at inference the code is the features themselves.
 */
import { tf } from '@latentkit/core';
import { checkContext, checkFeatures } from './checks.js';
import type { DenoisingConfig, IdentityConfig } from './config.js';
import type { InferenceSpec } from './inference.js';
import type { Bottleneck, BottleneckContext, BottleneckOutput, BottleneckStats } from './types.js';

export abstract class ParameterFreeBottleneck<C extends IdentityConfig | DenoisingConfig> implements Bottleneck<C> {
  readonly inputDim: number;
  readonly codeDim: number;
  readonly trainableVariables = {};
  readonly stateVariables = {};

  constructor(readonly config: C) {
    this.inputDim = config.inputDim;
    this.codeDim = config.inputDim;
  }

  /** The code the decoder sees for features `h` (already checked). */
  protected abstract code(h: tf.Tensor2D, ctx: BottleneckContext): tf.Tensor2D;

  apply(h: tf.Tensor2D, ctx: BottleneckContext): BottleneckOutput {
    checkFeatures(h, this.inputDim, this.config.kind);
    checkContext(ctx);
    return { code: this.code(h, ctx), latent: h, terms: {}, regularizer: tf.scalar(0) };
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
