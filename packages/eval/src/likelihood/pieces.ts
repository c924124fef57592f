/**
 * What the likelihood tools need from a model, for one batch of examples x_1..x_b: the approximate posterior
 * q(z|x), the prior p(z) and the decoder's log-likelihood log p(x|z). Any model that can say these three things can
 * be evaluated, whatever its architecture.
 *
 * The tools that take these pieces are synchronous, so a caller can build the pieces and evaluate them inside one
 * `tf.tidy`, which then frees every tensor behind them (posterior parameters, decoder activations) as well.
 */
import type { Tensor, Tensor1D, Tensor2D } from '@latentkit/core';
import type { LatentDistribution, LatentPrior } from '@latentkit/distributions';

export interface LikelihoodPieces {
  /** q(z | x_i) for each example of the batch. */
  readonly posterior: LatentDistribution;
  /** p(z). */
  readonly prior: LatentPrior;
  /** log p(x_i | z_i) for one code per example: z [b, d] → [b], summed over the example's tokens / words / pixels. */
  readonly logLikelihood: (z: Tensor2D) => Tensor1D;
}

/** Reads a tensor into float64 and disposes it. */
export function take(t: Tensor): Float64Array {
  try {
    return Float64Array.from(t.dataSync());
  } finally {
    t.dispose();
  }
}
