/**
 * MIWAE imputation (Mattei & Frellsen 2019, "MIWAE: deep generative modelling and imputation of incomplete data
 * sets"): the importance-weighted estimate of E[x_miss | x_obs]. Draw z_1..z_S ~ q(z | x_obs) from the masked row,
 * weight each by w_s = p(x_obs | z_s) p(z_s) / q(z_s | x_obs), and average the decoder's predictive distributions
 * under the normalised weights: x̂_miss = Σ_s w̄_s E[x_miss | z_s]. Multiple imputations are sampling importance
 * resampling: pick s with probability w̄_s, then draw x_miss ~ p(x_miss | z_s).
 */
import { LatentkitError, type Rng, tf } from '@latentkit/core';
import { requireDensity } from './density.js';
import { read, repeatRows } from './rows.js';
import type { ImputableModel, MaskedRows, MethodOptions, MethodResult } from './types.js';

/** Decoded rows (samples × rows) per pass, to bound memory while keeping passes few. */
const ROWS_PER_PASS = 16_384;

export interface ImportanceSamples {
  readonly samples: number;
  /** The codes z_s, [samples, size, codeDim] row-major. */
  readonly z: Float32Array;
  /** log w_s per row, [samples, size] row-major. */
  readonly logWeights: Float64Array;
  /** The decoder's parameters at z_s, [samples, size, parameter width]. */
  readonly params: Float32Array;
  readonly paramWidth: number;
}

/** S importance samples of each row's latent code with their log weights log p(x_obs|z) + log p(z) − log q(z|x_obs). */
export function importanceSamples(model: ImputableModel, rows: MaskedRows, samples: number, rng: Rng): ImportanceSamples {
  const density = requireDensity(model, 'the miwae method');
  const b = rows.size;
  const zs: Float32Array[] = [];
  const paramParts: Float32Array[] = [];
  const logWeights = new Float64Array(samples * b);
  let paramWidth = 0;
  const perPass = Math.max(1, Math.floor(ROWS_PER_PASS / b));
  for (let start = 0; start < samples; start += perPass) {
    const n = Math.min(perPass, samples - start);
    const [z, params, logW] = tf.tidy(() => {
      const q = density.posterior(rows);
      const z3 = q.sampleN(n, rng);
      const logRatio = density
        .prior()
        .logProb(z3)
        .sub(q.logProb(z3))
        .reshape([n * b]);
      const z2 = z3.reshape([n * b, z3.shape[2]]) as tf.Tensor2D;
      const p = model.decode(z2);
      return [z2, p, model.logLikelihood(p, repeatRows(rows, n)).add(logRatio)] as const;
    });
    paramWidth = params.shape[1] as number;
    zs.push(read(z));
    paramParts.push(read(params));
    logWeights.set(read(logW), start * b);
  }
  const concat = (parts: Float32Array[]) => {
    const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  return { samples, z: concat(zs), logWeights, params: concat(paramParts), paramWidth };
}

/** Normalised weights w̄ [samples, size] from log weights, per row; NUMERIC_ERROR when a row has no finite weight. */
export function normaliseWeights(logWeights: Float64Array, samples: number, size: number): Float64Array {
  const out = new Float64Array(samples * size);
  for (let i = 0; i < size; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < samples; s++) {
      const v = logWeights[s * size + i] as number;
      if (!Number.isNaN(v)) max = Math.max(max, v);
    }
    if (!Number.isFinite(max)) {
      throw new LatentkitError('NUMERIC_ERROR', `MIWAE importance weights of row ${i} are all ${max === Number.NEGATIVE_INFINITY ? 'zero' : 'not finite'}`, {
        row: i,
      });
    }
    let sum = 0;
    for (let s = 0; s < samples; s++) {
      const v = logWeights[s * size + i] as number;
      const w = Number.isNaN(v) ? 0 : Math.exp(v - max);
      out[s * size + i] = w;
      sum += w;
    }
    for (let s = 0; s < samples; s++) out[s * size + i] = (out[s * size + i] as number) / sum;
  }
  return out;
}

export function miwae(model: ImputableModel, rows: MaskedRows, options: MethodOptions): MethodResult {
  const b = rows.size;
  const S = options.importanceSamples;
  const is = importanceSamples(model, rows, S, options.rng);
  const weights = normaliseWeights(is.logWeights, S, b);
  const e = model.expectations(is.params, S * b);
  const ew = model.expectationWidth;
  const mean = new Float64Array(b * ew);
  for (let s = 0; s < S; s++) {
    for (let i = 0; i < b; i++) {
      const w = weights[s * b + i] as number;
      if (w === 0) continue;
      for (let k = 0; k < ew; k++) mean[i * ew + k] = (mean[i * ew + k] as number) + w * (e[(s * b + i) * ew + k] as number);
    }
  }
  const points = model.points(mean, b);
  if (options.draws <= 1) return { points };
  // Sampling importance resampling: per draw and row, one z_s by its weight, then x ~ p(x | z_s).
  const pw = is.paramWidth;
  const picked = new Float32Array(options.draws * b * pw);
  for (let k = 0; k < options.draws; k++) {
    for (let i = 0; i < b; i++) {
      let u = options.rng.uniform();
      let s = 0;
      while (s < S - 1 && u >= (weights[s * b + i] as number)) u -= weights[s++ * b + i] as number;
      picked.set(is.params.subarray((s * b + i) * pw, (s * b + i + 1) * pw), (k * b + i) * pw);
    }
  }
  return { points, draws: model.sample(picked, options.draws * b, options.rng) };
}
