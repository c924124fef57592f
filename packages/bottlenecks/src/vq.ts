/**
 * VQ-VAE (van den Oord et al. 2017, "Neural Discrete Representation Learning").
 *
 * The encoder features are z_e. The decoder sees the nearest codeword e_k, with the straight-through gradient
 * z_e + sg(e_k − z_e). Terms per example:
 *   codebook   ‖sg(z_e) − e_k‖²   (moves the codeword; absent with EMA updates, which move it instead)
 *   commitment ‖z_e − sg(e_k)‖²   (keeps the encoder near its codeword), weighted by β.
 *
 * EMA updates (paper, appendix A.1), run in `afterStep` with the batch's assignments n_k and sums s_k = Σ z_e:
 *   N_k ← γ N_k + (1 − γ) n_k,  m_k ← γ m_k + (1 − γ) s_k,  e_k ← m_k / Ñ_k,
 * with Laplace-smoothed counts Ñ_k = (N_k + ε) / (Σ N + K ε) · Σ N. The accumulators start as if every codeword had
 * been picked once where it lies (N_k = 1, m_k = e_k), so early updates are well scaled without bias correction and
 * a codeword nobody picks stays where it is.
 *
 * Dead-codeword restart (as in Dhariwal et al. 2020, "Jukebox"): usage u_k ← δ u_k + (1 − δ) n_k / batch; a codeword
 * with u_k < threshold / K moves onto a random encoder output of the batch and its usage is reset to 1/K.
 *
 * Defaults: EMA, restarts and initialisation from data are on. With the codebook learned by gradient from ±1/K
 * (the paper's form, `ema: null, restart: null, init: 'uniform'`), every example of a 784-500-500-2000 MNIST encoder
 * picks the same codeword, the straight-through gradient of the summed reconstruction pushes the whole batch off the
 * codebook faster than Adam moves the codewords (about lr per step), and the commitment term grows without bound
 * (validation loss 80,000 at step 10, 540,000 at step 20 from `latentkit train --bottleneck vq` before the change).
 *
 * Initialisation `kmeans++` (default): after the first training step (ctx.step 0, or the first training call when no
 * step is given) the codebook becomes a k-means++ pick of that batch's encoder outputs, drawn from the training Rng,
 * and the EMA accumulators and usage restart there. A resumed run (step > 0) never re-initialises: the codebook comes
 * from the checkpoint, so resume is exact.
 */
import { type Rng, tf } from '@latentkit/core';
import { checkContext, checkFeatures, trainRng } from './checks.js';
import { squaredError, stopGradient, straightThrough } from './gradients.js';
import type { InferenceSpec } from './inference.js';
import { hardAssignments, nearestCodeword, sampleCodewords } from './quantize.js';
import { codewordCounts, finiteStats, perplexity } from './stats.js';
import type { Bottleneck, BottleneckContext, BottleneckOutput, BottleneckStats } from './types.js';
import { makeVariable, uniformValues } from './variables.js';
import { kMeansPlusPlus } from './codebook-init.js';
import { defineBottleneck } from './kind.js';
import { schemas, sizes, z } from './schema.js';

export interface EmaConfig {
  /** Default 0.99. */
  readonly decay: number;
  /** Laplace smoothing of the cluster sizes, so an empty cluster never divides by zero. Default 1e-5. */
  readonly epsilon: number;
}

export interface RestartConfig {
  /**
   * A codeword is dead when its usage (a moving average, decay `decay`, of the fraction of the batch assigned to it)
   * falls below `threshold / codebookSize`: `threshold` is relative to uniform use. Default 0.5: with K = 64 codewords
   * and batches of 128 that is Jukebox's rule, fewer than one example per batch. (0.03 restarted nothing in a
   * 120-step MNIST run, and 4 of 32 codewords stayed in use.)
   */
  readonly threshold: number;
  /** Default 0.95: usage averages over about 20 batches, so a codeword unused for ~15 steps restarts. */
  readonly decay: number;
}

/** VQ-VAE (van den Oord et al. 2017). The encoder features are the pre-quantization code z_e. */
export interface VqConfig {
  readonly kind: 'vq';
  /** Codeword dimension; also the width of the code. */
  readonly inputDim: number;
  /** Number of codewords K. */
  readonly codebookSize: number;
  /** Weight of the commitment term. Default 0.25. */
  readonly beta: number;
  /** EMA codebook updates instead of the codebook loss (default {decay 0.99, epsilon 1e-5}); null learns the codebook by gradient. */
  readonly ema: EmaConfig | null;
  /** Restart of dead codewords on a random encoder output of the batch (default {threshold 0.5, decay 0.95}); null never restarts. */
  readonly restart: RestartConfig | null;
  /** `kmeans++` (default): the codebook is re-drawn from the first training batch's encoder outputs; `uniform`: ±1/K only. */
  readonly init: 'kmeans++' | 'uniform';
}

