/**
 * How much of the latent space a model uses, accumulated over a dataset batch by batch:
 * - active units (Burda et al. 2016): dimension j is active when Cov_x(E_q[z_j|x]) > 0.01;
 * - KL per dimension, E_x KL(q(z_j|x) ‖ N(0,1)), for diagonal Gaussian posteriors (the only family where the KL
 *   splits over dimensions);
 * - the mutual information I(x; z) under the model's joint q(z|x)p_data(x), estimated as in Hoffman & Johnson
 *   (2016) and He et al. (2019): I = E_x E_q[log q(z|x)] − E_q(z)[log q(z)] = E_x KL(q(z|x)‖p) − KL(q(z)‖p), where
 *   the aggregate posterior q(z) is the mixture of the posteriors of the examples in the batch. Its bias shrinks
 *   with the batch size; use batches of a few hundred.
 */
import { type Rng, tf } from '@latentkit/core';
import { DiagonalGaussian, type LatentDistribution, type LatentPrior } from '@latentkit/distributions';
import { take } from './pieces.js';

export const ACTIVE_UNIT_THRESHOLD = 0.01;

export interface LatentStatistics {
  readonly examples: number;
  /** Cov_x(E_q[z_j|x]) per dimension (sample variance, n − 1). */
  readonly posteriorMeanVariance: number[];
  /** Dimensions whose posterior-mean variance exceeds `activeUnitThreshold`. */
  readonly activeUnits: number;
  readonly activeUnitThreshold: number;
  /** E_x KL(q(z_j|x) ‖ N(0,1)) per dimension; null when the posterior is not a diagonal Gaussian. */
  readonly klPerDimension: number[] | null;
  /** Estimate of I(x; z) in nats. */
  readonly mutualInformation: number;
  /** Estimate of KL(q(z) ‖ p(z)) for the aggregate posterior, in nats. */
  readonly aggregateKl: number;
}

/** MI estimate for one batch; also returns the aggregate-posterior KL. Rows of the [b, b] density matrix go in chunks. */
export function mutualInformationBatch(
  posterior: LatentDistribution,
  prior: LatentPrior,
  rng: Rng,
  rowsPerChunk = 128,
): { mutualInformation: number; aggregateKl: number } {
  const b = posterior.batchSize;
  const z = posterior.sample(rng);
  try {
    const logPrior = take(prior.logProb(z));
    const entropy = take(posterior.entropy());
    let logAggregateSum = 0;
    for (let start = 0; start < b; start += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, b - start);
      // logProb of [rows, b, d] evaluates z_i (repeated along the batch axis) under every q(·|x_j): [rows, b].
      const logQ = take(tf.tidy(() => posterior.logProb(tf.tile(tf.expandDims(tf.slice(z, [start, 0], [rows, posterior.dim]), 1), [1, b, 1]) as tf.Tensor3D)));
      for (let r = 0; r < rows; r++) {
        let max = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < b; j++) max = Math.max(max, logQ[r * b + j] as number);
        let sum = 0;
        for (let j = 0; j < b; j++) sum += Math.exp((logQ[r * b + j] as number) - max);
        logAggregateSum += max + Math.log(sum / b);
      }
    }
    const meanLogAggregate = logAggregateSum / b;
    const meanEntropy = entropy.reduce((s, v) => s + v, 0) / b;
    const meanLogPrior = logPrior.reduce((s, v) => s + v, 0) / b;
    return { mutualInformation: -meanEntropy - meanLogAggregate, aggregateKl: meanLogAggregate - meanLogPrior };
  } finally {
    z.dispose();
  }
}

/** Per-dimension KL of a diagonal Gaussian posterior to N(0, 1), summed over the batch; null for other families. */
function klPerDimensionSum(posterior: LatentDistribution): Float64Array | null {
  if (!(posterior instanceof DiagonalGaussian)) return null;
  const kl = take(tf.tidy(() => tf.sum(tf.exp(posterior.logVar).add(tf.square(posterior.loc)).sub(posterior.logVar).sub(1).mul(0.5), 0)));
  return kl;
}

/** Adds batches one at a time; `result()` gives the dataset-level statistics. */
/**
 * Per-dimension sample variance of rows added batch by batch (Welford's update, one row at a time: exact to float64
 * round-off whatever the batch order). Active units are the dimensions whose variance of posterior means exceeds
 * the threshold.
 */
export class RunningVariance {
  private count = 0;
  private mean: Float64Array | undefined;
  private meanSquareDev: Float64Array | undefined;

  /** `rows` is [b, d] row-major. */
  add(rows: ArrayLike<number>, b: number, d: number): void {
    if (!this.mean || !this.meanSquareDev) {
      this.mean = new Float64Array(d);
      this.meanSquareDev = new Float64Array(d);
    }
    for (let i = 0; i < b; i++) {
      this.count++;
      for (let j = 0; j < d; j++) {
        const v = rows[i * d + j] as number;
        const delta = v - (this.mean[j] as number);
        this.mean[j] = (this.mean[j] as number) + delta / this.count;
        this.meanSquareDev[j] = (this.meanSquareDev[j] as number) + delta * (v - (this.mean[j] as number));
      }
    }
  }

  get examples(): number {
    return this.count;
  }

  /** Sample variances (n − 1) per dimension. */
  variances(): number[] {
    const n = this.count;
    return Array.from(this.meanSquareDev ?? [], (m) => (n > 1 ? m / (n - 1) : 0));
  }
}

export class LatentStatisticsAccumulator {
  private readonly means = new RunningVariance();
  private klSum: Float64Array | null | undefined;
  private miSum = 0;
  private aggregateKlSum = 0;

  constructor(
    private readonly rng: Rng,
    private readonly activeUnitThreshold = ACTIVE_UNIT_THRESHOLD,
  ) {}

  /** Adds one batch: the posteriors of its examples and the model's prior. */
  add(posterior: LatentDistribution, prior: LatentPrior): void {
    const b = posterior.batchSize;
    const d = posterior.dim;
    this.means.add(take(posterior.mean()), b, d);
    const kl = klPerDimensionSum(posterior);
    if (this.klSum === undefined) this.klSum = kl;
    else if (this.klSum && kl) for (let j = 0; j < d; j++) this.klSum[j] = (this.klSum[j] as number) + (kl[j] as number);
    const mi = mutualInformationBatch(posterior, prior, this.rng);
    this.miSum += mi.mutualInformation * b;
    this.aggregateKlSum += mi.aggregateKl * b;
  }

  result(): LatentStatistics {
    const n = this.means.examples;
    const variances = this.means.variances();
    return {
      examples: n,
      posteriorMeanVariance: variances,
      activeUnits: variances.filter((v) => v > this.activeUnitThreshold).length,
      activeUnitThreshold: this.activeUnitThreshold,
      klPerDimension: this.klSum ? Array.from(this.klSum, (s) => s / n) : null,
      mutualInformation: n > 0 ? this.miSum / n : Number.NaN,
      aggregateKl: n > 0 ? this.aggregateKlSum / n : Number.NaN,
    };
  }
}
