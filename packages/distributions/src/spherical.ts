/**
 * What the von Mises-Fisher and Power Spherical distributions share: parameters (μ on S^{d-1}, κ > 0 fixed or per
 * example), their checks, sampling as "draw the cosine μ·z in float64, then reflect onto μ", and a log density,
 * entropy and KL to the uniform prior that differ only in their functions of κ and of μ·z.
 */
import { type Rng, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, check, invalidArgument, tf } from '@latentkit/core';
import { checkBatchMatrix, checkPoints, checkSampleCount, isTensor } from './checks.js';
import { type Float64Elementwise, applyFloat64, isPositiveFinite } from './ops/float64-op.js';
import { reflectOntoMean } from './sampling/householder.js';
import { type PolarDraws, polarTensors, tile } from './sampling/polar.js';
import { logSphereArea } from './special/sphere.js';
import type { LatentDistribution } from './types.js';

/** How far ‖μ‖ may be from 1: float32 normalisation lands within ~1e-7. */
export const UNIT_NORM_TOLERANCE = 1e-4;

export interface SphericalParameters {
  readonly batchSize: number;
  readonly dim: number;
  /** κ per example in float64 (a fixed κ repeated). */
  readonly kappaValues: Float64Array;
}

/** Checks μ [b, d] (d ≥ 2, unit rows) and κ (a positive number, or a [b] float32 tensor of positive values). */
export function checkSphericalParameters(mu: Tensor2D, kappa: Tensor1D | number): SphericalParameters {
  checkBatchMatrix(mu, 'mu', 2);
  const [batchSize, dim] = mu.shape;
  const norms = tf.tidy(() => tf.norm(mu, 'euclidean', -1).dataSync());
  norms.forEach((norm, row) => {
    if (!(Math.abs(norm - 1) <= UNIT_NORM_TOLERANCE)) {
      throw invalidArgument('mu', `unit vectors along its last axis (norm 1 ± ${UNIT_NORM_TOLERANCE})`, `row ${row} with norm ${norm}`);
    }
  });
  if (typeof kappa === 'number') {
    check(isPositiveFinite(kappa), 'kappa', 'a positive finite number or a [batch] tensor of them', kappa);
    return { batchSize, dim, kappaValues: new Float64Array(batchSize).fill(kappa) };
  }
  check(isTensor(kappa), 'kappa', 'a positive finite number or a [batch] tensor of them', typeof kappa);
  check(kappa.rank === 1 && kappa.shape[0] === batchSize, 'kappa', `a 1-D tensor of shape [${batchSize}] (one κ per row of mu)`, kappa.shape);
  check(kappa.dtype === 'float32', 'kappa', 'a float32 tensor', kappa.dtype);
  const kappaValues = Float64Array.from(kappa.dataSync());
  kappaValues.forEach((k, i) => {
    check(isPositiveFinite(k), `kappa[${i}]`, 'a positive finite number', k);
  });
  return { batchSize, dim, kappaValues };
}

/** A float64 function of κ with its κ-derivative, for `perExample`. */
export function kappaOp(evaluate: Float64Elementwise['evaluate']): Float64Elementwise {
  return { argument: 'kappa', expected: 'a positive finite number', valid: isPositiveFinite, evaluate };
}

/** A per-example function of κ as a [b] tensor: a constant for a fixed κ, a differentiable float64 op otherwise. */
export function perExample(kappa: Tensor1D | number, batchSize: number, op: Float64Elementwise): Tensor1D {
  if (typeof kappa === 'number') return tf.fill([batchSize], op.evaluate(kappa)[0]) as Tensor1D;
  return applyFloat64(op, kappa);
}

/** n draws per example, [n, b, d]: the cosines from `sampleCosine` (float64, with ∂/∂κ), reflected onto μ. */
export function sampleAroundMean(
  mu: Tensor2D,
  kappa: Tensor1D | number,
  parameters: SphericalParameters,
  n: number,
  rng: Rng,
  sampleCosine: (kappa: Float64Array, dim: number, rng: Rng) => PolarDraws,
): Tensor3D {
  checkSampleCount(n);
  const draws = sampleCosine(tile(parameters.kappaValues, n), parameters.dim, rng);
  return tf.tidy(() => {
    const { cos, sin } = polarTensors(draws, kappa, n, parameters.batchSize);
    return reflectOntoMean(mu, cos, sin, rng);
  });
}

/**
 * A distribution on S^{d-1} with density C_d(κ) exp(κ·f(μ·z)) w.r.t. the surface measure: the parameters, sampling,
 * log density, entropy, KL to the uniform prior and mode. A subclass gives f, log C_d, the KL, the sampler of the
 * cosine and the mean.
 */
export abstract class SphericalDistribution implements LatentDistribution {
  readonly dim: number;
  readonly batchSize: number;
  readonly support = 'sphere' as const;
  readonly mu: Tensor2D;
  readonly kappa: Tensor1D | number;
  private readonly parameters: SphericalParameters;

  /** mu: [b, d] unit rows (d ≥ 2); kappa: [b] float32 of positive values, or one positive number for a fixed κ. */
  constructor(mu: Tensor2D, kappa: Tensor1D | number) {
    this.parameters = checkSphericalParameters(mu, kappa);
    this.mu = mu;
    this.kappa = kappa;
    ({ batchSize: this.batchSize, dim: this.dim } = this.parameters);
  }

  /** n cosines μ·z per κ in float64, with their ∂/∂κ. */
  protected abstract sampleCosine(kappa: Float64Array, dim: number, rng: Rng): PolarDraws;
  /** f(μ·z), the term that κ multiplies in the log density. */
  protected abstract cosineTerm(cosine: Tensor): Tensor;
  /** log C_d(κ), the log-normaliser the log density adds to κ·f(μ·z). */
  protected abstract logNormalizer(): Float64Elementwise;
  /** KL to the uniform distribution on S^{d-1}. */
  protected abstract klToUniform(): Float64Elementwise;
  abstract mean(): Tensor2D;

  sample(rng: Rng): Tensor2D {
    return tf.tidy(() => this.sampleN(1, rng).squeeze([0]));
  }

  sampleN(n: number, rng: Rng): Tensor3D {
    return sampleAroundMean(this.mu, this.kappa, this.parameters, n, rng, (k, d, r) => this.sampleCosine(k, d, r));
  }

  logProb(z: Tensor2D | Tensor3D): Tensor {
    checkPoints(z, this.dim, this.batchSize);
    return tf.tidy(() => {
      const cosine = tf.sum(tf.mul(z, this.mu), -1);
      return this.cosineTerm(cosine)
        .mul(this.kappa)
        .add(perExample(this.kappa, this.batchSize, this.logNormalizer()));
    });
  }

  entropy(): Tensor1D {
    return tf.tidy(() => this.klToPrior().neg().add(logSphereArea(this.dim)));
  }

  klToPrior(): Tensor1D {
    return perExample(this.kappa, this.batchSize, this.klToUniform());
  }

  mode(): Tensor2D {
    return this.mu.clone();
  }
}
