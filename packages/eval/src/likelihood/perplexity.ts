import { LatentkitError, checkFinite } from '@latentkit/core';

/**
 * Perplexity from a summed negative log-likelihood (or bound) over a corpus: exp(Σ nll / Σ units). With the ELBO's
 * terms, Σ nll = Σ reconstruction + Σ KL, and the units are the predicted tokens including `<eos>` (Xu & Durrett
 * 2018) or, for bag-of-words, all word occurrences of the corpus (corpus-level, not a mean of per-document values).
 */
export function perplexity(negLogLikelihoodSum: number, units: number): number {
  checkFinite(negLogLikelihoodSum, 'negLogLikelihoodSum');
  checkFinite(units, 'units');
  if (!(units > 0)) throw new LatentkitError('INVALID_ARGUMENT', `argument "units" must be positive to define perplexity, got ${units}`);
  return Math.exp(negLogLikelihoodSum / units);
}
