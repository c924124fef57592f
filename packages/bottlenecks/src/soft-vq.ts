/**
 * Bayesian soft quantization (Wu & Flierl, AAAI 2020, "Vector Quantization-Based Regularization for Autoencoders").
 *
 * The pre-quantization code z (h, or a linear head on h) is observed through Gaussian noise; the decoder gets the
 * Bayesian (posterior-mean) estimate of the codeword behind it, ẑ = Σ_k p_k e_k, which is a soft quantization:
 *   `noise`:             z̃ = z + σε in training (z̃ = z at inference), p = softmax(−‖z̃ − e_k‖²/2σ²);
 *   `predictedVariance`: no noise, ℓ = linear(h) ∈ R^K, p = softmax(−½‖z − e_k‖²·e^{−2ℓ_k} + ℓ_k).
 * Terms per example, VQ-VAE's applied to the soft output:
 *   codebook   ‖ẑ − sg(z)‖²  (its gradient reaches the codebook, and z and ℓ through the weights p)
 *   commitment ‖z − sg(ẑ)‖²  (reaches z only), weighted by β.
 * With `straightThrough` the decoder sees z + sg(ẑ − z); without it, ẑ itself.
 */
import { type Rng, tf } from '@latentkit/core';
import { checkContext, checkFeatures, trainRng } from './checks.js';
import { squaredError, stopGradient, straightThrough } from './gradients.js';
import { type InferenceSpec, type InferenceStep, linearStep } from './inference.js';
import { LOG_SCALE_LIMIT, sampleCodewords, scaledSoftAssignments, softAssignments } from './quantize.js';
import { finiteStats, perplexity } from './stats.js';
import type { Bottleneck, BottleneckContext, BottleneckOutput, BottleneckStats } from './types.js';
import { type LinearWeights, linear, linearVariables, linearWeights, makeVariable, uniformValues } from './variables.js';
import { defineBottleneck } from './kind.js';
import { schemas, sizes, z } from './schema.js';

/**
 * Wu & Flierl's Bayesian soft quantization (AAAI 2020, "Vector Quantization-Based Regularization for Autoencoders").
 * - `noise` (the paper): z̃ = z + N(0, σ²I) in training (z̃ = z at inference); the decoder gets the posterior mean of
 *   the codewords, ẑ = Σ_k softmax_k(−‖z̃ − e_k‖²/2σ²)·e_k.
 * - `predictedVariance` (the authors' published code): no noise is sampled; a linear head on h predicts a log scale
 *   ℓ_k per example and codeword, and ẑ = Σ_k softmax_k(−‖z − e_k‖²·e^{−2ℓ_k}/2 + ℓ_k)·e_k. The README details
 *   every difference.
 */
export interface SoftVqConfig {
  readonly kind: 'softVq';
  readonly inputDim: number;
  readonly codebookSize: number;
  /**
   * Width of the pre-quantization code z (and of the codewords). null (default): z = h, so it is `inputDim`. A
   * number: z = linear(h), the layout of the authors' code (two dense heads on the encoder's features).
   */
  readonly latentDim: number | null;
  /** Default `noise`. */
  readonly variant: 'noise' | 'predictedVariance';
  /** Noise standard deviation σ of the `noise` variant (relative to the codebook's scale, which starts at ‖e_k‖ ≈ 1). Default 1. */
  readonly sigma: number;
  /** Weight of the commitment term. Default 0.25. */
  readonly beta: number;
  /**
   * The decoder sees z + sg(ẑ − z): ẑ forward, the identity to z backward, nothing to the codebook. Default false for
   * `noise` (the decoder's gradient flows through the soft quantizer), true for `predictedVariance` (as the authors' code).
   */
  readonly straightThrough: boolean;
}

interface SoftQuantized {
  readonly z: tf.Tensor2D;
  /** Posterior probabilities of the codewords: [batch, K]. */
  readonly p: tf.Tensor2D;
  readonly zHat: tf.Tensor2D;
  readonly logScale?: tf.Tensor2D;
}

