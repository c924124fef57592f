/**
 * The importance-weighted bound of Burda et al. (2016):
 *
 *   log p(x) ≥ L_K = E[ log (1/K) Σ_k p(x|z_k) p(z_k) / q(z_k|x) ],  z_k ~ q(z|x),
 *
 * which increases with K and reaches log p(x) as K → ∞. It needs a density for q and p, so it applies to the
 * Gaussian, vMF and Power Spherical bottlenecks, not to (soft) VQ or plain autoencoders.
 */
import { type Rng, checkPositiveInt, tf } from '@latentkit/core';
import { logMeanExpColumns } from './log-mean-exp.js';
import { type LikelihoodPieces, take } from './pieces.js';

export interface ImportanceWeightedOptions {
  readonly rng: Rng;
  /** K, the number of importance samples per example. */
  readonly samples: number;
  /** Samples drawn per decoder pass, to bound memory. Default min(K, 50). */
  readonly chunk?: number;
}

/** One estimate of L_K per example (nats). */
export function importanceWeightedBound(pieces: LikelihoodPieces, options: ImportanceWeightedOptions): Float64Array {
  checkPositiveInt(options.samples, 'samples');
  const chunk = options.chunk ?? Math.min(options.samples, 50);
  checkPositiveInt(chunk, 'chunk');
  const { posterior, prior } = pieces;
  const b = posterior.batchSize;
  const k = options.samples;
  // log w[k, i] = log p(x_i|z_k) + log p(z_k) − log q(z_k|x_i), row-major [K, b].
  const logWeights = new Float64Array(k * b);
  for (let start = 0; start < k; start += chunk) {
    const n = Math.min(chunk, k - start);
    const z = posterior.sampleN(n, options.rng);
    try {
      const logRatio = take(tf.tidy(() => tf.sub(prior.logProb(z), posterior.logProb(z))));
      for (let s = 0; s < n; s++) {
        const zs = tf.tidy(() => tf.squeeze(tf.slice(z, [s, 0, 0], [1, b, posterior.dim]), [0]) as tf.Tensor2D);
        let logLik: Float64Array;
        try {
          logLik = take(pieces.logLikelihood(zs));
        } finally {
          zs.dispose();
        }
        const row = (start + s) * b;
        for (let i = 0; i < b; i++) logWeights[row + i] = (logLik[i] as number) + (logRatio[s * b + i] as number);
      }
    } finally {
      z.dispose();
    }
  }
  return logMeanExpColumns(logWeights, k, b);
}
