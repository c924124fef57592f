import { Rng, initEngine, tf } from '@latentkit/core';
import { PowerSpherical, VonMisesFisher, uniformSphere } from '@latentkit/distributions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LatentStatisticsAccumulator, elboTerms, evaluateLikelihood, importanceWeightedBound, perplexity } from '../src/index.js';
import { C, S, W, exactPosterior, gaussianKl, logMarginal, pieces, sampleX } from './linear-gaussian.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

describe('likelihood bounds on a linear-Gaussian model with exact log p(x)', () => {
  const x = sampleX(300, Rng.fromSeed(1));
  const exact = logMarginal(x);

  it('with the exact posterior, every importance weight is p(x): L_K = log p(x) for any K', () => {
    for (const k of [1, 7]) {
      const bound = importanceWeightedBound(pieces(x), { samples: k, rng: Rng.fromSeed(2) });
      for (let i = 0; i < x.length; i++) expect(Math.abs((bound[i] as number) - (exact[i] as number))).toBeLessThan(2e-4);
    }
    // …and the ELBO with a Monte Carlo KL on the same draws is exact too.
    const terms = elboTerms(pieces(x), { rng: Rng.fromSeed(3), kl: 'monteCarlo' });
    for (let i = 0; i < x.length; i++) expect(Math.abs((terms.elbo[i] as number) - (exact[i] as number))).toBeLessThan(2e-4);
  });

  it('with an approximate posterior, the ELBO is log p(x) − KL(q ‖ p(z|x))', () => {
    const shift = 0.4;
    const widen = 2;
    const post = exactPosterior(x);
    const gap = post.means.map((m) =>
      gaussianKl(
        m.map((v) => v + shift),
        post.variances.map((v) => v * widen),
        m,
        post.variances,
      ),
    );
    const expected = mean(exact.map((l, i) => l - (gap[i] as number)));
    const terms = elboTerms(pieces(x, shift, widen), { rng: Rng.fromSeed(4), samples: 200 });
    // Monte Carlo error of the mean over 300 × 200 draws: the per-draw sd of log p(x|z) here is about 3 nats → ~0.013.
    expect(Math.abs(mean(terms.elbo) - expected)).toBeLessThan(0.05);
    // The analytic KL is KL(q ‖ N(0, I)) exactly.
    const kl0 = post.means.map((m) =>
      gaussianKl(
        m.map((v) => v + shift),
        post.variances.map((v) => v * widen),
        [0, 0, 0],
        [1, 1, 1],
      ),
    );
    for (let i = 0; i < x.length; i++) expect(Math.abs((terms.kl[i] as number) - (kl0[i] as number))).toBeLessThan(1e-4);
  });

  it('the importance-weighted bound rises with K towards log p(x)', () => {
    const approx = pieces(x, 0.4, 2);
    const target = mean(exact);
    const bounds: number[] = [];
    for (const k of [1, 10, 100, 1000]) bounds.push(mean(importanceWeightedBound(approx, { samples: k, rng: Rng.fromSeed(k), chunk: 100 })));
    for (let i = 1; i < bounds.length; i++) expect(bounds[i] as number).toBeGreaterThan(bounds[i - 1] as number);
    expect(bounds[3] as number).toBeLessThan(target + 0.01);
    // The gap at K = 1000 is a small fraction of the ELBO's.
    expect(target - (bounds[3] as number)).toBeLessThan(0.1 * (target - (bounds[0] as number)));
  });

  it('estimates active units, KL per dimension and I(x; z)', () => {
    const big = sampleX(1000, Rng.fromSeed(5));
    const stats = new LatentStatisticsAccumulator(Rng.fromSeed(6));
    for (let start = 0; start < big.length; start += 500) {
      tf.tidy(() => {
        const p = pieces(big.slice(start, start + 500));
        stats.add(p.posterior, p.prior);
      });
    }
    const result = stats.result();
    expect(result.examples).toBe(1000);
    // Var_x(μ_j) = 1 − Σ_jj: 16/17 and 4/5 for the used dimensions, 0 for the unused one.
    expect(result.activeUnits).toBe(2);
    expect(result.posteriorMeanVariance[0]).toBeCloseTo(16 / 17, 1);
    expect(result.posteriorMeanVariance[1]).toBeCloseTo(4 / 5, 1);
    expect(result.posteriorMeanVariance[2]).toBeLessThan(1e-10);
    // E_x KL(q(z_j|x) ‖ N(0,1)) = ½ log(1 + w_j²/s²) = I(x; z_j); sampling error of 1000 examples ≈ 0.03.
    const perDim = W.map((w) => 0.5 * Math.log(1 + (w * w) / (S * S)));
    for (let j = 0; j < 3; j++) expect(Math.abs((result.klPerDimension?.[j] as number) - (perDim[j] as number))).toBeLessThan(0.1);
    const mi = perDim.reduce((s, v) => s + v, 0);
    expect(Math.abs(result.mutualInformation - mi)).toBeLessThan(0.1);
    // The exact posteriors aggregate to the prior.
    expect(Math.abs(result.aggregateKl)).toBeLessThan(0.1);
    expect(C).toHaveLength(4);
  });
});

