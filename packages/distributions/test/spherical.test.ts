/** VonMisesFisher and PowerSpherical as tfjs distributions: samples, densities, KLs, gradients, error paths. */
import { LatentkitError, Rng, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PowerSpherical, VonMisesFisher, uniformSphere } from '../src/index.js';
import { sampleVmfCosine } from '../src/sampling/wood.js';
import { logSphereArea } from '../src/special/sphere.js';
import {
  powerSphericalKlDerivative,
  powerSphericalKlToUniform,
  powerSphericalLogNormalizer,
  powerSphericalMeanCosine,
} from '../src/special/power-spherical.js';
import { vmfKlToUniform, vmfLogNormalizer, vmfMeanCosine, vmfMeanCosineDerivative } from '../src/special/von-mises-fisher.js';
import { allFinite, expectWithinStandardErrors, moments, randomUnitRows } from './helpers.js';
import { type SphericalVectors, readTestVectors, relativeError } from './vectors.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

type Family = {
  name: string;
  make: (mu: Tensor2D, kappa: Tensor1D | number) => VonMisesFisher | PowerSpherical;
  meanCosine: (kappa: number, dim: number) => number;
};
const FAMILIES: Family[] = [
  { name: 'VonMisesFisher', make: (mu, k) => new VonMisesFisher(mu, k), meanCosine: vmfMeanCosine },
  { name: 'PowerSpherical', make: (mu, k) => new PowerSpherical(mu, k), meanCosine: powerSphericalMeanCosine },
];

/** Draws per (κ, d): enough for a 4-standard-error test, ≤ 2M floats per tensor. */
const GRID: [kappa: number, dim: number, draws: number][] = [];
for (const [dim, draws] of [
  [3, 4000],
  [50, 4000],
  [1000, 1000],
] as const) {
  for (const kappa of [0.1, 1, 10, 80, 1000, 5000]) GRID.push([kappa, dim, draws]);
}

describe.each(FAMILIES)('$name sampling', ({ make, meanCosine }) => {
  it.each(GRID)('κ = %d, d = %d: mean of μ·z within 4 standard errors, unit norm to 1e-5, no NaN', (kappa, dim, draws) => {
    const batch = 4;
    const rng = Rng.fromSeed(kappa * 1000 + dim);
    tf.tidy(() => {
      const mu = randomUnitRows(batch, dim, rng);
      const q = make(mu, tf.fill([batch], kappa) as Tensor1D);
      const z = q.sampleN(draws / batch, rng);
      expect(z.shape).toEqual([draws / batch, batch, dim]);
      expect(allFinite(z)).toBe(true);
      const norms = tf.norm(z, 'euclidean', -1).dataSync();
      expect(Math.max(...norms.map((n) => Math.abs(n - 1)))).toBeLessThan(1e-5);
      const cosines = tf.sum(z.mul(mu), -1).dataSync();
      expectWithinStandardErrors(moments(cosines), meanCosine(kappa, dim), 4, 1e-6);
      for (const t of [q.logProb(z), q.klToPrior(), q.entropy(), q.mean()]) expect(allFinite(t)).toBe(true);
    });
  });

  it('sample() is [b, d], reproducible from the seed, and leaks no tensors', () => {
    const mu = randomUnitRows(3, 5, Rng.fromSeed(1));
    const q = make(mu, 7);
    const before = tf.memory().numTensors;
    const a = q.sample(Rng.fromSeed(42));
    const b = q.sample(Rng.fromSeed(42));
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(a.shape).toEqual([3, 5]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b, mu]);
  });

  it('a gradient step through sample, logProb and KL with learned κ leaks no tensors', () => {
    const mu = randomUnitRows(3, 6, Rng.fromSeed(5));
    const kappa = tf.tensor1d([1, 10, 100]);
    const loss = (m: Tensor, k: Tensor) => {
      const q = make(m as Tensor2D, k as Tensor1D);
      return q
        .logProb(q.sample(Rng.fromSeed(6)))
        .sum()
        .add(q.klToPrior().sum())
        .add(q.mean().sum());
    };
    const step = () => tf.grads(loss)([mu, kappa]);
    tf.dispose(step()); // warm-up: tfjs caches a few tensors on first use of some kernels
    const before = tf.memory().numTensors;
    tf.dispose(step());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([mu, kappa]);
  });

  it('mode() is μ and a fixed κ gives a constant KL', () => {
    tf.tidy(() => {
      const mu = randomUnitRows(2, 10, Rng.fromSeed(2));
      const q = make(mu, 25);
      expect(Array.from(q.mode().dataSync())).toEqual(Array.from(mu.dataSync()));
      const kl = q.klToPrior().dataSync();
      expect(kl[0]).toBe(kl[1]);
    });
  });

  it('entropy = log|S^{d-1}| − KL, and the KL is E_q[log q − log p] under the uniform prior (Monte Carlo)', () => {
    tf.tidy(() => {
      const dim = 8;
      const mu = randomUnitRows(2, dim, Rng.fromSeed(3));
      const q = make(mu, tf.tensor1d([2, 30]));
      const z = q.sampleN(5000, Rng.fromSeed(4));
      const logRatio = tf.sub(q.logProb(z), uniformSphere(dim).logProb(z));
      const kl = q.klToPrior().dataSync();
      const entropy = q.entropy().dataSync();
      for (let j = 0; j < 2; j++) {
        const column = logRatio.slice([0, j], [5000, 1]).dataSync();
        expectWithinStandardErrors(moments(column), kl[j] as number, 4, 1e-4);
        expect(entropy[j]).toBeCloseTo(logSphereArea(dim) - (kl[j] as number), 4);
      }
    });
  });
});

