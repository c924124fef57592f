/**
 * Gaussian VAE bottleneck (Kingma & Welling 2014): linear heads for the mean and log-variance of a diagonal Gaussian
 * q(z|h), a reparameterised sample in training, the mean at inference, and KL(q ‖ N(0, I)) weighted by β times the
 * schedule's weight at the step. With free bits λ (Kingma et al. 2016) the regularizer is β·w·Σ_j max(λ, mean_b KL_bj):
 * a dimension whose batch-mean KL is below λ nats gets no gradient from it.
 */
import { type Rng, tf } from '@latentkit/core';
import { DiagonalGaussian, type LatentPrior, standardNormal } from '@latentkit/distributions';
import { checkContext, checkFeatures, klMultiplier, trainRng } from './checks.js';
import { type InferenceSpec, linearStep } from './inference.js';
import { activeUnits, finiteStats } from './stats.js';
import type { BottleneckContext, BottleneckOutput, BottleneckStats, DensityBottleneck } from './types.js';
import { type LinearWeights, linear, linearVariables, linearWeights } from './variables.js';
import type { KlConfig } from './config.js';
import { defineBottleneck } from './kind.js';
import { klFields, schemas, sizes, z } from './schema.js';

/** Gaussian VAE: linear heads for mean and log-variance, reparameterised sample, KL to N(0, I). */
export interface GaussianConfig extends KlConfig {
  readonly kind: 'gaussian';
  readonly inputDim: number;
  readonly latentDim: number;
  /**
   * Free bits (Kingma et al. 2016), in nats per latent dimension: the regularizer uses max(λ, batch-mean KL_j) per
   * dimension, so no dimension is pushed below λ. 0 (default) turns it off.
   */
  readonly freeBits: number;
}

export class GaussianBottleneck implements DensityBottleneck<GaussianConfig> {
  readonly config: GaussianConfig;
  readonly inputDim: number;
  readonly codeDim: number;
  readonly trainableVariables: Readonly<Record<string, tf.Variable>>;
  readonly stateVariables = {};
  private readonly meanHead: LinearWeights;
  private readonly logVarHead: LinearWeights;
  private readonly keys: { mean: string; logVar: string };

  constructor(config: GaussianConfig, rng: Rng, scope: string) {
    this.config = config;
    this.inputDim = config.inputDim;
    this.codeDim = config.latentDim;
    this.keys = { mean: `${scope}/mean`, logVar: `${scope}/log_var` };
    this.meanHead = linearWeights(rng, this.keys.mean, config.inputDim, config.latentDim);
    this.logVarHead = linearWeights(rng, this.keys.logVar, config.inputDim, config.latentDim);
    this.trainableVariables = { ...linearVariables(this.keys.mean, this.meanHead), ...linearVariables(this.keys.logVar, this.logVarHead) };
  }

  posterior(h: tf.Tensor2D): DiagonalGaussian {
    checkFeatures(h, this.inputDim, this.config.kind);
    return new DiagonalGaussian(linear(h, this.meanHead), linear(h, this.logVarHead));
  }

  sampleCodes(n: number, rng: Rng): tf.Tensor2D {
    return this.prior().sample(n, rng);
  }

  prior(): LatentPrior {
    return standardNormal(this.config.latentDim);
  }

  /** KL(q ‖ N(0, I)) per example and dimension, [batch, latentDim]: the distributions package's KL, one dimension at a time. */
  private klPerDimension(q: DiagonalGaussian): tf.Tensor2D {
    const [batch, dim] = q.loc.shape;
    const oneDimensional = new DiagonalGaussian(q.loc.reshape([batch * dim, 1]), q.logVar.reshape([batch * dim, 1]));
    return oneDimensional.klToPrior().reshape([batch, dim]);
  }

  apply(h: tf.Tensor2D, ctx: BottleneckContext): BottleneckOutput {
    checkFeatures(h, this.inputDim, this.config.kind);
    checkContext(ctx);
    const rng = ctx.mode === 'train' ? trainRng(ctx, this.config.kind) : undefined;
    const weight = klMultiplier(ctx, this.config.beta, this.config.klSchedule);
    return tf.tidy(() => {
      const q = this.posterior(h);
      const kl = q.klToPrior();
      const penalty = this.config.freeBits > 0 ? tf.sum(tf.maximum(tf.mean(this.klPerDimension(q), 0), this.config.freeBits)) : tf.mean(kl);
      return {
        code: rng ? q.sample(rng) : q.mode(),
        latent: q.loc,
        terms: { kl },
        regularizer: tf.mul(weight, penalty),
      };
    });
  }

  stats(h: tf.Tensor2D): BottleneckStats {
    checkFeatures(h, this.inputDim, this.config.kind);
    const [means, klPerDim, meanVariance] = tf.tidy(() => {
      const q = this.posterior(h);
      return [q.loc, tf.mean(this.klPerDimension(q), 0), tf.mean(tf.exp(q.logVar), 0)];
    });
    const perDim = Array.from(klPerDim.dataSync() as Float32Array);
    const units = activeUnits(means.dataSync(), h.shape[0], this.config.latentDim);
    const stats = {
      kl: perDim.reduce((a, v) => a + v, 0),
      klPerDimension: perDim,
      activeUnits: units.active,
      meanVariancePerDimension: units.variances,
      posteriorVariancePerDimension: Array.from(meanVariance.dataSync() as Float32Array),
    };
    tf.dispose([means, klPerDim, meanVariance]);
    return finiteStats(this.config.kind, stats);
  }

  inference(): InferenceSpec {
    const { step, weights } = linearStep(this.keys.mean, this.meanHead);
    return { kind: this.config.kind, inputDim: this.inputDim, codeDim: this.codeDim, steps: [step], weights };
  }

  dispose(): void {
    for (const v of Object.values(this.trainableVariables)) v.dispose();
  }
}

export const gaussian = defineBottleneck<GaussianConfig>({
  kind: 'gaussian',
  summary: 'Gaussian VAE: diagonal Gaussian posterior, KL to N(0, I)',
  schema: z.strictObject({
    kind: z.literal('gaussian'),
    inputDim: sizes.inputDim(),
    latentDim: sizes.latentDim(),
    ...klFields,
    freeBits: schemas.nonNegative().default(0),
  }),
  latentField: 'latentDim',
  create: (config, { rng, scope }) => new GaussianBottleneck(config, rng, scope),
});
