/**
 * Diagonal Gaussian N(mean, diag(exp(logVar))) over R^d, with the standard normal N(0, I) as prior.
 * Sampling is reparameterised (z = mean + σ ε), so gradients reach both parameters.
 */
import { type Rng, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, check, tf } from '@latentkit/core';
import { checkBatchMatrix, checkPoints, checkSampleCount } from './checks.js';
import type { LatentDistribution } from './types.js';

const LOG_2PI = Math.log(2 * Math.PI);

export class DiagonalGaussian implements LatentDistribution {
  readonly dim: number;
  readonly batchSize: number;
  readonly support = 'euclidean' as const;
  readonly loc: Tensor2D;
  readonly logVar: Tensor2D;

  /** mean and logVar: [b, d] float32. */
  constructor(mean: Tensor2D, logVar: Tensor2D) {
    checkBatchMatrix(mean, 'mean');
    checkBatchMatrix(logVar, 'logVar');
    check(tf.util.arraysEqual(mean.shape, logVar.shape), 'logVar', `the shape of mean ${JSON.stringify(mean.shape)}`, logVar.shape);
    this.loc = mean;
    this.logVar = logVar;
    [this.batchSize, this.dim] = mean.shape;
  }

  sample(rng: Rng): Tensor2D {
    return tf.tidy(() => this.reparameterise(tf.randomNormal(this.loc.shape, 0, 1, 'float32', rng.tfSeed())));
  }

  sampleN(n: number, rng: Rng): Tensor3D {
    checkSampleCount(n);
    return tf.tidy(() => this.reparameterise(tf.randomNormal([n, this.batchSize, this.dim], 0, 1, 'float32', rng.tfSeed())));
  }

  logProb(z: Tensor2D | Tensor3D): Tensor {
    checkPoints(z, this.dim, this.batchSize);
    return tf.tidy(() => {
      const standardised = tf.sub(z, this.loc).mul(tf.exp(this.logVar.mul(-0.5)));
      return tf.sum(tf.square(standardised).add(this.logVar).add(LOG_2PI), -1).mul(-0.5);
    });
  }

  entropy(): Tensor1D {
    return tf.tidy(() => tf.sum(this.logVar.add(LOG_2PI + 1), -1).mul(0.5));
  }

  /** KL(N(mean, σ²) ‖ N(0, I)) = ½ Σ (σ² + mean² − 1 − log σ²). */
  klToPrior(): Tensor1D {
    return tf.tidy(() => tf.sum(tf.exp(this.logVar).add(tf.square(this.loc)).sub(this.logVar).sub(1), -1).mul(0.5));
  }

  mean(): Tensor2D {
    return this.loc.clone();
  }

  mode(): Tensor2D {
    return this.loc.clone();
  }

  private reparameterise<T extends Tensor>(eps: T): T {
    return tf.exp(this.logVar.mul(0.5)).mul(eps).add(this.loc) as T;
  }
}
