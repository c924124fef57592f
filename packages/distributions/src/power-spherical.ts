/**
 * The Power Spherical distribution PS(μ, κ) on S^{d-1} ⊂ R^d (De Cao & Aziz 2020, "The Power Spherical
 * distribution"), with density N_d(κ) (1 + μ·z)^κ w.r.t. the surface measure, and the uniform distribution on
 * S^{d-1} as prior. A drop-in for the von Mises-Fisher with no Bessel functions and no rejection on μ·z.
 *
 * Gradients: to μ through the Householder reflection; to κ through the sample's cosine (reparameterised Beta draw,
 * see sampling/beta-cosine.ts for the term that flows) and through the KL, entropy, log-density, whose
 * κ-derivatives come from digamma and trigamma in float64.
 */
import { type Rng, type Tensor, type Tensor2D, tf } from '@latentkit/core';
import type { Float64Elementwise } from './ops/float64-op.js';
import { samplePowerSphericalCosine } from './sampling/beta-cosine.js';
import type { PolarDraws } from './sampling/polar.js';
import {
  powerSphericalKlDerivative,
  powerSphericalKlToUniform,
  powerSphericalLogNormalizer,
  powerSphericalMeanLog1pCosine,
} from './special/power-spherical.js';
import { SphericalDistribution, kappaOp } from './spherical.js';

export class PowerSpherical extends SphericalDistribution {
  protected sampleCosine(kappa: Float64Array, dim: number, rng: Rng): PolarDraws {
    return samplePowerSphericalCosine(kappa, dim, rng);
  }

  /** log(1 + μ·z), the cosine clipped to [−1, 1] against float32 rounding. */
  protected cosineTerm(cosine: Tensor): Tensor {
    return tf.log1p(cosine.clipByValue(-1, 1));
  }

  /** log N_d(κ); derivative −E[log(1 + μ·z)]. */
  protected logNormalizer(): Float64Elementwise {
    const dim = this.dim;
    return kappaOp((k) => [powerSphericalLogNormalizer(k, dim), -powerSphericalMeanLog1pCosine(k, dim)]);
  }

  /** KL(PS(μ, κ) ‖ uniform on S^{d-1}) from log-gamma and digamma; derivative κ (ψ'(α) − ψ'(α+β)). */
  protected klToUniform(): Float64Elementwise {
    const dim = this.dim;
    return kappaOp((k) => [powerSphericalKlToUniform(k, dim), powerSphericalKlDerivative(k, dim)]);
  }

  /** E[z] = κ / (d − 1 + κ) μ. */
  mean(): Tensor2D {
    return tf.tidy(() => {
      const kappa = typeof this.kappa === 'number' ? tf.scalar(this.kappa) : this.kappa.expandDims(1);
      return this.mu.mul(kappa.div(kappa.add(this.dim - 1)));
    });
  }
}
