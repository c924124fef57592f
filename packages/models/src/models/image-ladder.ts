/**
 * Ladder VAE for images (Sønderby et al. 2016) with two stochastic layers, z₁ (lower, `lowerLatentDim`) and z₂ (top,
 * the model's bottleneck, any density bottleneck: Gaussian by default). Bottom-up, a deterministic MLP x → d₁ → d₂
 * gives z₁'s bottom-up Gaussian (μ̂, σ̂²) from d₁ and the bottleneck's features from d₂. Top-down, z₂ → `td.dense` gives
 * the prior p(z₁|z₂) = N(μ̃, σ̃²), and the posterior of z₁ is the precision-weighted merge of the two:
 *   σ² = 1 / (σ̂⁻² + σ̃⁻²),   μ = (μ̂ σ̂⁻² + μ̃ σ̃⁻²) σ².
 * The decoder maps z₁ to pixels. Why a model kind and not a bottleneck: the merge needs the bottom-up d₁ of the
 * *encoder* and the top-down pass from z₂ together, and a bottleneck only sees the encoder's last features.
 *
 * Contract mapping: `encode` / `latent` is z₂ (the bottleneck: its KL is `terms.kl`, its samples feed `decode`);
 * `reconstruction(batch, z₂)` is the rest of the negative ELBO given z₂: −log p(x|z₁) + KL(q(z₁|x,z₂) ‖ p(z₁|z₂)),
 * analytic in train mode; in infer mode z₁ is drawn from q with the model's own seeded Rng and the KL is the sampled
 * log-ratio, so eval's importance-weighted bound over z₂ is the two-layer IWAE bound. `decode(z₂)` generates through
 * p(z₁|z₂)'s mean. `stochasticLayers(batch)` gives each layer's KL and means for eval (per-layer KL, active units).
 */
import { LatentkitError, type Rng } from '@latentkit/core';
import { schemas, z } from '@latentkit/core/schema';
import { tf } from '@latentkit/core/layers';
import type { BottleneckConfig } from '@latentkit/bottlenecks';
import type { ExportPlan } from '../export-plan.js';
import { defineModel } from '../kind.js';
import { build, dense } from '../layers.js';
import type { Networks } from '../network.js';
import type { ConditionConfig } from '../condition.js';
import type { ForwardContext, ImageBatch, ImageLikelihood, StochasticLayer } from '../types.js';
import { BaseModel, type Reconstruction } from './base.js';
import { imageArea, imageFromData, imageNll, imageSchemaFields, imageTensor, sizeAgrees, withImageDims } from './image.js';

const INFER: ForwardContext = { mode: 'infer' };
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export interface ImageLadderConfig {
  readonly kind: 'imageLadder';
  readonly size?: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly likelihood: ImageLikelihood;
  /** Widths of the bottom-up layers d₁ and d₂ (mirrored: `td.dense` has d₂'s width, the decoder d₁'s). Default [512, 256]. */
  readonly hiddenDims: readonly [number, number];
  /** Width of the lower stochastic layer z₁. Default 32. */
  readonly lowerLatentDim: number;
  readonly bottleneck: BottleneckConfig;
  readonly condition?: ConditionConfig;
}

/** A diagonal Gaussian as mean and log-variance. */
interface Gauss {
  readonly mean: tf.Tensor2D;
  readonly logVar: tf.Tensor2D;
}

/** Precision-weighted merge of two Gaussians over the same variable (the Ladder VAE's top-down inference step). */
export function precisionWeightedMerge(a: Gauss, b: Gauss): Gauss {
  return tf.tidy(() => {
    const pa = tf.exp(a.logVar.neg());
    const pb = tf.exp(b.logVar.neg());
    const precision = pa.add(pb);
    return { mean: a.mean.mul(pa).add(b.mean.mul(pb)).div(precision) as tf.Tensor2D, logVar: tf.log(precision).neg() as tf.Tensor2D };
  });
}

