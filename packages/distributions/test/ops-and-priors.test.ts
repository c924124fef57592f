import { LatentkitError, Rng, type Tensor, type Tensor2D, type Tensor3D, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { besselIvRatio, digamma, lgamma, logBesselIv, standardNormal, uniformSphere } from '../src/index.js';
import { besselIRatio as ratio64, logBesselI as logBesselI64 } from '../src/special/bessel.js';
import { digamma as digamma64, logGamma as logGamma64 } from '../src/special/gamma.js';
import { logSphereArea } from '../src/special/sphere.js';
import { relativeError } from './vectors.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

/** Central difference of a float64 function, an independent check on the ops' analytic derivatives. */
function centralDifference(f: (x: number) => number, x: number): number {
  const h = 1e-5 * Math.max(1, Math.abs(x));
  return (f(x + h) - f(x - h)) / (2 * h);
}

describe('special-function ops', () => {
  const xs = [0.05, 1, 7.5, 80, 3000];
  const cases: [string, (x: Tensor) => Tensor, (x: number) => number][] = [
    ['logBesselIv(0, x)', (x) => logBesselIv(0, x), (x) => logBesselI64(0, x)],
    ['logBesselIv(24, x)', (x) => logBesselIv(24, x), (x) => logBesselI64(24, x)],
    ['besselIvRatio(1.5, x)', (x) => besselIvRatio(1.5, x), (x) => ratio64(1.5, x)],
    ['besselIvRatio(499, x)', (x) => besselIvRatio(499, x), (x) => ratio64(499, x)],
    ['lgamma(x)', lgamma, logGamma64],
    ['digamma(x)', digamma, digamma64],
  ];
  it.each(cases)('%s: values in float32 and gradients against finite differences', (_name, op, f64) => {
    tf.tidy(() => {
      const x = tf.tensor1d(xs);
      const values = op(x).dataSync();
      const grads = tf
        .grad((t: Tensor) =>
          op(t)
            .mul(tf.tensor1d([1, 2, 3, 4, 5]))
            .sum(),
        )(x)
        .dataSync();
      xs.forEach((xi, i) => {
        const expected = f64(Math.fround(xi));
        expect(Math.abs((values[i] as number) - expected)).toBeLessThanOrEqual(1e-6 * Math.abs(expected) + 1e-7);
        expect(relativeError((grads[i] as number) / (i + 1), centralDifference(f64, Math.fround(xi)))).toBeLessThan(1e-4);
      });
    });
  });

  it('keep the shape of their input and reject out-of-domain values with the index', () => {
    tf.tidy(() => {
      expect(logBesselIv(2, tf.ones([2, 3])).shape).toEqual([2, 3]);
      expect(() => logBesselIv(2, tf.tensor1d([1, -1]))).toThrow(/argument "x\[1\]" must be a finite number ≥ 0, got -1/);
      expect(() => logBesselIv(-1, tf.tensor1d([1]))).toThrow(LatentkitError);
      expect(() => lgamma(tf.tensor1d([0]))).toThrow(/argument "x\[0\]" must be a positive finite number/);
      expect(() => digamma(tf.tensor1d([Number.NaN]))).toThrow(LatentkitError);
    });
  });
});

describe('priors', () => {
  it('standardNormal: log-density and samples', () => {
    tf.tidy(() => {
      const p = standardNormal(2);
      expect(p.logProb(tf.tensor2d([[1, 0]])).dataSync()[0]).toBeCloseTo(-0.5 - Math.log(2 * Math.PI), 5);
      expect(p.logProb(tf.zeros([4, 3, 2]) as Tensor3D).shape).toEqual([4, 3]);
      expect(p.sample(5, Rng.fromSeed(1)).shape).toEqual([5, 2]);
    });
  });

  it('uniformSphere: constant density 1/|S^{d-1}| (1/4π on S²) and unit-norm samples', () => {
    tf.tidy(() => {
      const p = uniformSphere(3);
      expect(p.logProb(tf.tensor2d([[1, 0, 0]])).dataSync()[0]).toBeCloseTo(-Math.log(4 * Math.PI), 6);
      expect(logSphereArea(2)).toBeCloseTo(Math.log(2 * Math.PI), 12);
      const z = p.sample(1000, Rng.fromSeed(2));
      const norms = tf.norm(z, 'euclidean', -1).dataSync();
      expect(Math.max(...norms.map((n) => Math.abs(n - 1)))).toBeLessThan(1e-5);
      // The mean of uniform directions is 0: each coordinate has variance 1/d.
      const mean = tf.mean(z, 0).dataSync();
      for (const m of mean) expect(Math.abs(m)).toBeLessThan(4 * Math.sqrt(1 / 3 / 1000));
      expect(() => p.logProb(tf.zeros([2, 4]) as Tensor2D)).toThrow(/argument "z"/);
    });
  });
});
