/** The float64 special functions and closed forms, for callers that work in plain numbers. */
export { besselIRatio, besselIRatioComplement, logBesselI, logBesselIScaled } from './bessel.js';
export { digamma, logGamma, trigamma } from './gamma.js';
export {
  powerSphericalKlDerivative,
  powerSphericalKlToUniform,
  powerSphericalLogNormalizer,
  powerSphericalMeanCosine,
  powerSphericalMeanLog1pCosine,
} from './power-spherical.js';
export { logSphereArea } from './sphere.js';
export {
  vmfKlDerivative,
  vmfKlToUniform,
  vmfLogNormalizer,
  vmfMeanCosine,
  vmfMeanCosineDerivative,
} from './von-mises-fisher.js';