export class VqBottleneck implements Bottleneck<VqConfig> {
  readonly config: VqConfig;
  readonly inputDim: number;
  readonly codeDim: number;
  readonly trainableVariables: Readonly<Record<string, tf.Variable>>;
  readonly stateVariables: Readonly<Record<string, tf.Variable>>;
  /** The codewords, one per row: [K, dim]. Learned by gradient, or by EMA (then not trainable). */
  readonly codebook: tf.Variable<tf.Rank.R2>;
  private readonly keys: { codebook: string };
  private readonly ema?: { count: tf.Variable<tf.Rank.R1>; sum: tf.Variable<tf.Rank.R2> };
  private readonly usage?: tf.Variable<tf.Rank.R1>;
  /** Whether the codebook still awaits its initialisation from data (only with init 'kmeans++'). */
  private awaitingData: boolean;

  constructor(config: VqConfig, rng: Rng, scope: string) {
    this.config = config;
    this.awaitingData = config.init === 'kmeans++';
    this.inputDim = config.inputDim;
    this.codeDim = config.inputDim;
    const K = config.codebookSize;
    const learnByGradient = config.ema === null;
    this.keys = { codebook: `${scope}/codebook` };
    // Uniform on ±1/K, the initialisation of the reference VQ-VAE implementations.
    this.codebook = tf.tidy(() => makeVariable(this.keys.codebook, uniformValues(rng, [K, this.inputDim], 1 / K), learnByGradient)) as tf.Variable<tf.Rank.R2>;
    const state: Record<string, tf.Variable> = {};
    if (config.ema !== null) {
      this.ema = tf.tidy(() => ({
        count: makeVariable(`${scope}/ema_count`, tf.ones([K]), false) as tf.Variable<tf.Rank.R1>,
        sum: makeVariable(`${scope}/ema_sum`, this.codebook.clone(), false) as tf.Variable<tf.Rank.R2>,
      }));
      state[this.keys.codebook] = this.codebook;
      state[`${scope}/ema_count`] = this.ema.count;
      state[`${scope}/ema_sum`] = this.ema.sum;
    }
    if (config.restart !== null) {
      this.usage = tf.tidy(() => makeVariable(`${scope}/usage`, tf.fill([K], 1 / K), false) as tf.Variable<tf.Rank.R1>);
      state[`${scope}/usage`] = this.usage;
    }
    this.trainableVariables = learnByGradient ? { [this.keys.codebook]: this.codebook } : {};
    this.stateVariables = state;
  }

  /** Codewords drawn uniformly: what the decoder sees for a code that quantizes to one of them. */
  sampleCodes(n: number, rng: Rng): tf.Tensor2D {
    return sampleCodewords(this.codebook, n, rng);
  }

  apply(h: tf.Tensor2D, ctx: BottleneckContext): BottleneckOutput {
    checkFeatures(h, this.inputDim, this.config.kind);
    checkContext(ctx);
    return tf.tidy((): BottleneckOutput => {
      const { codewords } = nearestCodeword(h, this.codebook);
      const commitment = squaredError(h, stopGradient(codewords));
      const code = ctx.mode === 'train' ? straightThrough(h, codewords) : codewords;
      const weightedCommitment = tf.mul(this.config.beta, tf.mean(commitment)) as tf.Scalar;
      if (this.ema) return { code, latent: h, terms: { commitment }, regularizer: weightedCommitment };
      const codebook = squaredError(stopGradient(h), codewords);
      return { code, latent: h, terms: { codebook, commitment }, regularizer: tf.add(tf.mean(codebook), weightedCommitment) as tf.Scalar };
    });
  }

  /** The index of the nearest codeword per example: [batch] int32. The discrete code. */
  assign(h: tf.Tensor2D): tf.Tensor1D {
    checkFeatures(h, this.inputDim, this.config.kind);
    return tf.tidy(() => nearestCodeword(h, this.codebook).indices);
  }

  /** EMA codebook update and dead-codeword restart, from the batch's features; a no-op at inference. */
  afterStep(h: tf.Tensor2D, ctx: BottleneckContext): void {
    checkFeatures(h, this.inputDim, this.config.kind);
    checkContext(ctx);
    if (ctx.mode !== 'train') return;
    if (this.awaitingData) {
      this.awaitingData = false;
      // A resumed run (step > 0) has its codebook from the checkpoint.
      if (ctx.step === undefined || ctx.step === 0) {
        this.initFromData(h, trainRng(ctx, this.config.kind));
        return;
      }
    }
    if (!this.ema && !this.usage) return;
    const rng = this.usage ? trainRng(ctx, this.config.kind) : undefined;
    const counts = tf.tidy(() => {
      const onehot = hardAssignments(h, this.codebook);
      const n = tf.sum(onehot, 0) as tf.Tensor1D;
      if (this.ema && this.config.ema) this.emaUpdate(n, tf.matMul(onehot, h, true, false), this.config.ema);
      return n;
    });
    if (this.usage && rng && this.config.restart) this.restartDead(h, counts, rng, this.config.restart);
    counts.dispose();
  }

  private initFromData(h: tf.Tensor2D, rng: Rng): void {
    const K = this.config.codebookSize;
    const picked = kMeansPlusPlus(h.dataSync() as Float32Array, h.shape[0], this.inputDim, K, rng);
    tf.tidy(() => {
      this.codebook.assign(tf.tensor2d(picked, [K, this.inputDim]));
      if (this.ema) {
        this.ema.count.assign(tf.ones([K]));
        this.ema.sum.assign(this.codebook);
      }
      this.usage?.assign(tf.fill([K], 1 / K));
    });
  }

