/**
 * Closed forms of the von Mises-Fisher distribution vMF(μ, κ) on S^{d-1} ⊂ R^d in float64, all through the Bessel
 * functions of order v = d/2 − 1. Density w.r.t. the surface measure: C_d(κ) exp(κ μ·z),
 * C_d(κ) = κ^v / ((2π)^{d/2} I_v(κ)).
 */
import { besselIRatio, inHankelRange, largeArgumentBessel, logBesselIScaled } from './bessel.js';
import { logGamma } from './gamma.js';
import { logSphereArea } from './sphere.js';

function order(dim: number): number {
  return dim / 2 - 1;
}

/**
 * log C_d(κ), written as −log|S^{d-1}| − log(Γ(v+1) (2/κ)^v I_v(κ)): the second term vanishes as κ → 0, so the
 * density tends to the uniform one with no cancellation. d/dκ log C_d(κ) = −A_d(κ).
 */
export function vmfLogNormalizer(kappa: number, dim: number): number {
  return -logSphereArea(dim) - logBesselIScaled(order(dim), kappa);
}

/** A_d(κ) = E[μ·z] = I_{d/2}(κ) / I_{d/2−1}(κ). */
export function vmfMeanCosine(kappa: number, dim: number): number {
  return besselIRatio(order(dim), kappa);
}

/** d A_d / dκ = 1 − A² − (d−1) A / κ (from the recurrences of I_v), with its κ → 0 limit 1/d. */
export function vmfMeanCosineDerivative(kappa: number, dim: number, meanCosine = vmfMeanCosine(kappa, dim)): number {
  if (kappa === 0) return 1 / dim;
  // ≈ (d−1)/(2κ²) at large κ, the difference of terms of size (d−1)/κ: computed from the expansion instead.
  if (inHankelRange(order(dim), kappa)) return largeArgumentBessel(order(dim), kappa).ratioDerivative;
  const a = meanCosine;
  return 1 - a * a - ((dim - 1) * a) / kappa;
}

/**
 * KL(vMF(μ, κ) ‖ uniform on S^{d-1}) = log C_d(κ) + κ A_d(κ) + log|S^{d-1}| = κ A_d(κ) − log(Γ(v+1) (2/κ)^v I_v(κ)),
 * exact for dimension d (the ambient one), not d + 2.
 */
export function vmfKlToUniform(kappa: number, dim: number, meanCosine = vmfMeanCosine(kappa, dim)): number {
  const v = order(dim);
  if (inHankelRange(v, kappa)) {
    // κA − log I_v(κ) is a difference of two numbers near κ (at κ = 1e18 nothing was left of it): rewritten as
    // −κ(1 − A) + (κ − log I_v(κ)), both small and given directly by the expansion.
    const large = largeArgumentBessel(v, kappa);
    const leading = v === 0 ? 0 : v * Math.log(kappa / 2) - logGamma(v + 1);
    return -kappa * large.ratioComplement + large.deficit + leading;
  }
  return kappa * meanCosine - logBesselIScaled(v, kappa);
}

/** dKL/dκ = κ A_d'(κ): the log C and κA terms' first derivatives cancel (d log C/dκ = −A). */
export function vmfKlDerivative(kappa: number, dim: number, meanCosine = vmfMeanCosine(kappa, dim)): number {
  return kappa * vmfMeanCosineDerivative(kappa, dim, meanCosine);
}