describe('likelihood bounds on the sphere', () => {
  it.each([
    ['von Mises-Fisher', VonMisesFisher],
    ['Power Spherical', PowerSpherical],
  ] as const)('L_K of a %s posterior with a constant likelihood rises from c − KL to c', async (_, Family) => {
    const mu = tf.tensor2d([
      [1, 0, 0, 0],
      [0, 0.6, 0.8, 0],
    ]);
    const posterior = new Family(mu, tf.tensor1d([5, 20]));
    const c = -3;
    const p = { posterior, prior: uniformSphere(4), logLikelihood: (z: tf.Tensor2D) => tf.fill([z.shape[0]], c) as tf.Tensor1D };
    const kl = await posterior.klToPrior().data();
    const l1 = importanceWeightedBound(p, { samples: 1, rng: Rng.fromSeed(7) });
    const elbo = elboTerms(p, { rng: Rng.fromSeed(8) });
    for (let i = 0; i < 2; i++) {
      expect(l1[i] as number).toBeLessThan(c);
      expect(elbo.elbo[i]).toBeCloseTo(c - (kl[i] as number), 4);
    }
    const lk = importanceWeightedBound(p, { samples: 3000, rng: Rng.fromSeed(9) });
    const l10 = importanceWeightedBound(p, { samples: 10, rng: Rng.fromSeed(10) });
    for (let i = 0; i < 2; i++) {
      expect(lk[i] as number).toBeLessThan(c + 0.05);
      expect(lk[i] as number).toBeGreaterThan(l10[i] as number);
    }
  });
});

describe('latent statistics on the sphere', () => {
  it('identical vMF posteriors carry no information: MI ≈ 0 and KL(q(z)‖p) = KL(q‖p)', () => {
    const b = 400;
    const stats = new LatentStatisticsAccumulator(Rng.fromSeed(13));
    const kl = tf.tidy(() => {
      const mu = tf.tile(tf.tensor2d([[0.6, 0, 0.8]]), [b, 1]) as tf.Tensor2D;
      const posterior = new VonMisesFisher(mu, 8);
      stats.add(posterior, uniformSphere(3));
      return posterior.klToPrior().dataSync()[0] as number;
    });
    const result = stats.result();
    // Monte Carlo error: the sd of log q(z) under vMF(κ=8) in 3-D is about 1 nat, over 400 draws ≈ 0.05.
    expect(Math.abs(result.mutualInformation)).toBeLessThan(0.15);
    expect(Math.abs(result.aggregateKl - kl)).toBeLessThan(0.15);
    expect(result.activeUnits).toBe(0);
    expect(result.klPerDimension).toBeNull();
  });
});

describe('perplexity', () => {
  it('is exp of the summed bound over the units', () => {
    // Xu & Durrett: exp((Σ reconstruction + Σ KL) / Σ tokens incl. <eos>): (300 + 20) nats over 100 tokens.
    expect(perplexity(300 + 20, 100)).toBeCloseTo(Math.exp(3.2), 12);
    expect(() => perplexity(1, 0)).toThrow(/"units" must be positive/);
    expect(() => perplexity(Number.NaN, 3)).toThrow(/"negLogLikelihoodSum" must be a finite number/);
  });
});

describe('likelihood errors', () => {
  it('names the bad sample count', () => {
    const p = pieces(sampleX(4, Rng.fromSeed(11)));
    expect(() => importanceWeightedBound(p, { samples: 0, rng: Rng.fromSeed(1) })).toThrow(/"samples" must be a positive integer, got 0/);
    expect(() => elboTerms(p, { samples: 1.5, rng: Rng.fromSeed(1) })).toThrow(/"samples" must be a positive integer/);
  });

  it('stops a NaN log-likelihood before it reaches a report', () => {
    const x = sampleX(6, Rng.fromSeed(12));
    const broken = () => ({ pieces: { ...pieces(x), logLikelihood: (z: tf.Tensor2D) => tf.fill([z.shape[0]], Number.NaN) as tf.Tensor1D }, units: 24 });
    expect(() => evaluateLikelihood([broken], { importanceSamples: 3 })).toThrow(/non-finite totals/);
    expect(() => evaluateLikelihood([() => ({ pieces: pieces(x), units: 0 })])).toThrow(/"batch.units" must be a positive number/);
    expect(() => evaluateLikelihood([])).toThrow(/"batches" must yield at least one batch/);
  });
});
