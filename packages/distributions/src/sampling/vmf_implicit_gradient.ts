/**
 * The exact κ-gradient of a von Mises-Fisher cosine w = μ·z by implicit reparameterisation (Figurnov et al. 2018,
 * "Implicit Reparameterization Gradients"): w has marginal density p(t; κ) ∝ e^{κt} (1 − t²)^ν, ν = (d−3)/2, on
 * [−1, 1], and holding its CDF value F(w; κ) fixed gives
 *
 *   ∂w/∂κ = −∂_κF(w; κ) / p(w; κ) = ∫_w^1 (t − A) p(t)/p(w) dt = ∫_{−1}^w (A − t) p(t)/p(w) dt,   A = E[w] = A_d(κ).
 *
 * Unlike the reparameterised term of Davidson et al. (2018), this needs no correction term: it is the gradient of the
 * sample itself, however the sampler produced it. The integral is taken on the side of w away from A, where the
 * integrand has one sign, after t = 1 − s² (or −1 + s²) which smooths the (1 ∓ t)^ν endpoint behaviour (a 1/√ pole
 * on the circle, d = 2); no normalising constant is needed since only p(t)/p(w) appears.
 */
import { integrate } from '../special/quadrature.js';

/** ∂w/∂κ at a draw w (given with 1 − w and 1 + w to full precision). */
export function vmfCosineDerivative(oneMinusW: number, onePlusW: number, kappa: number, dim: number, meanCosine: number): number {
  const nu = (dim - 3) / 2;
  const logOneMinusW2 = Math.log(oneMinusW * onePlusW);
  const above = 1 - oneMinusW > meanCosine;
  // With t = ±(1 − s²): |t − A| and κ(t − w) in terms of q = s², without cancellation near t = ±1.
  const gap = above ? 1 - meanCosine : 1 + meanCosine; // |±1 − A|
  const distance = above ? oneMinusW : onePlusW; // |±1 − w|
  const integrand = (s: number) => {
    const q = s * s;
    const kappaTimesTMinusW = above ? kappa * (distance - q) : kappa * (q - distance);
    const logRatio = kappaTimesTMinusW + nu * (Math.log(q * (2 - q)) - logOneMinusW2);
    return 2 * s * (gap - q) * Math.exp(logRatio);
  };
  return integrate(integrand, 0, Math.sqrt(distance), 1e-7); // true error ≤ 5e-10: the Gauss–Kronrod estimate is pessimistic
}
