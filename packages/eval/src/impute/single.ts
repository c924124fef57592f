/**
 * Single pass: encode the row with its missing cells masked, decode the inference code, and take each missing cell's
 * predictive point value (a numeric cell's mean). With draws > 1 each draw is z ~ q(z | x_obs), x ~ p(x | z).
 */
import { tf } from '@latentkit/core';
import { requireDensity } from './density.js';
import { decodeAt, read } from './rows.js';
import type { ImputableModel, MaskedRows, MethodOptions, MethodResult } from './types.js';

/** The single-pass point values [size, width] of every cell (callers keep only the missing ones). */
export function singlePassPoints(model: ImputableModel, rows: MaskedRows): Float32Array {
  const params = decodeAt(
    model.decode,
    tf.tidy(() => model.code(rows)),
  );
  return model.points(model.expectations(params, rows.size), rows.size);
}

export function single(model: ImputableModel, rows: MaskedRows, options: MethodOptions): MethodResult {
  const points = singlePassPoints(model, rows);
  if (options.draws <= 1) return { points };
  const density = requireDensity(model, `${options.draws} draws with the single method`);
  const k = options.draws;
  const params = read(
    tf.tidy(() => {
      const z = density.posterior(rows).sampleN(k, options.rng);
      return model.decode(z.reshape([k * rows.size, z.shape[2]]) as tf.Tensor2D);
    }),
  );
  return { points, draws: model.sample(params, k * rows.size, options.rng) };
}
