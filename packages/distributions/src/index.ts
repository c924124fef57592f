export type { LatentDistribution, LatentPrior, LatentSupport } from './types.js';
export { DiagonalGaussian } from './diagonal-gaussian.js';
export { VonMisesFisher } from './von-mises-fisher.js';
export { PowerSpherical } from './power-spherical.js';
export { standardNormal, uniformSphere } from './priors.js';
export { besselIvRatio, digamma, lgamma, logBesselIv } from './ops/special.js';
export * as special from './special/index.js';
