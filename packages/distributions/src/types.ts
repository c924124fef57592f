/**
 * The contracts every latent distribution and prior in latentkit satisfies. Bottlenecks build on
 * `LatentDistribution` (the posterior q(z|x) an encoder outputs) and `LatentPrior` (p(z)); evaluation uses `logProb`
 * of both for importance-weighted bounds.
 *
 * Ownership: a distribution holds references to the parameter tensors it was built from and never disposes them;
 * every method returns new tensors that the caller owns (wrap calls in `tf.tidy`). All methods are differentiable
 * with respect to the parameters wherever the math allows; see each distribution for what gradient flows.
 */
import type { Rng, Tensor, Tensor1D, Tensor2D, Tensor3D } from '@latentkit/core';

/** Where z lives: all of R^d, or the unit sphere S^{d-1} ⊂ R^d. */
export type LatentSupport = 'euclidean' | 'sphere';

/** A batch of distributions over z ∈ R^d (or S^{d-1}), one per example, batched over the leading dimension. */
export interface LatentDistribution {
  /** Ambient dimension d of z. */
  readonly dim: number;
  /** Number of examples b in the batch. */
  readonly batchSize: number;
  readonly support: LatentSupport;
  /** One draw per example, [b, d]; reparameterised where the math allows. */
  sample(rng: Rng): Tensor2D;
  /** n draws per example, [n, b, d], for importance-weighted bounds. */
  sampleN(n: number, rng: Rng): Tensor3D;
  /**
   * log q(z): [b] for z [b, d], [n, b] for z [n, b, d]. Density with respect to Lebesgue measure on R^d, or to the
   * surface measure on S^{d-1} for spherical distributions.
   */
  logProb(z: Tensor2D | Tensor3D): Tensor;
  /** Differential entropy (same base measure as logProb), [b]. */
  entropy(): Tensor1D;
  /** KL(q ‖ p) to this family's prior: N(0, I) for the Gaussian, uniform on S^{d-1} for the spherical ones, [b]. */
  klToPrior(): Tensor1D;
  /** E[z], [b, d]. */
  mean(): Tensor2D;
  /** The deterministic code used at inference: the Gaussian mean, the vMF / Power Spherical mean direction μ. [b, d]. */
  mode(): Tensor2D;
}

/** A fixed prior p(z) over R^d or S^{d-1}. */
export interface LatentPrior {
  readonly dim: number;
  readonly support: LatentSupport;
  /** log p(z): [b] for z [b, d], [n, b] for z [n, b, d]; same base measure as LatentDistribution.logProb. */
  logProb(z: Tensor2D | Tensor3D): Tensor;
  /** n independent draws, [n, d]. */
  sample(n: number, rng: Rng): Tensor2D;
}
