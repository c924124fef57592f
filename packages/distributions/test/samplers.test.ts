/**
 * The float64 samplers of the cosine μ·z, tested in isolation with many draws: exact CDFs where they exist (S²),
 * first and second moments elsewhere, and their κ-derivatives against closed forms, mpmath and analytic means.
 */
import { Rng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { samplePowerSphericalCosine } from '../src/sampling/beta-cosine.js';
import { sampleGamma } from '../src/sampling/gamma.js';
import { vmfCosineDerivative } from '../src/sampling/vmf-implicit-gradient.js';
import { sampleVmfCosine, woodRejection } from '../src/sampling/wood.js';
import { vmfMeanCosine, vmfMeanCosineDerivative } from '../src/special/von-mises-fisher.js';
import { expectWithinStandardErrors, ksStatistic, moments } from './helpers.js';
import { relativeError } from './vectors.js';

const N = 40_000;
/** KS critical value at level 1e-3 for N draws: 1.95 / √N. */
const KS_CRITICAL = 1.95 / Math.sqrt(N);

describe('Wood rejection sampler for the vMF cosine', () => {
  it.each([0.1, 1, 10, 5000])('matches the exact CDF on S² at κ = %d (KS, level 1e-3)', (kappa) => {
    const draws = woodRejection(new Float64Array(N).fill(kappa), 3, Rng.fromSeed(11));
    // F(w) = (e^{κ(w−1)} − e^{−2κ}) / (1 − e^{−2κ})
    const cdf = (w: number) => (-Math.expm1(kappa * (w - 1)) === 1 ? 0 : (Math.exp(kappa * (w - 1)) - Math.exp(-2 * kappa)) / -Math.expm1(-2 * kappa));
    expect(ksStatistic(draws.cos, cdf)).toBeLessThan(KS_CRITICAL);
  });

  it('the S² inverse CDF matches it too', () => {
    const kappa = 2.5;
    const draws = sampleVmfCosine(new Float64Array(N).fill(kappa), 3, Rng.fromSeed(12));
    const cdf = (w: number) => (Math.exp(kappa * (w - 1)) - Math.exp(-2 * kappa)) / -Math.expm1(-2 * kappa);
    expect(ksStatistic(draws.cos, cdf)).toBeLessThan(KS_CRITICAL);
  });

  it.each([
    [0.1, 50],
    [80, 50],
    [5000, 50],
    [0.1, 1000],
    [1000, 1000],
    [5000, 1000],
    [4, 2],
  ])('κ = %d, d = %d: E[w] = A_d(κ) and E[w²] = 1 − (d−1)A_d(κ)/κ within 4 standard errors', (kappa, dim) => {
    const draws = sampleVmfCosine(new Float64Array(N).fill(kappa), dim, Rng.fromSeed(kappa * 7 + dim));
    const a = vmfMeanCosine(kappa, dim);
    expectWithinStandardErrors(moments(draws.cos), a, 4, 0);
    expectWithinStandardErrors(moments(draws.cos.map((w) => w * w)), 1 - ((dim - 1) * a) / kappa, 4, 0);
    draws.sin.forEach((s, i) => {
      if (Math.abs(s * s + (draws.cos[i] as number) ** 2 - 1) > 1e-12) throw new Error(`sin² + cos² ≠ 1 at ${i}`);
    });
  });

  it('the implicit ∂w/∂κ equals the closed-form S² inverse-CDF derivative at the same draws', () => {
    const kappa = new Float64Array(2000).map((_, i) => [0.1, 1, 10, 5000][i % 4] as number);
    const draws = sampleVmfCosine(kappa, 3, Rng.fromSeed(4));
    const closedForm = draws.cosDerivative();
    draws.cos.forEach((w, i) => {
      const k = kappa[i] as number;
      const implicit = vmfCosineDerivative(1 - w, 1 + w, k, 3, vmfMeanCosine(k, 3));
      expect(relativeError(implicit, closedForm[i] as number)).toBeLessThan(1e-7);
    });
  });

  // [w, κ, d, ∂w/∂κ]: −∫_{−1}^w (t − A) p(t) dt / p(w) by mpmath 1.2.1 quad at 30 digits, computed for this test.
  it.each([
    [0.5, 4, 2, 0.1420338448524159],
    [-0.9, 4, 2, 0.2772704691920195],
    [0.99, 4, 2, 0.0027311297922688414],
    [0.3, 80, 50, 0.006930751297652435],
    [0.8, 80, 50, 0.002102272452013396],
    [0.905, 5000, 1000, 1.8010333826261937e-5],
    [0.9, 5000, 1000, 1.8955647570349226e-5],
    // Far tails of very concentrated draws, where the integrand lives within 1e-5 of w.
    [0.9997, 1e5, 50, 2.9996474436021807e-9],
    [0.99977, 1e5, 50, 2.2997297162217366e-9],
    [0.99997, 1e5, 4, 2.999992499809945e-10],
    [0.99985, 1e4, 2, 1.500037506563624e-8],
    [0.99995, 1e4, 2, 5.000125015627028e-9],
  ])('implicit ∂w/∂κ at w = %d, κ = %d, d = %d matches mpmath to 1e-9', (w, kappa, dim, expected) => {
    expect(relativeError(vmfCosineDerivative(1 - w, 1 + w, kappa, dim, vmfMeanCosine(kappa, dim)), expected)).toBeLessThan(1e-9);
  });

  it.each([
    [0.5, 3],
    [10, 3],
    [4, 2],
    [10, 50],
    [80, 50],
    [5000, 1000],
    [1e5, 50],
    [1e5, 4],
    [1e4, 2],
  ])('E[∂w/∂κ] = dA_d/dκ within 4 standard errors at κ = %d, d = %d (unbiased)', (kappa, dim) => {
    const draws = sampleVmfCosine(new Float64Array(10_000).fill(kappa), dim, Rng.fromSeed(5));
    expectWithinStandardErrors(moments(draws.cosDerivative()), vmfMeanCosineDerivative(kappa, dim), 4, 0);
  });
});

describe('Power Spherical cosine', () => {
  it.each([0.5, 3, 300])('matches the exact CDF on S² at κ = %d: (1 + t)/2 ~ Beta(1 + κ, 1)', (kappa) => {
    const draws = samplePowerSphericalCosine(new Float64Array(N).fill(kappa), 3, Rng.fromSeed(21));
    expect(ksStatistic(draws.cos, (t) => ((1 + t) / 2) ** (1 + kappa))).toBeLessThan(KS_CRITICAL);
  });

  it.each([
    [0.1, 50],
    [80, 50],
    [5000, 1000],
    [0.3, 2],
  ])('κ = %d, d = %d: first two moments of t match the Beta law', (kappa, dim) => {
    const draws = samplePowerSphericalCosine(new Float64Array(N).fill(kappa), dim, Rng.fromSeed(22));
    const alpha = (dim - 1) / 2 + kappa;
    const beta = (dim - 1) / 2;
    const ex = alpha / (alpha + beta);
    const ex2 = (alpha * (alpha + 1)) / ((alpha + beta) * (alpha + beta + 1));
    expectWithinStandardErrors(moments(draws.cos), 2 * ex - 1, 4, 0);
    expectWithinStandardErrors(moments(draws.cos.map((t) => t * t)), 4 * ex2 - 4 * ex + 1, 4, 0);
  });

  it.each([
    [0.1, 3],
    [1, 3],
    [0.3, 2],
    [10, 50],
    [80, 50],
  ])('E[∂t/∂κ] = d E[t]/dκ = (d−1)/(d−1+κ)² within 4 standard errors at κ = %d, d = %d', (kappa, dim) => {
    const draws = samplePowerSphericalCosine(new Float64Array(N).fill(kappa), dim, Rng.fromSeed(23));
    expectWithinStandardErrors(moments(draws.cosDerivative()), (dim - 1) / (dim - 1 + kappa) ** 2, 4, 0);
  });
});

describe('Marsaglia–Tsang gamma sampler', () => {
  it.each([
    [0.3, true],
    [0.3, false],
    [1, true],
    [24.5, false],
    [2500, true],
  ])('shape %d (boosted for gradients: %s): mean and variance equal the shape', (shape, forGradient) => {
    const { value } = sampleGamma(new Float64Array(N).fill(shape), Rng.fromSeed(31), forGradient);
    const m = moments(value);
    expectWithinStandardErrors(m, shape, 4, 0);
    // The sample variance has standard error σ² √((2 + excess kurtosis)/N), excess kurtosis 6/shape.
    const variance = m.meanSquare - m.mean * m.mean;
    expect(Math.abs(variance / shape - 1)).toBeLessThan(4 * Math.sqrt((2 + 6 / shape) / N));
  });

  it.each([0.7, 1.5, 40])('shape %d: E[∂G/∂shape] = dE[G]/dshape = 1 within 4 standard errors (boosted)', (shape) => {
    const { dShape } = sampleGamma(new Float64Array(N).fill(shape), Rng.fromSeed(32));
    expectWithinStandardErrors(moments(dShape), 1, 4, 0);
  });
});
