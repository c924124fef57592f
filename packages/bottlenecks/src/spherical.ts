/**
 * Hyperspherical VAE bottlenecks: a von Mises-Fisher (Davidson et al. 2018; Xu & Durrett 2018) or Power Spherical
 * (De Cao & Aziz 2020) posterior on S^{d−1} with the uniform prior. The mean direction is a linear head on h,
 * normalised; κ is fixed, or learned per example as softplus(linear(h)) + 1. Training samples from q, inference
 * returns μ. The KL to the uniform prior is the distributions package's, weighted by β times the schedule.
 */
import { type Rng, tf } from '@latentkit/core';
import { type LatentPrior, PowerSpherical, VonMisesFisher, uniformSphere } from '@latentkit/distributions';
import { checkContext, checkFeatures, klMultiplier, trainRng } from './checks.js';
import { type InferenceSpec, linearStep } from './inference.js';
import { activeUnits, finiteStats } from './stats.js';
import type { BottleneckContext, BottleneckOutput, BottleneckStats, DensityBottleneck } from './types.js';
import { type LinearWeights, linear, linearVariables, linearWeights } from './variables.js';
import type { KlConfig } from './config.js';
import { defineBottleneck } from './kind.js';
import { concentration, klFields, sizes, z } from './schema.js';

/** Concentration of a spherical posterior: a fixed κ, or κ = softplus(linear(h)) + 1 learned per example. */
export type Concentration = number | 'learned';

/** Hyperspherical VAE with a von Mises-Fisher posterior and a uniform prior on the sphere S^{latentDim−1}. */
export interface VmfConfig extends KlConfig {
  readonly kind: 'vmf';
  readonly inputDim: number;
  /** Ambient dimension of the code (vectors in R^latentDim, on the unit sphere). */
  readonly latentDim: number;
  /** Default 'learned'. */
  readonly kappa: Concentration;
}

/** As `vmf`, with the Power Spherical posterior (De Cao & Aziz 2020): same heads, cheaper and stabler sampling. */
export interface PowerSphericalConfig extends KlConfig {
  readonly kind: 'powerSpherical';
  readonly inputDim: number;
  readonly latentDim: number;
  readonly kappa: Concentration;
}

/** Rows scaled to unit length; ε keeps a zero row finite. Shared with the inference spec. */
const NORMALIZE_EPSILON = 1e-12;

type SphericalConfig = VmfConfig | PowerSphericalConfig;
type SphericalPosterior = VonMisesFisher | PowerSpherical;

export class SphericalBottleneck<C extends SphericalConfig = SphericalConfig> implements DensityBottleneck<C> {
  readonly config: C;
  readonly inputDim: number;
  readonly codeDim: number;
  readonly trainableVariables: Readonly<Record<string, tf.Variable>>;
  readonly stateVariables = {};
  private readonly directionHead: LinearWeights;
  private readonly kappaHead?: LinearWeights;
  private readonly keys: { mean: string; kappa: string };

  constructor(config: C, rng: Rng, scope: string) {
    this.config = config;
    this.inputDim = config.inputDim;
    this.codeDim = config.latentDim;
    this.keys = { mean: `${scope}/mean`, kappa: `${scope}/kappa` };
    this.directionHead = linearWeights(rng, this.keys.mean, config.inputDim, config.latentDim);
    if (config.kappa === 'learned') this.kappaHead = linearWeights(rng, this.keys.kappa, config.inputDim, 1);
    this.trainableVariables = {
      ...linearVariables(this.keys.mean, this.directionHead),
      ...(this.kappaHead ? linearVariables(this.keys.kappa, this.kappaHead) : {}),
    };
  }

  /** The mean direction μ: [batch, latentDim] unit rows. */
  private direction(h: tf.Tensor2D): tf.Tensor2D {
    const v = linear(h, this.directionHead);
    return tf.div(v, tf.maximum(tf.norm(v, 2, 1, true), NORMALIZE_EPSILON));
  }

