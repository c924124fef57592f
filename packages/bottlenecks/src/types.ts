/**
 * The contract between an encoder, a bottleneck and a decoder. Models, eval and the ONNX exporter build against
 * these names.
 *
 * An encoder produces features h: [batch, inputDim]. The bottleneck turns them into the code the decoder sees:
 * [batch, codeDim]. Everything a bottleneck learns (heads, codebooks) lives in the bottleneck.
 */
import type { Rng, tf } from '@latentkit/core';
import type { LatentDistribution, LatentPrior } from '@latentkit/distributions';
import type { BottleneckConfig } from './config.js';
import type { InferenceSpec } from './inference.js';

/** `train`: stochastic (noise, sampling, EMA updates allowed). `infer`: deterministic; what ONNX export reproduces. */
export type BottleneckMode = 'train' | 'infer';

export interface BottleneckContext {
  readonly mode: BottleneckMode;
  /** Random stream for noise and sampling; required in train mode by the stochastic bottlenecks. */
  readonly rng?: Rng;
  /** Global training step, for annealing schedules (0 when absent). */
  readonly step?: number;
  /**
   * Multiplier of β for this call, replacing the config's `klSchedule`: the hook for schedules a config cannot express
   * (driven by validation loss, by the current KL, …). Absent: the schedule at `step`.
   */
  readonly klWeight?: number;
}

/** A type alias, not an interface, so that it is a `tf.TensorContainer`: `tf.tidy(() => b.apply(h, ctx))` keeps it. */
export type BottleneckOutput = {
  /** What the decoder sees: [batch, codeDim]. */
  readonly code: tf.Tensor2D;
  /** The code before quantization / sampling that downstream tasks use (Gaussian mean, vMF μ, pre-VQ z_e): [batch, latentDim]. */
  readonly latent: tf.Tensor2D;
  /** Named per-example loss terms, unweighted: e.g. kl, commitment, codebook. Each [batch]. */
  readonly terms: Readonly<Record<string, tf.Tensor1D>>;
  /** The scalar the trainer adds to the mean reconstruction loss: the weighted batch mean of the terms. */
  readonly regularizer: tf.Scalar;
};

/** Plain numbers for logs and reports, computed without gradients. */
export type BottleneckStats = Readonly<Record<string, number | readonly number[]>>;

export interface Bottleneck<C extends { readonly kind: string } = BottleneckConfig> {
  /** The full config (defaults filled in); `createBottleneck(JSON.parse(JSON.stringify(config)))` rebuilds the same bottleneck. */
  readonly config: C;
  /** Width of the encoder features it expects. */
  readonly inputDim: number;
  /** Width of the code it hands to the decoder. */
  readonly codeDim: number;
  /**
   * Named trainable variables (for optimizers and checkpoints). The keys are stable across processes
   * (`bottleneck/codebook`); the tf.Variable names are made unique per process, because tfjs refuses two variables
   * with one name.
   */
  readonly trainableVariables: Readonly<Record<string, tf.Variable>>;
  /** Named non-trainable state (EMA accumulators, …), checkpointed too. */
  readonly stateVariables: Readonly<Record<string, tf.Variable>>;
  apply(h: tf.Tensor2D, ctx: BottleneckContext): BottleneckOutput;
  /** Called by the trainer after each optimizer step with the same features; EMA codebooks and dead-code restarts live here. */
  afterStep?(h: tf.Tensor2D, ctx: BottleneckContext): void;
  /** Statistics over a batch of features: KL per dimension, active units, codebook usage, perplexity, … */
  stats(h: tf.Tensor2D): BottleneckStats;
  /** What the ONNX exporter needs to rebuild inference mode: a list of steps over named weights. */
  inference(): InferenceSpec;
  /**
   * `n` codes the decoder can turn into new examples: prior draws, or codewords. Absent on kinds with neither (a
   * plain or denoising autoencoder), where a caller fits a distribution to codes it has seen instead.
   */
  sampleCodes?(n: number, rng: Rng): tf.Tensor2D;
  dispose(): void;
}

/** A bottleneck with a density: its posterior q(z|h) and prior p(z), for importance-weighted bounds. */
export interface DensityBottleneck<C extends { readonly kind: string } = BottleneckConfig> extends Bottleneck<C> {
  /**
   * q(z | h) for a batch of features. Its parameter tensors are new and belong to the caller: build and use it inside
   * tf.tidy. The code in inference mode is its `mode()`.
   */
  posterior(h: tf.Tensor2D): LatentDistribution;
  /** p(z), the prior the KL term is taken against. */
  prior(): LatentPrior;
}

/** True for the bottlenecks with a posterior density (Gaussian, vMF, Power Spherical). */
export function hasDensity(b: Bottleneck): b is DensityBottleneck {
  return typeof (b as Partial<DensityBottleneck>).posterior === 'function';
}