/** KL(q ‖ p) of diagonal Gaussians, summed over dimensions: [batch]. */
export function gaussianKl(q: Gauss, p: Gauss): tf.Tensor1D {
  return tf.tidy(() =>
    p.logVar
      .sub(q.logVar)
      .add(tf.exp(q.logVar).add(q.mean.sub(p.mean).square()).div(tf.exp(p.logVar)))
      .sub(1)
      .mul(0.5)
      .sum(1),
  ) as tf.Tensor1D;
}

function logNormal(x: tf.Tensor2D, g: Gauss): tf.Tensor1D {
  return tf.tidy(() => x.sub(g.mean).square().div(tf.exp(g.logVar)).add(g.logVar).mul(-0.5).sub(HALF_LOG_2PI).sum(1)) as tf.Tensor1D;
}

export class ImageLadder extends BaseModel<ImageLadderConfig> {
  private readonly up: [tf.layers.Layer, tf.layers.Layer];
  private readonly upMean: tf.layers.Layer;
  private readonly upLogVar: tf.layers.Layer;
  private readonly proj?: tf.layers.Layer;
  private readonly td: tf.layers.Layer;
  private readonly tdMean: tf.layers.Layer;
  private readonly tdLogVar: tf.layers.Layer;
  private readonly dec: tf.layers.Layer;
  private readonly out: tf.layers.Layer;
  /** Draws z₁ in infer mode (the IW bound), seeded, so an evaluation reproduces. */
  private readonly inferRng: Rng;

  constructor(config: ImageLadderConfig, rng: Rng, networks: Networks = {}) {
    super(config, rng);
    if (networks.encoder || networks.decoder)
      throw new LatentkitError('UNSUPPORTED', 'imageLadder has no custom networks: its inference runs through both of its own stacks');
    const area = imageArea(config);
    const [h1, h2] = config.hiddenDims;
    const l1 = config.lowerLatentDim;
    this.up = [this.add(build(dense('enc.dense0', h1, 'relu', rng), [area])), this.add(build(dense('enc.dense1', h2, 'relu', rng), [h1]))];
    this.upMean = this.add(build(dense('enc.z1.mean', l1, 'linear', rng), [h1]));
    this.upLogVar = this.add(build(dense('enc.z1.logVar', l1, 'linear', rng), [h1]));
    this.proj = this.encoderProjection(h2, rng);
    this.td = this.add(build(dense('td.dense', h2, 'relu', rng), [this.decoderInputWidth]));
    this.tdMean = this.add(build(dense('td.z1.mean', l1, 'linear', rng), [h2]));
    this.tdLogVar = this.add(build(dense('td.z1.logVar', l1, 'linear', rng), [h2]));
    this.dec = this.add(build(dense('dec.dense0', h1, 'relu', rng), [l1]));
    this.out = this.add(build(dense('dec.out', area, 'linear', rng), [h1]));
    this.inferRng = rng.fork('ladder-infer');
  }

  private bottomUp(batch: ImageBatch): { d1: tf.Tensor2D; d2: tf.Tensor2D } {
    const d1 = this.up[0].apply(imageTensor(batch, this.config)) as tf.Tensor2D;
    return { d1, d2: this.up[1].apply(d1) as tf.Tensor2D };
  }

  features(batch: ImageBatch, _ctx: ForwardContext): tf.Tensor2D {
    return this.featuresFrom(this.bottomUp(batch).d2, batch, this.proj);
  }

  /** p(z₁ | z₂) from the decoder input (z₂, and the condition). */
  private topDown(input: tf.Tensor2D): Gauss {
    const t = this.td.apply(input) as tf.Tensor2D;
    return { mean: this.tdMean.apply(t) as tf.Tensor2D, logVar: (this.tdLogVar.apply(t) as tf.Tensor2D).clipByValue(-10, 10) as tf.Tensor2D };
  }

  private pixels(z1: tf.Tensor2D): tf.Tensor2D {
    return this.out.apply(this.dec.apply(z1)) as tf.Tensor2D;
  }

  /** Generation: z₂ (with the condition) → the mean of p(z₁|z₂) → pixel logits or means. */
  decode(code: tf.Tensor2D, _inputs?: tf.Tensor2D, _ctx: ForwardContext = INFER): tf.Tensor2D {
    return tf.tidy(() => this.pixels(this.topDown(code).mean));
  }