  /** κ: [batch] (learned, softplus(·) + 1 ≥ 1) or the fixed number. */
  private concentration(h: tf.Tensor2D): tf.Tensor1D | number {
    if (!this.kappaHead) return this.config.kappa as number;
    return tf.add(tf.softplus(linear(h, this.kappaHead)), 1).reshape([h.shape[0]]) as tf.Tensor1D;
  }

  posterior(h: tf.Tensor2D): SphericalPosterior {
    checkFeatures(h, this.inputDim, this.config.kind);
    const mu = this.direction(h);
    const kappa = this.concentration(h);
    return this.config.kind === 'vmf' ? new VonMisesFisher(mu, kappa) : new PowerSpherical(mu, kappa);
  }

  sampleCodes(n: number, rng: Rng): tf.Tensor2D {
    return this.prior().sample(n, rng);
  }

  prior(): LatentPrior {
    return uniformSphere(this.config.latentDim);
  }

  apply(h: tf.Tensor2D, ctx: BottleneckContext): BottleneckOutput {
    checkFeatures(h, this.inputDim, this.config.kind);
    checkContext(ctx);
    const rng = ctx.mode === 'train' ? trainRng(ctx, this.config.kind) : undefined;
    const weight = klMultiplier(ctx, this.config.beta, this.config.klSchedule);
    return tf.tidy(() => {
      const q = this.posterior(h);
      const kl = q.klToPrior();
      return { code: rng ? q.sample(rng) : q.mu, latent: q.mu, terms: { kl }, regularizer: tf.mul(weight, tf.mean(kl)) };
    });
  }

  stats(h: tf.Tensor2D): BottleneckStats {
    checkFeatures(h, this.inputDim, this.config.kind);
    const [mu, kl, kappa] = tf.tidy(() => {
      const q = this.posterior(h);
      const k = q.kappa;
      return [q.mu, tf.mean(q.klToPrior()), typeof k === 'number' ? tf.fill([h.shape[0]], k) : k];
    });
    const kappas = Array.from(kappa.dataSync() as Float32Array);
    const units = activeUnits(mu.dataSync(), h.shape[0], this.config.latentDim);
    const stats = {
      kl: kl.dataSync()[0] as number,
      kappaMean: kappas.reduce((a, v) => a + v, 0) / kappas.length,
      kappaMin: Math.min(...kappas),
      kappaMax: Math.max(...kappas),
      activeUnits: units.active,
      meanVariancePerDimension: units.variances,
    };
    tf.dispose([mu, kl, kappa]);
    return finiteStats(this.config.kind, stats);
  }

  inference(): InferenceSpec {
    const { step, weights } = linearStep(this.keys.mean, this.directionHead);
    const steps = [step, { op: 'l2Normalize', epsilon: NORMALIZE_EPSILON } as const];
    return { kind: this.config.kind, inputDim: this.inputDim, codeDim: this.codeDim, steps, weights };
  }

  dispose(): void {
    for (const v of Object.values(this.trainableVariables)) v.dispose();
  }
}

function sphericalSchema<K extends 'vmf' | 'powerSpherical'>(kind: K) {
  return z.strictObject({
    kind: z.literal(kind),
    inputDim: sizes.inputDim(),
    // A sphere needs two dimensions at least.
    latentDim: z.number().int().min(2),
    ...klFields,
    kappa: concentration.default('learned'),
  });
}

export const vmf = defineBottleneck<VmfConfig>({
  kind: 'vmf',
  summary: 'hyperspherical VAE: von Mises-Fisher posterior, uniform prior; fixed or learned κ',
  schema: sphericalSchema('vmf'),
  latentField: 'latentDim',
  create: (config, { rng, scope }) => new SphericalBottleneck(config, rng, scope),
});

export const powerSpherical = defineBottleneck<PowerSphericalConfig>({
  kind: 'powerSpherical',
  summary: 'hyperspherical VAE with the Power Spherical posterior (De Cao & Aziz 2020)',
  schema: sphericalSchema('powerSpherical'),
  latentField: 'latentDim',
  create: (config, { rng, scope }) => new SphericalBottleneck(config, rng, scope),
});
