/**
 * The Power Spherical distribution PS(μ, κ) on S^{d-1} ⊂ R^d (De Cao & Aziz 2020, "The Power Spherical
 * distribution"), with density N_d(κ) (1 + μ·z)^κ w.r.t. the surface measure, and the uniform distribution on
 * S^{d-1} as prior. A drop-in for the von Mises-Fisher with no Bessel functions and no rejection on μ·z.
 *
 * Gradients: to μ through the Householder reflection; to κ through the sample's cosine (reparameterised Beta draw,
 * see sampling/beta_cosine.ts for the term that flows) and through the KL, entropy, log-density, whose
 * κ-derivatives come from digamma and trigamma in float64.
 */
import { type Rng, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, tf } from '@latentkit/core';
import { checkPoints } from './checks.js';
import { type Float64Elementwise, isPositiveFinite } from './ops/float64_op.js';
import { samplePowerSphericalCosine } from './sampling/beta_cosine.js';
import {
  powerSphericalKlDerivative,
  powerSphericalKlToUniform,
  powerSphericalLogNormalizer,
  powerSphericalMeanLog1pCosine,
} from './special/power_spherical.js';
import { logSphereArea } from './special/sphere.js';
import { type SphericalParameters, checkSphericalParameters, perExample, sampleAroundMean } from './spherical.js';
import type { LatentDistribution } from './types.js';

function kappaOp(evaluate: Float64Elementwise['evaluate']): Float64Elementwise {
  return { argument: 'kappa', expected: 'a positive finite number', valid: isPositiveFinite, evaluate };
}

/** log N_d(κ); derivative −E[log(1 + μ·z)]. */
const logNormalizer = (dim: number) =>
  kappaOp((k) => [powerSphericalLogNormalizer(k, dim), -powerSphericalMeanLog1pCosine(k, dim)]);

/** KL to uniform; derivative κ (ψ'(α) − ψ'(α+β)). */
const klToUniform = (dim: number) =>
  kappaOp((k) => [powerSphericalKlToUniform(k, dim), powerSphericalKlDerivative(k, dim)]);

export class PowerSpherical implements LatentDistribution {
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

  sample(rng: Rng): Tensor2D {
    return tf.tidy(() => this.sampleN(1, rng).squeeze([0]));
  }

  sampleN(n: number, rng: Rng): Tensor3D {
    return sampleAroundMean(this.mu, this.kappa, this.parameters, n, rng, samplePowerSphericalCosine);
  }

  /** log N_d(κ) + κ log(1 + μ·z); the cosine is clipped to [−1, 1] against float32 rounding. */
  logProb(z: Tensor2D | Tensor3D): Tensor {
    checkPoints(z, this.dim, this.batchSize);
    return tf.tidy(() => {
      const cosine = tf.sum(tf.mul(z, this.mu), -1).clipByValue(-1, 1);
      return tf.log1p(cosine).mul(this.kappa).add(perExample(this.kappa, this.batchSize, logNormalizer(this.dim)));
    });
  }

  entropy(): Tensor1D {
    return tf.tidy(() => this.klToPrior().neg().add(logSphereArea(this.dim)));
  }

  /** KL(PS(μ, κ) ‖ uniform on S^{d-1}) from log-gamma and digamma. */
  klToPrior(): Tensor1D {
    return perExample(this.kappa, this.batchSize, klToUniform(this.dim));
  }

  /** E[z] = κ / (d − 1 + κ) μ. */
  mean(): Tensor2D {
    return tf.tidy(() => {
      const kappa = typeof this.kappa === 'number' ? tf.scalar(this.kappa) : this.kappa.expandDims(1);
      return this.mu.mul(kappa.div(kappa.add(this.dim - 1)));
    });
  }

  mode(): Tensor2D {
    return this.mu.clone();
  }
}