describe.each(FAMILIES)('$name at extreme κ and d', ({ make }) => {
  it.each([
    [1e-6, 2],
    [1e-6, 1000],
    [1e6, 2],
    [1e6, 3],
    [1e6, 1000],
    [0.5, 2],
  ])('κ = %d, d = %d: samples, densities, KL and all κ- and μ-gradients are finite', (kappa, dim) => {
    tf.tidy(() => {
      const mu = randomUnitRows(2, dim, Rng.fromSeed(dim));
      const k = tf.fill([2], kappa) as Tensor1D;
      const loss = (m: Tensor, kk: Tensor) => {
        const q = make(m as Tensor2D, kk as Tensor1D);
        const z = q.sampleN(4, Rng.fromSeed(1));
        return q.logProb(z).sum().add(q.klToPrior().sum()).add(q.mean().sum()).add(z.sum());
      };
      const [gMu, gKappa] = tf.grads(loss)([mu, k]) as [Tensor, Tensor];
      expect(allFinite(loss(mu, k))).toBe(true);
      expect(allFinite(gMu)).toBe(true);
      expect(allFinite(gKappa)).toBe(true);
    });
  });
});

const vectors = readTestVectors<SphericalVectors>('spherical.json');

describe.skipIf(!vectors)('tfjs KL and its gradient against shared/test-vectors/spherical.json (float32 output)', () => {
  it('VonMisesFisher.klToPrior, mean and d/dκ', () => {
    const cases = (vectors as SphericalVectors).vmf;
    for (const c of cases) {
      const mu = tf.oneHot([0], c.dim).toFloat() as Tensor2D;
      const kappa = tf.tensor1d([c.kappa]);
      const [kl, grad] = tf.tidy(() => {
        const f = (k: Tensor) => new VonMisesFisher(mu, k as Tensor1D).klToPrior().sum();
        return [f(kappa).dataSync()[0] as number, tf.grad(f)(kappa).dataSync()[0] as number];
      });
      expect(relativeError(kl, c.kl_to_uniform)).toBeLessThan(1e-6);
      expect(relativeError(grad, c.dkl_dkappa)).toBeLessThan(1e-6);
      const mean = tf.tidy(() => new VonMisesFisher(mu, kappa).mean().dataSync()[0] as number);
      expect(relativeError(mean, c.mean_cosine)).toBeLessThan(1e-6);
      tf.dispose([mu, kappa]);
    }
  });

  it('PowerSpherical.klToPrior and mean', () => {
    for (const c of (vectors as SphericalVectors).power_spherical) {
      const [kl, mean] = tf.tidy(() => {
        const q = new PowerSpherical(tf.oneHot([0], c.dim).toFloat() as Tensor2D, c.kappa);
        return [q.klToPrior().dataSync()[0] as number, q.mean().dataSync()[0] as number];
      });
      expect(relativeError(kl, c.kl_to_uniform)).toBeLessThan(1e-6);
      expect(relativeError(mean, c.mean_cosine)).toBeLessThan(1e-6);
    }
  });
});