export class SoftVqBottleneck implements Bottleneck<SoftVqConfig> {
  readonly config: SoftVqConfig;
  readonly inputDim: number;
  readonly codeDim: number;
  readonly trainableVariables: Readonly<Record<string, tf.Variable>>;
  readonly stateVariables = {};
  /** The codewords, one per row: [K, codeDim]. */
  readonly codebook: tf.Variable<tf.Rank.R2>;
  private readonly meanHead?: LinearWeights;
  private readonly scaleHead?: LinearWeights;
  private readonly keys: { codebook: string; mean: string; scale: string };

  constructor(config: SoftVqConfig, rng: Rng, scope: string) {
    this.config = config;
    this.inputDim = config.inputDim;
    this.codeDim = config.latentDim ?? config.inputDim;
    this.keys = { codebook: `${scope}/codebook`, mean: `${scope}/mean`, scale: `${scope}/log_scale` };
    // TF1's uniform_unit_scaling with fan-in = codeword width, as in the authors' code: ‖e_k‖ ≈ 1.
    this.codebook = tf.tidy(() =>
      makeVariable(this.keys.codebook, uniformValues(rng, [config.codebookSize, this.codeDim], Math.sqrt(3 / this.codeDim)), true),
    ) as tf.Variable<tf.Rank.R2>;
    const vars: Record<string, tf.Variable> = { [this.keys.codebook]: this.codebook };
    if (config.latentDim !== null) {
      this.meanHead = linearWeights(rng, this.keys.mean, config.inputDim, config.latentDim);
      Object.assign(vars, linearVariables(this.keys.mean, this.meanHead));
    }
    if (config.variant === 'predictedVariance') {
      this.scaleHead = linearWeights(rng, this.keys.scale, config.inputDim, config.codebookSize);
      Object.assign(vars, linearVariables(this.keys.scale, this.scaleHead));
    }
    this.trainableVariables = vars;
  }

  private quantize(h: tf.Tensor2D, noise: tf.Tensor2D | undefined): SoftQuantized {
    const z = this.meanHead ? linear(h, this.meanHead) : h;
    if (this.scaleHead) {
      const logScale = linear(h, this.scaleHead);
      const p = scaledSoftAssignments(z, this.codebook, logScale);
      return { z, p, zHat: tf.matMul(p, this.codebook), logScale };
    }
    const p = softAssignments(noise ? tf.add<tf.Tensor2D>(z, noise) : z, this.codebook, this.config.sigma);
    return { z, p, zHat: tf.matMul(p, this.codebook) };
  }

  /** Codewords drawn uniformly: what the decoder sees for a code that quantizes to one of them. */
  sampleCodes(n: number, rng: Rng): tf.Tensor2D {
    return sampleCodewords(this.codebook, n, rng);
  }

  apply(h: tf.Tensor2D, ctx: BottleneckContext): BottleneckOutput {
    checkFeatures(h, this.inputDim, this.config.kind);
    checkContext(ctx);
    const train = ctx.mode === 'train';
    const seed = train && this.config.variant === 'noise' ? trainRng(ctx, this.config.kind).tfSeed() : undefined;
    return tf.tidy(() => {
      const noise = seed === undefined ? undefined : tf.randomNormal([h.shape[0], this.codeDim], 0, this.config.sigma, 'float32', seed);
      const { z, zHat } = this.quantize(h, noise as tf.Tensor2D | undefined);
      const codebook = squaredError(zHat, stopGradient(z));
      const commitment = squaredError(z, stopGradient(zHat));
      const code = train && this.config.straightThrough ? straightThrough(z, zHat) : zHat;
      const regularizer = tf.add(tf.mean(codebook), tf.mul(this.config.beta, tf.mean(commitment))) as tf.Scalar;
      return { code, latent: z, terms: { codebook, commitment }, regularizer };
    });
  }

