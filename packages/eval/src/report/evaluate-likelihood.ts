/**
 * Dataset-level likelihood evaluation: streams batches of likelihood pieces and sums ELBO terms, the
 * importance-weighted bound and the latent statistics into one plain report.
 */
import { LatentkitError, Rng, check, checkPositiveInt } from '@latentkit/core';
import { elboTerms } from '../likelihood/elbo.js';
import { importanceWeightedBound } from '../likelihood/importance-weighted.js';
import { ACTIVE_UNIT_THRESHOLD, LatentStatisticsAccumulator } from '../likelihood/latent-statistics.js';
import type { LikelihoodPieces } from '../likelihood/pieces.js';
import { perplexity } from '../likelihood/perplexity.js';

/** One batch: its pieces, how many units (tokens incl. `<eos>`, words, pixels) it predicts, and who frees it. */
export interface LikelihoodBatch {
  readonly pieces: LikelihoodPieces;
  readonly units: number;
  /** Called once the batch is evaluated: frees the tensors behind the pieces. */
  readonly dispose?: () => void;
}

export interface LikelihoodEvalOptions {
  /** Default 0. */
  readonly seed?: number | string;
  /** Draws of z per example for the ELBO's reconstruction term. Default 1. */
  readonly elboSamples?: number;
  /** K of the importance-weighted bound; 0 skips it. Default 100. */
  readonly importanceSamples?: number;
  /** ELBO's KL term: see `ElboOptions.kl`. Default analytic. */
  readonly kl?: 'analytic' | 'monteCarlo';
  readonly activeUnitThreshold?: number;
}

export interface LikelihoodReport {
  readonly examples: number;
  /** Σ predicted units over the data. */
  readonly units: number;
  /** Means per example, in nats. */
  readonly reconstruction: number;
  readonly kl: number;
  readonly elbo: number;
  /** exp((Σ reconstruction + Σ KL) / Σ units). */
  readonly perplexity: number;
  /** Mean L_K per example and the perplexity it bounds, exp(−Σ L_K / Σ units); null when skipped. */
  readonly importanceWeighted: { readonly samples: number; readonly logLikelihood: number; readonly perplexity: number } | null;
  readonly activeUnits: number;
  readonly activeUnitThreshold: number;
  readonly posteriorMeanVariance: number[];
  readonly klPerDimension: number[] | null;
  readonly mutualInformation: number;
  readonly aggregateKl: number;
}

export interface LikelihoodEvaluation {
  readonly report: LikelihoodReport;
  /** Per-example −log p(x) estimate (−L_K, or −ELBO when K = 0), in data order: an anomaly score. */
  readonly negLogLikelihood: Float64Array;
}

export async function evaluateLikelihood(
  batches: Iterable<LikelihoodBatch> | AsyncIterable<LikelihoodBatch>,
  options: LikelihoodEvalOptions = {},
): Promise<LikelihoodEvaluation> {
  const elboSamples = options.elboSamples ?? 1;
  checkPositiveInt(elboSamples, 'elboSamples');
  const k = options.importanceSamples ?? 100;
  check(Number.isInteger(k) && k >= 0, 'importanceSamples', 'a non-negative integer', k);
  const rng = Rng.fromSeed(options.seed ?? 0);
  const elboRng = rng.fork('elbo');
  const iwRng = rng.fork('importance');
  let stats: LatentStatisticsAccumulator | undefined;
  let examples = 0;
  let units = 0;
  let reconstruction = 0;
  let kl = 0;
  let boundSum = 0;
  const scores: number[] = [];

  for await (const batch of batches) {
    try {
      check(Number.isFinite(batch.units) && batch.units > 0, 'batch.units', 'a positive number of predicted units', batch.units);
      stats ??= new LatentStatisticsAccumulator(batch.pieces.prior, rng.fork('latent'), options.activeUnitThreshold ?? ACTIVE_UNIT_THRESHOLD);
      const terms = await elboTerms(batch.pieces, { rng: elboRng, samples: elboSamples, kl: options.kl });
      const bound = k > 0 ? await importanceWeightedBound(batch.pieces, { rng: iwRng, samples: k }) : terms.elbo;
      await stats.add(batch.pieces.posterior);
      for (let i = 0; i < terms.elbo.length; i++) {
        reconstruction += terms.reconstruction[i] as number;
        kl += terms.kl[i] as number;
        boundSum += bound[i] as number;
        scores.push(-(bound[i] as number));
      }
      examples += terms.elbo.length;
      units += batch.units;
    } finally {
      batch.dispose?.();
    }
  }
  if (!stats || examples === 0) throw new LatentkitError('INVALID_ARGUMENT', 'argument "batches" must yield at least one batch, got none');
  const latent = stats.result();
  const nonFinite = [reconstruction, kl, boundSum].some((v) => !Number.isFinite(v));
  if (nonFinite) {
    throw new LatentkitError('NUMERIC_ERROR', `likelihood evaluation produced non-finite totals: reconstruction ${reconstruction}, KL ${kl}, bound ${boundSum}`, {
      reconstruction,
      kl,
      bound: boundSum,
    });
  }
  return {
    report: {
      examples,
      units,
      reconstruction: reconstruction / examples,
      kl: kl / examples,
      elbo: -(reconstruction + kl) / examples,
      perplexity: perplexity(reconstruction + kl, units),
      importanceWeighted: k > 0 ? { samples: k, logLikelihood: boundSum / examples, perplexity: perplexity(-boundSum, units) } : null,
      activeUnits: latent.activeUnits,
      activeUnitThreshold: latent.activeUnitThreshold,
      posteriorMeanVariance: latent.posteriorMeanVariance,
      klPerDimension: latent.klPerDimension,
      mutualInformation: latent.mutualInformation,
      aggregateKl: latent.aggregateKl,
    },
    negLogLikelihood: Float64Array.from(scores),
  };
}
