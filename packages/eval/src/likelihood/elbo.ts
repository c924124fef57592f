/**
 * The evidence lower bound per example, log p(x) ≥ E_q[log p(x|z)] − KL(q(z|x) ‖ p(z)), split into its two terms as
 * papers report them: reconstruction −E_q[log p(x|z)] (Monte Carlo over `samples` draws) and KL.
 */
import { type Rng, checkPositiveInt, tf } from '@latentkit/core';
import { type LikelihoodPieces, take } from './pieces.js';

export interface ElboOptions {
  readonly rng: Rng;
  /** Draws of z per example for the reconstruction term. Default 1. */
  readonly samples?: number;
  /**
   * `analytic` (default): the posterior's closed-form KL to its family's prior (N(0, I), or uniform on the sphere);
   * use it only when `prior` is that prior. `monteCarlo`: E_q[log q(z|x) − log p(z)] on the same draws, for any prior.
   */
  readonly kl?: 'analytic' | 'monteCarlo';
}

export interface ElboTerms {
  /** −E_q[log p(x|z)] per example (nats). */
  readonly reconstruction: Float64Array;
  /** KL(q(z|x) ‖ p(z)) per example (nats). */
  readonly kl: Float64Array;
  /** −(reconstruction + kl) per example. */
  readonly elbo: Float64Array;
}

export function elboTerms(pieces: LikelihoodPieces, options: ElboOptions): ElboTerms {
  const samples = options.samples ?? 1;
  checkPositiveInt(samples, 'samples');
  const b = pieces.posterior.batchSize;
  const reconstruction = new Float64Array(b);
  const kl = options.kl === 'monteCarlo' ? new Float64Array(b) : take(pieces.posterior.klToPrior());
  for (let s = 0; s < samples; s++) {
    const z = pieces.posterior.sample(options.rng);
    try {
      const logLik = take(pieces.logLikelihood(z));
      for (let i = 0; i < b; i++) reconstruction[i] = (reconstruction[i] as number) - (logLik[i] as number) / samples;
      if (options.kl === 'monteCarlo') {
        const logRatio = take(tf.tidy(() => tf.sub(pieces.posterior.logProb(z), pieces.prior.logProb(z))));
        for (let i = 0; i < b; i++) kl[i] = (kl[i] as number) + (logRatio[i] as number) / samples;
      }
    } finally {
      z.dispose();
    }
  }
  const elbo = reconstruction.map((r, i) => -(r + (kl[i] as number)));
  return { reconstruction, kl, elbo };
}
