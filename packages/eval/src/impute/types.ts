/**
 * What the imputation methods need from a model, whatever it reads (table rows, image pixels, sensor windows as table
 * rows): an encoder that takes rows with a missing-cell mask, a density q(z|x) and a prior p(z) where the
 * bottleneck has them, the decoder, log p(x_obs | z) over the observed cells only, and the decoder's per-cell
 * predictive distribution as plain arrays (its expectations, a point value per cell, a draw).
 *
 * Tensor-returning members are called inside `tf.tidy` by the methods; the plain-array ones own nothing.
 */
import type { Rng, tf } from '@latentkit/core';
import type { LatentDistribution, LatentPrior } from '@latentkit/distributions';

/** Rows of cells, row-major [size, width], with 1 in `missing` where a cell is to be imputed (its value is ignored). */
export interface MaskedRows {
  readonly size: number;
  readonly width: number;
  readonly values: Float32Array;
  readonly missing: Uint8Array;
}

export interface ImputableModel {
  /** Cells per row. */
  readonly width: number;
  /** Length of one row of `expectations`. */
  readonly expectationWidth: number;
  /** Per cell: true when it is a number (and so gets a standard deviation over multiple imputations). */
  readonly numeric: readonly boolean[];
  /** The deterministic inference code for rows (missing cells flagged by the mask): [size, codeDim]. */
  code(rows: MaskedRows): tf.Tensor2D;
  /** q(z | rows) and p(z), or undefined when the bottleneck has no density (a plain autoencoder, VQ). */
  readonly density?: {
    posterior(rows: MaskedRows): LatentDistribution;
    prior(): LatentPrior;
  };
  /** The decoder's parameters for codes z [size, codeDim]: [size, parameter width]. */
  decode(z: tf.Tensor2D): tf.Tensor2D;
  /** log p(x_obs | params) per row, over the cells with missing = 0 only: [size]. */
  logLikelihood(params: tf.Tensor2D, rows: MaskedRows): tf.Tensor1D;
  /** Expectation rows [size, expectationWidth] from decoder parameters (averaging them averages the distributions). */
  expectations(params: ArrayLike<number>, size: number): Float64Array;
  /** One value per cell [size, width] from expectation rows (a numeric cell's mean, a category's most likely slot). */
  points(expectations: ArrayLike<number>, size: number): Float32Array;
  /** One draw x ~ p(x | params) per row [size, width]. */
  sample(params: ArrayLike<number>, size: number, rng: Rng): Float32Array;
}

/** What a method returns for one chunk of rows. */
export interface MethodResult {
  /** The imputed value per cell [size, width] (only the missing cells are used). */
  readonly points: Float32Array;
  /** `draws` multiple imputations [draws, size, width], when more than one was asked for. */
  readonly draws?: Float32Array;
  /** Metropolis-within-Gibbs: the share of proposals accepted. */
  readonly acceptance?: number;
}

export interface MethodOptions {
  readonly rng: Rng;
  readonly draws: number;
  readonly iterations: number;
  readonly importanceSamples: number;
}

export type ImputationMethod = (model: ImputableModel, rows: MaskedRows, options: MethodOptions) => MethodResult;