  private emaUpdate(n: tf.Tensor1D, sums: tf.Tensor2D, ema: NonNullable<VqConfig['ema']>): void {
    const { count, sum } = this.ema!;
    const g = ema.decay;
    count.assign(tf.add(tf.mul(g, count), tf.mul(1 - g, n)));
    sum.assign(tf.add(tf.mul(g, sum), tf.mul(1 - g, sums)));
    const total = tf.sum(count);
    const smoothed = tf.mul(tf.div(tf.add(count, ema.epsilon), tf.add(total, this.config.codebookSize * ema.epsilon)), total);
    this.codebook.assign(tf.div(sum, smoothed.expandDims(1)));
  }

  private restartDead(h: tf.Tensor2D, counts: tf.Tensor1D, rng: Rng, restart: NonNullable<VqConfig['restart']>): void {
    const usage = this.usage!;
    const K = this.config.codebookSize;
    const batch = h.shape[0];
    tf.tidy(() => usage.assign(tf.add(tf.mul(restart.decay, usage), tf.mul((1 - restart.decay) / batch, counts))));
    const u = usage.dataSync();
    const dead: number[] = [];
    for (let k = 0; k < K; k++) if ((u[k] as number) < restart.threshold / K) dead.push(k);
    if (dead.length === 0) return;
    // Distinct encoder outputs while the batch lasts, so two restarted codewords do not land on one point.
    const order = rng.permutation(batch);
    const rows = dead.map((_, i) => order[i % batch] as number);
    tf.tidy(() => {
      const at = tf.tensor2d(dead, [dead.length, 1], 'int32');
      const isDead = tf.scatterND(at, tf.ones([dead.length]), [K]) as tf.Tensor1D;
      const alive = tf.sub(1, isDead);
      const placed = tf.scatterND(at, tf.gather(h, tf.tensor1d(rows, 'int32')), [K, this.inputDim]);
      this.codebook.assign(tf.add(tf.mul(this.codebook, alive.expandDims(1)), placed));
      usage.assign(tf.add(tf.mul(usage, alive), tf.mul(1 / K, isDead)));
      if (this.ema) {
        // Restarted as if picked once where it now lies, like the initial state.
        this.ema.count.assign(tf.add(tf.mul(this.ema.count, alive), isDead));
        this.ema.sum.assign(tf.add(tf.mul(this.ema.sum, alive.expandDims(1)), placed));
      }
    });
  }

  stats(h: tf.Tensor2D): BottleneckStats {
    checkFeatures(h, this.inputDim, this.config.kind);
    const [indices, error] = tf.tidy(() => {
      const { indices, codewords } = nearestCodeword(h, this.codebook);
      return [indices, tf.mean(squaredError(h, codewords))];
    });
    const counts = codewordCounts(indices.dataSync(), this.config.codebookSize);
    const quantizationError = error.dataSync()[0] as number;
    tf.dispose([indices, error]);
    const stats: Record<string, number | readonly number[]> = {
      perplexity: perplexity(counts),
      codebookUsage: counts.filter((c) => c > 0).length / this.config.codebookSize,
      quantizationError,
      codewordCounts: counts,
    };
    if (this.usage && this.config.restart) {
      const threshold = this.config.restart.threshold / this.config.codebookSize;
      stats.deadCodewords = Array.from(this.usage.dataSync()).filter((u) => u < threshold).length;
    }
    return finiteStats(this.config.kind, stats);
  }

  inference(): InferenceSpec {
    return {
      kind: this.config.kind,
      inputDim: this.inputDim,
      codeDim: this.codeDim,
      steps: [{ op: 'nearestCodeword', codebook: this.keys.codebook }],
      weights: { [this.keys.codebook]: this.codebook },
    };
  }

  dispose(): void {
    for (const v of new Set([this.codebook, ...Object.values(this.stateVariables)])) v.dispose();
  }
}

const ema = z.strictObject({ decay: schemas.unitInterval().default(0.99), epsilon: schemas.positive().default(1e-5) });
const restart = z.strictObject({ threshold: schemas.positive().default(0.5), decay: schemas.unitInterval().default(0.95) });

export const vq = defineBottleneck<VqConfig>({
  kind: 'vq',
  summary: 'VQ-VAE: nearest codeword, straight-through gradient, commitment term',
  schema: z.strictObject({
    kind: z.literal('vq'),
    inputDim: sizes.inputDim(),
    codebookSize: sizes.codebookSize(),
    beta: schemas.nonNegative().default(0.25),
    ema: ema.nullable().default({ decay: 0.99, epsilon: 1e-5 }),
    restart: restart.nullable().default({ threshold: 0.5, decay: 0.95 }),
    init: z.enum(['kmeans++', 'uniform']).default('kmeans++'),
  }),
  latentField: 'inputDim',
  create: (config, { rng, scope }) => new VqBottleneck(config, rng, scope),
});
