/**
 * An image model (imageMlp, imageConv) as an `ImputableModel`, for inpainting: a row is one image's pixels and a
 * missing cell a masked pixel. The image encoders have no mask input, so a masked pixel enters the encoder as `fill`
 * (default 0, the background of MNIST-like images) until a Gibbs or Metropolis step has imputed it.
 *
 * log p(x_obs | z) reuses the model's own pixel likelihood (`imageNll`) with the masked pixels' targets and decoder
 * outputs set to 0: such a pixel then scores exactly log 2 (Bernoulli, logit 0) or ½·log 2π (unit Gaussian, no
 * error), which is subtracted, so only the observed pixels count.
 */
import { hasDensity } from '@latentkit/bottlenecks';
import { type Rng, tf } from '@latentkit/core';
import { type ImageConv, type ImageMlp, imageNll } from '@latentkit/models';
import type { ImputableModel, MaskedRows } from './types.js';

const INFER = { mode: 'infer' } as const;
const MASKED_CELL_NLL = { bernoulli: Math.log(2), gaussian: 0.5 * Math.log(2 * Math.PI) } as const;
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

export interface ImageImputableOptions {
  /** The value a masked pixel shows the encoder before it is imputed. Default 0. */
  readonly fill?: number;
}

export function imageImputable(model: ImageMlp | ImageConv, options: ImageImputableOptions = {}): ImputableModel {
  const { likelihood, height, width, channels } = model.config;
  const area = height * width * channels;
  const fill = options.fill ?? 0;
  const { bottleneck } = model;
  const pixels = (rows: MaskedRows) => ({ size: rows.size, pixels: rows.values.map((v, i) => (rows.missing[i] === 1 ? fill : v)) });
  const bernoulli = likelihood === 'bernoulli';
  return {
    width: area,
    expectationWidth: area,
    numeric: new Array<boolean>(area).fill(true),
    code: (rows) => model.encode(pixels(rows), INFER).code,
    ...(hasDensity(bottleneck) && {
      density: { posterior: (rows) => bottleneck.posterior(model.features(pixels(rows), INFER)), prior: () => bottleneck.prior() },
    }),
    decode: (z) => model.decode(z, undefined, INFER),
    logLikelihood: (params, rows) =>
      tf.tidy(() => {
        const observed = tf.tensor2d(
          Float32Array.from(rows.missing, (m) => 1 - m),
          [rows.size, area],
        );
        const x = tf.tensor2d(rows.values, [rows.size, area]).mul(observed) as tf.Tensor2D;
        const masked = tf.tensor1d(
          Float32Array.from({ length: rows.size }, (_, r) => {
            let n = 0;
            for (let j = 0; j < area; j++) n += rows.missing[r * area + j] as number;
            return n * MASKED_CELL_NLL[likelihood];
          }),
        );
        return imageNll(likelihood, params.mul(observed) as tf.Tensor2D, x)
          .sub(masked)
          .neg() as tf.Tensor1D;
      }),
    expectations: (params, size) => Float64Array.from({ length: size * area }, (_, i) => (bernoulli ? sigmoid(params[i] as number) : (params[i] as number))),
    points: (expectations) => Float32Array.from(expectations as ArrayLike<number>),
    sample: (params, size, rng: Rng) =>
      Float32Array.from({ length: size * area }, (_, i) => {
        const p = params[i] as number;
        return bernoulli ? (rng.uniform() < sigmoid(p) ? 1 : 0) : p + rng.normal();
      }),
  };
}
