/**
 * Per-record anomaly scores of a trained model, higher = less like the training data: the reconstruction error
 * −log p(x | deterministic code), the negative ELBO and the importance-weighted −log p(x) estimate −L_K. The ELBO
 * and L_K are the likelihood package's (`elboTerms`, `importanceWeightedBound`), so the scores are the bounds `eval`
 * reports, one per record. Missing table cells are marginalised by the model itself: its likelihood sums over the
 * observed cells only, which is log p(x_observed | z), so a row with gaps gets a finite score of what it does show.
 */
import { LatentkitError, Rng, check, tf } from '@latentkit/core';
import { elboTerms } from '../likelihood/elbo.js';
import { importanceWeightedBound } from '../likelihood/importance-weighted.js';
import type { EvaluableModel } from '../report/report.js';

/** The score kinds, as they appear in score files and calibrations. */
export const SCORE_KINDS = ['reconstruction', 'negElbo', 'negImportanceWeighted'] as const;
export type ScoreKind = (typeof SCORE_KINDS)[number];

export interface AnomalyScoreOptions {
  /** Default 0. */
  readonly seed?: number | string;
  /** K of the importance-weighted bound; 0 skips it. Default 50. */
  readonly importanceSamples?: number;
  /** Draws of z for the ELBO's reconstruction term. Default 1. */
  readonly elboSamples?: number;
  /**
   * Index of the first record of `batches` in the whole input (default 0). Each batch's draws come from a stream
   * seeded by (seed, index of its first record), so scoring a file in chunks that start on batch boundaries gives
   * every record the score it gets in one pass.
   */
  readonly firstRecord?: number;
}

export interface AnomalyScores {
  readonly count: number;
  /** −log p(x | code at the posterior's mode), nats per record. */
  readonly reconstruction: Float64Array;
  /** −ELBO per record; null for a model without a density (plain or VQ autoencoder). */
  readonly negElbo: Float64Array | null;
  /** −L_K per record; null without a density or with K = 0. */
  readonly negImportanceWeighted: Float64Array | null;
  readonly importanceSamples: number;
}

/** The score a flag should use by default: the tightest −log p(x) estimate the model gives. */
export function defaultScoreKind(scores: AnomalyScores): ScoreKind {
  return scores.negImportanceWeighted ? 'negImportanceWeighted' : scores.negElbo ? 'negElbo' : 'reconstruction';
}

export function scoreOf(scores: AnomalyScores, kind: ScoreKind): Float64Array {
  const values = scores[kind];
  if (!values) throw new LatentkitError('UNSUPPORTED', `score "${kind}" needs a model with a density (and importance samples > 0 for the IW bound)`);
  return values;
}

function checkFiniteScores(values: Float64Array, kind: string, offset: number): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i] as number)) {
      throw new LatentkitError('NUMERIC_ERROR', `anomaly score "${kind}" of record ${offset + i} is ${values[i]}, not a finite number`, { record: offset + i });
    }
  }
}

/** Per-record score lists grown batch by batch; `add` is where a batch is scored, `result` the finished scores. */
function scoreAccumulator<B>(model: EvaluableModel<B>, options: AnomalyScoreOptions) {
  const k = options.importanceSamples ?? 50;
  check(Number.isInteger(k) && k >= 0, 'importanceSamples', 'a non-negative integer', k);
  if (!model.reconstruction) throw new LatentkitError('UNSUPPORTED', 'anomaly scores need a model that gives its reconstruction error');
  const seed = options.seed ?? 0;
  const first = options.firstRecord ?? 0;
  check(Number.isInteger(first) && first >= 0, 'firstRecord', 'a non-negative integer', first);
  const reconstruction: number[] = [];
  const negElbo: number[] = [];
  const negIw: number[] = [];
  const likelihood = model.likelihood?.bind(model);
  const reconstruct = model.reconstruction.bind(model);
  const add = (batch: B) =>
    tf.tidy(() => {
      const offset = first + reconstruction.length;
      const rec = Float64Array.from(reconstruct(batch).nll.dataSync());
      checkFiniteScores(rec, 'reconstruction', offset);
      reconstruction.push(...rec);
      if (!likelihood) return;
      const { pieces } = likelihood(batch);
      const rng = Rng.fromSeed(`${seed}:records@${offset}`);
      const elboRng = rng.fork('elbo');
      const iwRng = rng.fork('importance');
      const elbo = elboTerms(pieces, { rng: elboRng, samples: options.elboSamples ?? 1 }).elbo.map((v) => -v);
      checkFiniteScores(elbo, 'negElbo', offset);
      negElbo.push(...elbo);
      if (k > 0) {
        const iw = importanceWeightedBound(pieces, { rng: iwRng, samples: k }).map((v) => -v);
        checkFiniteScores(iw, 'negImportanceWeighted', offset);
        negIw.push(...iw);
      }
    });
  const result = (): AnomalyScores => ({
    count: reconstruction.length,
    reconstruction: Float64Array.from(reconstruction),
    negElbo: likelihood ? Float64Array.from(negElbo) : null,
    negImportanceWeighted: likelihood && k > 0 ? Float64Array.from(negIw) : null,
    importanceSamples: likelihood ? k : 0,
  });
  return { add, result };
}

/** Scores every record of `batches`, in order. Each batch's tensors are freed before the next batch. */
export function anomalyScores<B>(model: EvaluableModel<B>, batches: Iterable<B>, options: AnomalyScoreOptions = {}): AnomalyScores {
  const acc = scoreAccumulator(model, options);
  for (const batch of batches) acc.add(batch);
  return acc.result();
}

/**
 * The same scores, returning to the event loop after every batch: a queue worker scoring a long chunk keeps
 * renewing its job lock (BullMQ's timers) instead of being taken for dead and having its chunk handed to another
 * worker. Records are seeded by their number, so the scores equal `anomalyScores`' bit for bit.
 */
export async function anomalyScoresAsync<B>(
  model: EvaluableModel<B>,
  batches: Iterable<B> | AsyncIterable<B>,
  options: AnomalyScoreOptions = {},
): Promise<AnomalyScores> {
  const acc = scoreAccumulator(model, options);
  for await (const batch of batches) {
    acc.add(batch);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return acc.result();
}
