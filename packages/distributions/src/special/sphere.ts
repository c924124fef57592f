import { logGamma } from './gamma.js';

/** log of the surface area of the unit sphere S^{d-1} ⊂ R^d: log(2 π^{d/2} / Γ(d/2)). */
export function logSphereArea(dim: number): number {
  return Math.log(2) + (dim / 2) * Math.log(Math.PI) - logGamma(dim / 2);
}