  /** q(z₁ | x, z₂) and p(z₁ | z₂). */
  private lowerLayer(batch: ImageBatch, code: tf.Tensor2D): { q: Gauss; p: Gauss } {
    const { d1 } = this.bottomUp(batch);
    const up: Gauss = { mean: this.upMean.apply(d1) as tf.Tensor2D, logVar: (this.upLogVar.apply(d1) as tf.Tensor2D).clipByValue(-10, 10) as tf.Tensor2D };
    const p = this.topDown(this.withCondition(code, batch));
    return { q: precisionWeightedMerge(up, p), p };
  }

  reconstruction(batch: ImageBatch, code: tf.Tensor2D, ctx: ForwardContext = INFER): Reconstruction {
    const nll = tf.tidy(() => {
      const { q, p } = this.lowerLayer(batch, code);
      const rng = ctx.mode === 'train' && ctx.rng ? ctx.rng : this.inferRng;
      const eps = tf.randomNormal(q.mean.shape, 0, 1, 'float32', rng.tfSeed());
      const z1 = q.mean.add(tf.exp(q.logVar.mul(0.5)).mul(eps)) as tf.Tensor2D;
      const x = imageTensor(batch, this.config);
      const rec = imageNll(this.config.likelihood, this.pixels(z1), x);
      // Train: the analytic KL (lower variance). Infer: the sampled log-ratio, so an IW bound over z₂ is exact IWAE.
      const kl = ctx.mode === 'train' ? gaussianKl(q, p) : logNormal(z1, q).sub(logNormal(z1, p));
      return rec.add(kl) as tf.Tensor1D;
    });
    return { nll, units: this.units(batch) };
  }

  /**
   * Per-layer terms at the deterministic top code (z₂ = its posterior mean): each layer's KL per example (z1 the
   * lower, analytic; z2 the top, the bottleneck's `terms.kl`) and posterior means, for active units.
   */
  stochasticLayers(batch: ImageBatch): StochasticLayer[] {
    const [lower, top] = tf.tidy(() => {
      const topOut = this.bottleneck.apply(this.features(batch, INFER), INFER);
      const { q, p } = this.lowerLayer(batch, topOut.code);
      const topKl = (topOut.terms.kl ?? tf.zeros([batch.size])) as tf.Tensor1D;
      return [
        [gaussianKl(q, p), q.mean],
        [topKl, topOut.latent],
      ] as unknown as tf.Tensor[][];
    }) as unknown as [[tf.Tensor1D, tf.Tensor2D], [tf.Tensor1D, tf.Tensor2D]];
    return [
      { name: 'z1', kl: lower[0], means: lower[1] },
      { name: 'z2', kl: top[0], means: top[1] },
    ];
  }

  exportPlan(): ExportPlan {
    throw new LatentkitError(
      'UNSUPPORTED',
      'imageLadder does not export to ONNX: its top-down inference step (the precision-weighted merge) has no export plan',
    );
  }

  units(batch: ImageBatch): number {
    return batch.size * imageArea(this.config);
  }

  protected batchSize(batch: ImageBatch): number {
    return batch.size;
  }
}

export const imageLadder = defineModel<ImageLadderConfig>({
  kind: 'imageLadder',
  summary: 'Ladder VAE for images (Sønderby et al. 2016): two stochastic layers, top-down precision-weighted inference',
  reads: 'image',
  schema: z
    .strictObject({
      kind: z.literal('imageLadder'),
      ...imageSchemaFields(),
      hiddenDims: z.tuple([schemas.positiveInt(), schemas.positiveInt()]).default([512, 256]),
      lowerLatentDim: schemas.positiveInt().default(32),
    })
    .refine(sizeAgrees, { path: ['size'], error: 'equal to height and width when they are given (size is the side of a square image)' })
    .transform(withImageDims) as never,
  encoderWidth: (config) => config.hiddenDims[1],
  fromData: imageFromData,
  defaults: { latentDim: 8, batchSize: 128 },
  create: (config, rng, networks) => new ImageLadder(config, rng, networks),
});
