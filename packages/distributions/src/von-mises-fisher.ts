/**
 * The von Mises-Fisher distribution vMF(μ, κ) on the unit sphere S^{d-1} ⊂ R^d, with density C_d(κ) exp(κ μ·z)
 * w.r.t. the surface measure, and the uniform distribution on S^{d-1} as prior (Xu & Durrett 2018; Davidson et al.
 * 2018).
 *
 * κ is either one number for every example (then the KL is a constant, as in Xu & Durrett) or a [b] tensor learned
 * per example (Davidson et al.). Gradients: to μ through the Householder reflection of every sample; to κ through
 * the sample's cosine, by exact implicit reparameterisation (sampling/vmf-implicit-gradient.ts), and through the KL,
 * entropy, log-density and mean, whose κ-derivatives come from Bessel-function ratios in float64.
 */
import { type Rng, type Tensor, type Tensor2D, tf } from '@latentkit/core';
import type { Float64Elementwise } from './ops/float64-op.js';
import type { PolarDraws } from './sampling/polar.js';
import { sampleVmfCosine } from './sampling/wood.js';
import { vmfKlDerivative, vmfKlToUniform, vmfLogNormalizer, vmfMeanCosine, vmfMeanCosineDerivative } from './special/von-mises-fisher.js';
import { SphericalDistribution, kappaOp, perExample } from './spherical.js';

export class VonMisesFisher extends SphericalDistribution {
  protected sampleCosine(kappa: Float64Array, dim: number, rng: Rng): PolarDraws {
    return sampleVmfCosine(kappa, dim, rng);
  }

  /** μ·z itself. */
  protected cosineTerm(cosine: Tensor): Tensor {
    return cosine;
  }

  /** log C_d(κ); derivative −A_d(κ). */
  protected logNormalizer(): Float64Elementwise {
    const dim = this.dim;
    return kappaOp((k) => [vmfLogNormalizer(k, dim), -vmfMeanCosine(k, dim)]);
  }

  /** KL(vMF(μ, κ) ‖ uniform on S^{d-1}), exact for dimension d; derivative κ A_d'(κ). */
  protected klToUniform(): Float64Elementwise {
    const dim = this.dim;
    return kappaOp((k) => {
      const a = vmfMeanCosine(k, dim);
      return [vmfKlToUniform(k, dim, a), vmfKlDerivative(k, dim, a)];
    });
  }

  /** A_d(κ) μ, with A_d(κ) = E[μ·z] and its derivative A_d'(κ). */
  mean(): Tensor2D {
    const dim = this.dim;
    const meanCosine = kappaOp((k) => {
      const a = vmfMeanCosine(k, dim);
      return [a, vmfMeanCosineDerivative(k, dim, a)];
    });
    return tf.tidy(() => this.mu.mul(perExample(this.kappa, this.batchSize, meanCosine).expandDims(1)));
  }
}