describe('gradients', () => {
  const dim = 6;
  const kappas = [0.7, 12, 150];

  it('VonMisesFisher: logProb, mean and entropy in κ match the float64 closed forms', () => {
    tf.tidy(() => {
      const mu = randomUnitRows(3, dim, Rng.fromSeed(7));
      const z = randomUnitRows(3, dim, Rng.fromSeed(8));
      const cos = tf.sum(z.mul(mu), -1).dataSync();
      const kappa = tf.tensor1d(kappas);
      const g = tf
        .grad((k: Tensor) => new VonMisesFisher(mu, k as Tensor1D).logProb(z).sum())(kappa)
        .dataSync();
      const gMean = tf
        .grad((k: Tensor) => new VonMisesFisher(mu, k as Tensor1D).mean().mul(mu).sum())(kappa)
        .dataSync();
      const gEntropy = tf
        .grad((k: Tensor) => new VonMisesFisher(mu, k as Tensor1D).entropy().sum())(kappa)
        .dataSync();
      kappas.forEach((k, i) => {
        const h = 1e-5 * k;
        const logC = (x: number) => vmfLogNormalizer(x, dim);
        expect(g[i]).toBeCloseTo((logC(k + h) - logC(k - h)) / (2 * h) + (cos[i] as number), 4);
        expect(relativeError(gMean[i] as number, vmfMeanCosineDerivative(k, dim))).toBeLessThan(1e-5);
        const kl = (x: number) => vmfKlToUniform(x, dim);
        expect(gEntropy[i]).toBeCloseTo(-(kl(k + h) - kl(k - h)) / (2 * h), 4);
      });
    });
  });

  it('PowerSpherical: logProb and KL in κ match the float64 closed forms', () => {
    tf.tidy(() => {
      const mu = randomUnitRows(3, dim, Rng.fromSeed(9));
      const z = randomUnitRows(3, dim, Rng.fromSeed(10));
      const cos = tf.sum(z.mul(mu), -1).dataSync();
      const kappa = tf.tensor1d(kappas);
      const g = tf
        .grad((k: Tensor) => new PowerSpherical(mu, k as Tensor1D).logProb(z).sum())(kappa)
        .dataSync();
      const gKl = tf
        .grad((k: Tensor) => new PowerSpherical(mu, k as Tensor1D).klToPrior().sum())(kappa)
        .dataSync();
      kappas.forEach((k, i) => {
        const h = 1e-5 * k;
        const logN = (x: number) => powerSphericalLogNormalizer(x, dim);
        expect(g[i]).toBeCloseTo((logN(k + h) - logN(k - h)) / (2 * h) + Math.log1p(cos[i] as number), 4);
        expect(relativeError(gKl[i] as number, powerSphericalKlDerivative(k, dim))).toBeLessThan(1e-5);
        const kl = (x: number) => powerSphericalKlToUniform(x, dim);
        expect(relativeError(gKl[i] as number, (kl(k + h) - kl(k - h)) / (2 * h))).toBeLessThan(1e-4);
      });
    });
  });

  it('VonMisesFisher samples: d(μ·z)/dκ is the sampler’s ∂w/∂κ, summed over draws', () => {
    tf.tidy(() => {
      const mu = randomUnitRows(3, 50, Rng.fromSeed(11));
      const kappa = tf.tensor1d(kappas);
      const n = 8;
      const f = (k: Tensor) => new VonMisesFisher(mu, k as Tensor1D).sampleN(n, Rng.fromSeed(12)).mul(mu).sum();
      const g = tf.grad(f)(kappa).dataSync();
      const tiled = new Float64Array(n * 3).map((_, i) => kappas[i % 3] as number);
      const dCos = sampleVmfCosine(tiled, 50, Rng.fromSeed(12)).cosDerivative();
      kappas.forEach((_, j) => {
        let expected = 0;
        for (let i = 0; i < n; i++) expected += dCos[i * 3 + j] as number;
        expect(relativeError(g[j] as number, expected)).toBeLessThan(1e-4);
      });
    });
  });

  it.each(FAMILIES)('$name samples: the μ-gradient through the Householder reflection matches finite differences', ({ make }) => {
    // A fixed seed makes z a deterministic function of μ; compare its directional derivative along a tangent t.
    tf.tidy(() => {
      const d = 5;
      const mu = randomUnitRows(2, d, Rng.fromSeed(13));
      const raw = tf.randomNormal([2, d], 0, 1, 'float32', 14);
      const tangent = raw.sub(mu.mul(tf.sum(raw.mul(mu), -1, true)));
      const c = tf.randomNormal([3, 2, d], 0, 1, 'float32', 15);
      const loss = (m: Tensor) =>
        make(m as Tensor2D, 20)
          .sampleN(3, Rng.fromSeed(16))
          .mul(c)
          .sum();
      const directional = tf.sum(tf.grad(loss)(mu).mul(tangent)).dataSync()[0] as number;
      const h = 1e-2;
      const at = (s: number) => {
        const m = mu.add(tangent.mul(s));
        return loss(m.div(tf.norm(m, 'euclidean', -1, true))).dataSync()[0] as number;
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs(directional - fd)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
    });
  });
});

describe.each(FAMILIES)('$name density', ({ make }) => {
  it.each([
    [2, 5],
    [6, 2],
  ])('integrates to one over S^{d-1} (κ = %d, d = %d): E_uniform[q(z)] |S^{d-1}| = 1', (kappa, dim) => {
    tf.tidy(() => {
      const n = 40_000;
      const mu = randomUnitRows(1, dim, Rng.fromSeed(17));
      const z = uniformSphere(dim).sample(n, Rng.fromSeed(18)).expandDims(1) as Tensor3D;
      const ratio = make(mu, kappa).logProb(z).add(logSphereArea(dim)).exp().dataSync();
      expectWithinStandardErrors(moments(ratio), 1, 4, 0);
    });
  });
});

describe.each(FAMILIES)('$name argument errors', ({ make }) => {
  const mu = () => randomUnitRows(2, 4, Rng.fromSeed(1));
  it('rejects κ ≤ 0, non-finite κ and a κ tensor of the wrong shape', () => {
    tf.tidy(() => {
      expect(() => make(mu(), 0)).toThrow(LatentkitError);
      expect(() => make(mu(), -1)).toThrow(/argument "kappa" must be a positive finite number/);
      expect(() => make(mu(), Number.NaN)).toThrow(/kappa/);
      expect(() => make(mu(), tf.tensor1d([1, 0]))).toThrow(/argument "kappa\[1\]" must be a positive finite number, got 0/);
      expect(() => make(mu(), tf.tensor1d([1, 2, 3]))).toThrow(/kappa.*shape \[2\]/);
      expect(() => make(mu(), tf.tensor2d([[1], [2]]) as unknown as Tensor1D)).toThrow(/kappa/);
    });
  });
  it('rejects non-unit μ, NaN μ, d < 2 and non-matrix μ', () => {
    tf.tidy(() => {
      expect(() => make(mu().mul(2), 1)).toThrow(/argument "mu" must be unit vectors.*row 0 with norm 2/);
      expect(() => make(tf.tensor2d([[Number.NaN, 0]]), 1)).toThrow(/mu/);
      expect(() => make(tf.tensor2d([[1], [1]]), 1)).toThrow(/mu.*dim ≥ 2/);
      expect(() => make(tf.tensor1d([1, 0]) as unknown as Tensor2D, 1)).toThrow(/mu.*2-D/);
    });
  });
  it('rejects z of the wrong shape and a bad sample count', () => {
    tf.tidy(() => {
      const q = make(mu(), 3);
      expect(() => q.logProb(tf.zeros([2, 5]) as Tensor2D)).toThrow(/argument "z" must be a tensor of shape \[2, 4\]/);
      expect(() => q.logProb(tf.zeros([3, 4]) as Tensor2D)).toThrow(LatentkitError);
      expect(() => q.sampleN(0, Rng.fromSeed(1))).toThrow(/argument "n" must be a positive integer/);
    });
  });
});
