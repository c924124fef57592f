/**
 * Dataset-level likelihood evaluation: streams batches of likelihood pieces and sums ELBO terms, the
 * importance-weighted bound and the latent statistics into one plain report.
 */
import { LatentkitError, Rng, check, checkPositiveInt, tf } from '@latentkit/core';
import { elboTerms } from '../likelihood/elbo.js';
import { importanceWeightedBound } from '../likelihood/importance-weighted.js';
import { ACTIVE_UNIT_THRESHOLD, LatentStatisticsAccumulator } from '../likelihood/latent-statistics.js';
import type { LikelihoodPieces } from '../likelihood/pieces.js';
import { perplexity } from '../likelihood/perplexity.js';

/** One batch: its pieces and how many units (tokens incl. `<eos>`, words, pixels) it predicts. */
export interface LikelihoodBatch {
  readonly pieces: LikelihoodPieces;
  readonly units: number;
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

/**
 * Evaluates batches given as functions that build them: each is called inside `tf.tidy`, so every tensor the batch
 * creates (features, posterior parameters, decoder outputs) is freed before the next one.
 */
export function evaluateLikelihood(batches: Iterable<() => LikelihoodBatch>, options: LikelihoodEvalOptions = {}): LikelihoodEvaluation {
  const elboSamples = options.elboSamples ?? 1;
  checkPositiveInt(elboSamples, 'elboSamples');
  const k = options.importanceSamples ?? 100;
  check(Number.isInteger(k) && k >= 0, 'importanceSamples', 'a non-negative integer', k);
  const rng = Rng.fromSeed(options.seed ?? 0);
  const elboRng = rng.fork('elbo');
  const iwRng = rng.fork('importance');
  const stats = new LatentStatisticsAccumulator(rng.fork('latent'), options.activeUnitThreshold ?? ACTIVE_UNIT_THRESHOLD);
  let examples = 0;
  let units = 0;
  let reconstruction = 0;
  let kl = 0;
  let boundSum = 0;
  const scores: number[] = [];

  for (const build of batches) {
    tf.tidy(() => {
      const batch = build();
      check(Number.isFinite(batch.units) && batch.units > 0, 'batch.units', 'a positive number of predicted units', batch.units);
      const terms = elboTerms(batch.pieces, { rng: elboRng, samples: elboSamples, kl: options.kl });
      const bound = k > 0 ? importanceWeightedBound(batch.pieces, { rng: iwRng, samples: k }) : terms.elbo;
      stats.add(batch.pieces.posterior, batch.pieces.prior);
      for (let i = 0; i < terms.elbo.length; i++) {
        reconstruction += terms.reconstruction[i] as number;
        kl += terms.kl[i] as number;
        boundSum += bound[i] as number;
        scores.push(-(bound[i] as number));
      }
      examples += terms.elbo.length;
      units += batch.units;
    });
  }
  if (examples === 0) throw new LatentkitError('INVALID_ARGUMENT', 'argument "batches" must yield at least one batch, got none');
  const latent = stats.result();
  const nonFinite = [reconstruction, kl, boundSum].some((v) => !Number.isFinite(v));
  if (nonFinite) {
    throw new LatentkitError(
      'NUMERIC_ERROR',
      `likelihood evaluation produced non-finite totals: reconstruction ${reconstruction}, KL ${kl}, bound ${boundSum}`,
      {
        reconstruction,
        kl,
        bound: boundSum,
      },
    );
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