  /** Posterior probabilities of the codewords given h, at inference (no noise): [batch, K]. */
  assignments(h: tf.Tensor2D): tf.Tensor2D {
    checkFeatures(h, this.inputDim, this.config.kind);
    return tf.tidy(() => this.quantize(h, undefined).p);
  }

  stats(h: tf.Tensor2D): BottleneckStats {
    checkFeatures(h, this.inputDim, this.config.kind);
    const [p, meanScale] = tf.tidy(() => {
      const q = this.quantize(h, undefined);
      return [q.p, q.logScale ? tf.mean(tf.exp(q.logScale)) : tf.scalar(this.config.sigma)];
    });
    const K = this.config.codebookSize;
    const probs = p.dataSync();
    const batch = h.shape[0];
    const hard = new Array<number>(K).fill(0);
    const soft = new Array<number>(K).fill(0);
    let assignmentPerplexity = 0;
    for (let b = 0; b < batch; b++) {
      const row = probs.subarray(b * K, (b + 1) * K);
      let best = 0;
      for (let k = 0; k < K; k++) {
        soft[k]! += row[k] as number;
        if ((row[k] as number) > (row[best] as number)) best = k;
      }
      hard[best]! += 1;
      assignmentPerplexity += perplexity(row) / batch;
    }
    const stats = {
      perplexity: perplexity(hard),
      softPerplexity: perplexity(soft),
      assignmentPerplexity,
      codebookUsage: hard.filter((c) => c > 0).length / K,
      meanScale: meanScale.dataSync()[0] as number,
    };
    tf.dispose([p, meanScale]);
    return finiteStats(this.config.kind, stats);
  }

  inference(): InferenceSpec {
    const steps: InferenceStep[] = [];
    const weights: Record<string, tf.Tensor> = { [this.keys.codebook]: this.codebook };
    if (this.meanHead) {
      const head = linearStep(this.keys.mean, this.meanHead);
      steps.push(head.step);
      Object.assign(weights, head.weights);
    }
    if (this.scaleHead) {
      steps.push({
        op: 'softQuantizeScaled',
        codebook: this.keys.codebook,
        scaleKernel: `${this.keys.scale}/kernel`,
        scaleBias: `${this.keys.scale}/bias`,
        logScaleLimit: LOG_SCALE_LIMIT,
      });
      Object.assign(weights, linearVariables(this.keys.scale, this.scaleHead));
    } else {
      steps.push({ op: 'softQuantize', codebook: this.keys.codebook, sigma: this.config.sigma });
    }
    return { kind: this.config.kind, inputDim: this.inputDim, codeDim: this.codeDim, steps, weights };
  }

  dispose(): void {
    for (const v of Object.values(this.trainableVariables)) v.dispose();
  }
}

export const softVq = defineBottleneck<SoftVqConfig>({
  kind: 'softVq',
  summary: "Wu & Flierl's Bayesian soft VQ: noise on the code, posterior mean of the codewords to the decoder",
  schema: z
    .strictObject({
      kind: z.literal('softVq'),
      inputDim: sizes.inputDim(),
      codebookSize: sizes.codebookSize(),
      latentDim: sizes.latentDim().nullable().default(null),
      variant: z.enum(['noise', 'predictedVariance']).default('noise'),
      // 1/2σ² must stay a finite float32 with room for the distances it multiplies.
      sigma: z.number().min(1e-6).max(1e6).default(1),
      beta: schemas.nonNegative().default(0.25),
      straightThrough: z.boolean().optional(),
    })
    // Each variant defaults to its source's decoder path: the paper's soft output, the authors' straight-through.
    .transform((c) => ({ ...c, straightThrough: c.straightThrough ?? c.variant === 'predictedVariance' })),
  latentField: 'inputDim',
  create: (config, { rng, scope }) => new SoftVqBottleneck(config, rng, scope),
});
