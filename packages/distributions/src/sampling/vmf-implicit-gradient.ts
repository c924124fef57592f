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
 *
 * At large κ the integrand lives within O(1/κ) of w while the interval may span the sphere; a quadrature rule
 * could then miss it altogether. So the interval is first cut where the integrand has provably fallen below e^{−40}
 * of its scale: log p is concave with curvature ≤ −2ν for ν ≥ 0, so log p(t) − log p(w) ≤ g δ − ν δ² at distance
 * δ into the interval, g the slope of log p there; on the circle (ν < 0) the e^{κ(t−w)} factor alone bounds it.
 */
import { integrate } from '../special/quadrature.js';

/** log of the smallest integrand ratio kept: e^{−40} ≈ 4e-18. */
const CUTOFF = 40;

/** How far into the interval the integrand can matter; `slope` is d/dδ log p at w, δ measured into the interval. */
function reach(slope: number, nu: number, kappa: number, above: boolean): number {
  if (nu < 0) return above ? Number.POSITIVE_INFINITY : (CUTOFF + 10) / kappa; // +10: the bounded (1 − t²)^ν factor
  const root = Math.sqrt(slope * slope + 4 * nu * CUTOFF);
  // Positive root of ν δ² − slope δ − CUTOFF = 0, in the form that does not cancel for either sign of the slope.
  return slope > 0 ? (slope + root) / (2 * nu) : (2 * CUTOFF) / (root - slope);
}

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
    return 2 * s * (gap - q) * Math.exp(kappaTimesTMinusW + nu * (Math.log(q * (2 - q)) - logOneMinusW2));
  };
  const slopeAtW = kappa - (2 * nu * (1 - oneMinusW)) / (oneMinusW * onePlusW); // d/dt log p at t = w
  const cut = reach(above ? slopeAtW : -slopeAtW, nu, kappa, above);
  const start = cut < distance ? Math.sqrt(distance - cut) : 0;
  // Relative tolerance 1e-7 leaves a true error ≤ 5e-10: the Gauss–Kronrod error estimate is pessimistic.
  return integrate(integrand, start, Math.sqrt(distance), 1e-7);
}
