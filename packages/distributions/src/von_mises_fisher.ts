/**
 * The von Mises-Fisher distribution vMF(μ, κ) on the unit sphere S^{d-1} ⊂ R^d, with density C_d(κ) exp(κ μ·z)
 * w.r.t. the surface measure, and the uniform distribution on S^{d-1} as prior (Xu & Durrett 2018; Davidson et al.
 * 2018).
 *
 * κ is either one number for every example (then the KL is a constant, as in Xu & Durrett) or a [b] tensor learned
 * per example (Davidson et al.). Gradients: to μ through the Householder reflection of every sample; to κ through
 * the sample's cosine, by exact implicit reparameterisation (sampling/vmf_implicit_gradient.ts), and through the KL,
 * entropy, log-density and mean, whose κ-derivatives come from Bessel-function ratios in float64.
 */
import { type Rng, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, tf } from '@latentkit/core';
import { checkPoints } from './checks.js';
import { type Float64Elementwise, isPositiveFinite } from './ops/float64_op.js';
import { sampleVmfCosine } from './sampling/wood.js';
import { logSphereArea } from './special/sphere.js';
import {
  vmfKlDerivative,
  vmfKlToUniform,
  vmfLogNormalizer,
  vmfMeanCosine,
  vmfMeanCosineDerivative,
} from './special/von_mises_fisher.js';
import { type SphericalParameters, checkSphericalParameters, perExample, sampleAroundMean } from './spherical.js';
import type { LatentDistribution } from './types.js';

function kappaOp(evaluate: Float64Elementwise['evaluate']): Float64Elementwise {
  return { argument: 'kappa', expected: 'a positive finite number', valid: isPositiveFinite, evaluate };
}

/** log C_d(κ); derivative −A_d(κ). */
const logNormalizer = (dim: number) => kappaOp((k) => [vmfLogNormalizer(k, dim), -vmfMeanCosine(k, dim)]);

/** KL to uniform; derivative κ A_d'(κ). */
const klToUniform = (dim: number) =>
  kappaOp((k) => {
    const a = vmfMeanCosine(k, dim);
    return [vmfKlToUniform(k, dim, a), vmfKlDerivative(k, dim, a)];
  });

/** A_d(κ) = E[μ·z]; derivative A_d'(κ). */
const meanCosine = (dim: number) =>
  kappaOp((k) => {
    const a = vmfMeanCosine(k, dim);
    return [a, vmfMeanCosineDerivative(k, dim, a)];
  });

export class VonMisesFisher implements LatentDistribution {
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
    return sampleAroundMean(this.mu, this.kappa, this.parameters, n, rng, sampleVmfCosine);
  }

  /** log C_d(κ) + κ μ·z. */
  logProb(z: Tensor2D | Tensor3D): Tensor {
    checkPoints(z, this.dim, this.batchSize);
    return tf.tidy(() => {
      const cosine = tf.sum(tf.mul(z, this.mu), -1);
      return cosine.mul(this.kappa).add(perExample(this.kappa, this.batchSize, logNormalizer(this.dim)));
    });
  }

  entropy(): Tensor1D {
    return tf.tidy(() => this.klToPrior().neg().add(logSphereArea(this.dim)));
  }

  /** KL(vMF(μ, κ) ‖ uniform on S^{d-1}), exact for dimension d. */
  klToPrior(): Tensor1D {
    return perExample(this.kappa, this.batchSize, klToUniform(this.dim));
  }

  /** A_d(κ) μ. */
  mean(): Tensor2D {
    return tf.tidy(() => this.mu.mul(perExample(this.kappa, this.batchSize, meanCosine(this.dim)).expandDims(1)));
  }

  mode(): Tensor2D {
    return this.mu.clone();
  }
}
