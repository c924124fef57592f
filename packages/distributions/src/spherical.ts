/**
 * What the von Mises-Fisher and Power Spherical distributions share: parameters (μ on S^{d-1}, κ > 0 fixed or per
 * example), their checks, and sampling as "draw the cosine μ·z in float64, then reflect onto μ".
 */
import { type Rng, type Tensor1D, type Tensor2D, type Tensor3D, check, invalidArgument, tf } from '@latentkit/core';
import { checkBatchMatrix, checkSampleCount, isTensor } from './checks.js';
import { type Float64Elementwise, applyFloat64, isPositiveFinite } from './ops/float64_op.js';
import { reflectOntoMean } from './sampling/householder.js';
import { type PolarDraws, polarTensors, tile } from './sampling/polar.js';

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

