/**
 * A linear-Gaussian latent variable model whose every quantity has a closed form, to test the likelihood tools:
 *
 *   z ~ N(0, I₃),  x | z ~ N(W z + c, s² I₄),  W = [[2,0,0],[0,1,0],[0,0,0],[0,0,0]],  s = 0.5.
 *
 * W's columns are orthogonal, so the exact posterior is a diagonal Gaussian: Σ_jj = 1 / (1 + w_j²/s²),
 * μ_j = Σ_jj w_j (x_j − c_j) / s². The third latent dimension is unused (posterior = prior). log p(x) is the
 * density of N(c, W Wᵀ + s² I), diagonal too.
 */
import { type Rng, tf } from '@latentkit/core';
import { DiagonalGaussian, standardNormal } from '@latentkit/distributions';
import type { LikelihoodPieces } from '../src/index.js';

export const W = [2, 1, 0]; // w_j: the only non-zero entry of column j, in row j
export const S = 0.5;
export const C = [0.3, -0.2, 0.1, 0];
const D = 4;
const LOG_2PI = Math.log(2 * Math.PI);

export function sampleX(n: number, rng: Rng): number[][] {
  return Array.from({ length: n }, () =>
    Array.from({ length: D }, (_, i) => (C[i] as number) + (i < 3 ? (W[i] as number) * rng.normal() : 0) + S * rng.normal()),
  );
}

/** Exact log p(x) per example, float64. */
export function logMarginal(x: number[][]): number[] {
  return x.map((row) =>
    row.reduce((sum, xi, i) => {
      const variance = (i < 3 ? (W[i] as number) ** 2 : 0) + S * S;
      return sum - 0.5 * ((xi - (C[i] as number)) ** 2 / variance + Math.log(variance) + LOG_2PI);
    }, 0),
  );
}

/** Exact posterior parameters per example: means [n][3], variances [3]. */
export function exactPosterior(x: number[][]): { means: number[][]; variances: number[] } {
  const variances = W.map((w) => 1 / (1 + (w * w) / (S * S)));
  const means = x.map((row) => W.map((w, j) => ((variances[j] as number) * w * ((row[j] as number) - (C[j] as number))) / (S * S)));
  return { means, variances };
}

/** The pieces for a batch, with q = N(means + shift, variances · widen). */
export function pieces(x: number[][], shift = 0, widen = 1): LikelihoodPieces {
  const { means, variances } = exactPosterior(x);
  const loc = tf.tensor2d(means.map((m) => m.map((v) => v + shift)));
  const logVar = tf.tensor2d(means.map(() => variances.map((v) => Math.log(v * widen))));
  const xs = tf.tensor2d(x);
  const w = tf.tensor2d([W.map((v, j) => (j === 0 ? v : 0)), W.map((v, j) => (j === 1 ? v : 0)), W.map((v, j) => (j === 2 ? v : 0)), [0, 0, 0]]);
  const c = tf.tensor1d(C);
  return {
    posterior: new DiagonalGaussian(loc, logVar),
    prior: standardNormal(3),
    logLikelihood: (z) =>
      tf.tidy(() => {
        const mean = tf.matMul(z, w, false, true).add(c);
        return tf
          .sum(
            tf
              .square(tf.sub(xs, mean))
              .div(S * S)
              .add(Math.log(S * S) + LOG_2PI),
            -1,
          )
          .mul(-0.5) as tf.Tensor1D;
      }),
  };
}

/** KL(N(m1, v1) ‖ N(m2, v2)) summed over dimensions, float64. */
export function gaussianKl(m1: number[], v1: number[], m2: number[], v2: number[]): number {
  return m1.reduce((s, _, j) => {
    const [a, b] = [v1[j] as number, v2[j] as number];
    return s + 0.5 * (a / b + ((m1[j] as number) - (m2[j] as number)) ** 2 / b - 1 + Math.log(b / a));
  }, 0);
}
