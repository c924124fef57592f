/**
 * Places draws around μ: y = [σ w, √(1−w²) v] with v uniform on S^{d-2} has μ-cosine w after the Householder
 * reflection H that maps σe₁ to μ. σ = −sign(μ₁) keeps ‖σe₁ − μ‖² = 2(1 + |μ₁|) ≥ 2, so H never divides by a
 * vanishing norm (the usual u = e₁ − μ does when μ ≈ e₁). Differentiable in μ and in (w, √(1−w²)).
 */
import { type Rng, type Tensor2D, type Tensor3D, tf } from '@latentkit/core';

/** mu [b, d] unit rows, polar [n, b, 2] = (w, √(1−w²)) → z [n, b, d] on S^{d-1} with μ·z = w. */
export function reflectOntoMean(mu: Tensor2D, polar: Tensor3D, rng: Rng): Tensor3D {
  return tf.tidy(() => {
    const [n, b] = polar.shape;
    const d = mu.shape[1];
    const mu1 = mu.slice([0, 0], [b, 1]);
    const sigma = tf.where(mu1.greaterEqual(0), tf.fill([b, 1], -1), tf.fill([b, 1], 1));
    const gaussian = tf.randomNormal([n, b, d - 1], 0, 1, 'float32', rng.tfSeed());
    const direction = gaussian.div(tf.norm(gaussian, 'euclidean', -1, true));
    const [cos, sin] = tf.split(polar, 2, -1) as [Tensor3D, Tensor3D];
    const y = tf.concat([cos.mul(sigma), direction.mul(sin)], -1);
    const u = tf.concat([sigma.sub(mu1), mu.slice([0, 1], [b, d - 1]).neg()], 1);
    const uu = tf.sum(u.square(), -1, true);
    const projection = tf.sum(y.mul(u), -1, true).mul(2).div(uu);
    return y.sub(projection.mul(u)) as Tensor3D;
  });
}
