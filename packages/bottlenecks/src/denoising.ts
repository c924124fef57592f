/** Denoising on the code: h + N(0, σ²) in training, h at inference. No regularizer term: the noise is the regularizer. */
import { tf } from '@latentkit/core';
import { checkContext, checkFeatures, trainRng } from './checks.js';
import type { DenoisingConfig } from './config.js';
import type { InferenceSpec } from './inference.js';
import type { Bottleneck, BottleneckContext, BottleneckOutput, BottleneckStats } from './types.js';

export class DenoisingBottleneck implements Bottleneck<DenoisingConfig> {
  readonly config: DenoisingConfig;
  readonly inputDim: number;
  readonly codeDim: number;
  readonly trainableVariables = {};
  readonly stateVariables = {};

  constructor(config: DenoisingConfig) {
    this.config = config;
    this.inputDim = config.inputDim;
    this.codeDim = config.inputDim;
  }

  apply(h: tf.Tensor2D, ctx: BottleneckContext): BottleneckOutput {
    checkFeatures(h, this.inputDim, this.config.kind);
    checkContext(ctx);
    const code =
      ctx.mode === 'train' && this.config.sigma > 0
        ? tf.add<tf.Tensor2D>(h, tf.randomNormal(h.shape, 0, this.config.sigma, 'float32', trainRng(ctx, this.config.kind).tfSeed()))
        : h;
    return { code, latent: h, terms: {}, regularizer: tf.scalar(0) };
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
