/**
 * Places draws around μ: y = σ w e₁ + √(1−w²) v, with v uniform on the unit sphere orthogonal to e₁, has μ-cosine w
 * after the Householder reflection H that maps σe₁ to μ. σ = −sign(μ₁) keeps ‖σe₁ − μ‖² = 2(1 + |μ₁|) ≥ 2, so H
 * never divides by a vanishing norm (the usual u = e₁ − μ does when μ ≈ e₁). Differentiable in μ, w and √(1−w²).
 * Written with broadcasts against e₁ rather than slices and concats, which the cpu backend runs slowly.
 */
import { type Rng, type Tensor2D, type Tensor3D, tf } from '@latentkit/core';

/** mu [b, d] unit rows; cos, sin [n, b, 1] = (w, √(1−w²)) → z [n, b, d] on S^{d-1} with μ·z = w. */
export function reflectOntoMean(mu: Tensor2D, cos: Tensor3D, sin: Tensor3D, rng: Rng): Tensor3D {
  return tf.tidy(() => {
    const [n, b] = cos.shape;
    const d = mu.shape[1];
    const e1 = tf.oneHot([0], d).toFloat(); // [1, d]
    const sigma = tf.sub(1, tf.matMul(mu, e1, false, true).greaterEqual(0).toFloat().mul(2)); // [b, 1]: −1 where μ₁ ≥ 0
    const gaussian = tf.randomNormal([n, b, d], 0, 1, 'float32', rng.tfSeed()).mul(tf.sub(1, e1));
    const direction = gaussian.div(tf.norm(gaussian, 'euclidean', -1, true));
    const y = e1.mul(cos.mul(sigma)).add(direction.mul(sin));
    const u = e1.mul(sigma).sub(mu);
    const projection = tf
      .sum(y.mul(u), -1, true)
      .mul(2)
      .div(tf.sum(u.square(), -1, true));
    return y.sub(projection.mul(u)) as Tensor3D;
  });
}
