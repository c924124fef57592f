export type { LatentDistribution, LatentPrior, LatentSupport } from './types.js';
export { DiagonalGaussian } from './diagonal_gaussian.js';
export { VonMisesFisher } from './von_mises_fisher.js';
export { PowerSpherical } from './power_spherical.js';
export { standardNormal, uniformSphere } from './priors.js';
export { besselIvRatio, digamma, lgamma, logBesselIv } from './ops/special.js';
export * as special from './special/index.js';
