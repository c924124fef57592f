/**
 * Closed forms of the Power Spherical distribution PS(μ, κ) on S^{d-1} ⊂ R^d (De Cao & Aziz 2020) in float64.
 * Density w.r.t. the surface measure: N_d(κ) (1 + μ·z)^κ, and (1 + μ·z)/2 ~ Beta(α, β) with α = (d−1)/2 + κ,
 * β = (d−1)/2.
 */
import { digamma, logGamma, trigamma } from './gamma.js';
import { logSphereArea } from './sphere.js';

function shapes(kappa: number, dim: number): { alpha: number; beta: number } {
  const beta = (dim - 1) / 2;
  return { alpha: beta + kappa, beta };
}

/** log N_d(κ) = −[(α+β) log 2 + β log π + log Γ(α) − log Γ(α+β)]. */
export function powerSphericalLogNormalizer(kappa: number, dim: number): number {
  const { alpha, beta } = shapes(kappa, dim);
  return -((alpha + beta) * Math.LN2 + beta * Math.log(Math.PI) + logGamma(alpha) - logGamma(alpha + beta));
}

/** E[log(1 + μ·z)] = log 2 + ψ(α) − ψ(α+β); also −d log N_d/dκ. */
export function powerSphericalMeanLog1pCosine(kappa: number, dim: number): number {
  const { alpha, beta } = shapes(kappa, dim);
  return Math.LN2 + digamma(alpha) - digamma(alpha + beta);
}

/** E[μ·z] = (α − β) / (α + β) = κ / (d − 1 + κ). */
export function powerSphericalMeanCosine(kappa: number, dim: number): number {
  return kappa / (dim - 1 + kappa);
}

/** KL(PS(μ, κ) ‖ uniform on S^{d-1}) = log N_d(κ) + κ E[log(1 + μ·z)] + log|S^{d-1}|. */
export function powerSphericalKlToUniform(kappa: number, dim: number): number {
  return powerSphericalLogNormalizer(kappa, dim) + kappa * powerSphericalMeanLog1pCosine(kappa, dim) + logSphereArea(dim);
}

/** dKL/dκ = κ (ψ'(α) − ψ'(α+β)): the first-order terms cancel as for every exponential family. */
export function powerSphericalKlDerivative(kappa: number, dim: number): number {
  const { alpha, beta } = shapes(kappa, dim);
  return kappa * (trigamma(alpha) - trigamma(alpha + beta));
}
