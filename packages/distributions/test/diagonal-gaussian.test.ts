import { LatentkitError, Rng, type Tensor, type Tensor2D, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DiagonalGaussian, standardNormal } from '../src/index.js';
import { allFinite, expectWithinStandardErrors, moments } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const MEAN = [
  [0.5, -1, 2],
  [0, 0, 0],
];
const LOG_VAR = [
  [0, -2, 1],
  [0.3, 0.3, -0.5],
];

/** ½ Σ (σ² + m² − 1 − log σ²), by hand in float64. */
function analyticKl(row: number): number {
  let kl = 0;
  MEAN[row]?.forEach((m, i) => {
    const lv = LOG_VAR[row]?.[i] as number;
    kl += 0.5 * (Math.exp(lv) + m * m - 1 - lv);
  });
  return kl;
}

describe('DiagonalGaussian', () => {
  it('KL to N(0, I) matches a hand computation and its Monte-Carlo estimate', () => {
    tf.tidy(() => {
      const q = new DiagonalGaussian(tf.tensor2d(MEAN), tf.tensor2d(LOG_VAR));
      const kl = q.klToPrior().dataSync();
      expect(kl[0]).toBeCloseTo(analyticKl(0), 5);
      expect(kl[1]).toBeCloseTo(analyticKl(1), 5);
      const n = 20_000;
      const z = q.sampleN(n, Rng.fromSeed(1));
      const logRatio = q.logProb(z).sub(standardNormal(3).logProb(z));
      for (let j = 0; j < 2; j++) {
        expectWithinStandardErrors(moments(logRatio.slice([0, j], [n, 1]).dataSync()), kl[j] as number, 4, 0);
      }
    });
  });

  it('samples have the requested mean and variance', () => {
    tf.tidy(() => {
      const q = new DiagonalGaussian(tf.tensor2d(MEAN), tf.tensor2d(LOG_VAR));
      const n = 20_000;
      const z = q.sampleN(n, Rng.fromSeed(2));
      const first = z.slice([0, 0, 0], [n, 1, 1]).dataSync();
      const m = moments(first);
      expectWithinStandardErrors(m, 0.5, 4, 0);
      expect(Math.abs(m.meanSquare - m.mean ** 2 - 1)).toBeLessThan(0.05);
      expect(allFinite(z)).toBe(true);
    });
  });

  it('log-density and entropy match the closed forms', () => {
    tf.tidy(() => {
      const q = new DiagonalGaussian(tf.tensor2d([[1, 2]]), tf.tensor2d([[Math.log(4), 0]]));
      const lp = q.logProb(tf.tensor2d([[3, 2]])).dataSync()[0] as number;
      // N(3; 1, 4) · N(2; 2, 1)
      expect(lp).toBeCloseTo(-0.5 * Math.log(2 * Math.PI * 4) - 0.5 - 0.5 * Math.log(2 * Math.PI), 5);
      const h = q.entropy().dataSync()[0] as number;
      expect(h).toBeCloseTo(0.5 * Math.log(2 * Math.PI * Math.E * 4) + 0.5 * Math.log(2 * Math.PI * Math.E), 5);
      expect(Array.from(q.mode().dataSync())).toEqual([1, 2]);
    });
  });

  it('gradients of the KL and of samples are the analytic ones', () => {
    tf.tidy(() => {
      const mean = tf.tensor2d(MEAN);
      const logVar = tf.tensor2d(LOG_VAR);
      const [gMean, gLogVar] = tf.grads((m: Tensor, lv: Tensor) => new DiagonalGaussian(m as Tensor2D, lv as Tensor2D).klToPrior().sum())([mean, logVar]) as [
        Tensor,
        Tensor,
      ];
      expect(gMean.dataSync()).toEqual(mean.dataSync()); // ∂KL/∂m = m
      const expected = logVar.exp().sub(1).mul(0.5).dataSync(); // ∂KL/∂logσ² = (σ² − 1)/2
      gLogVar.dataSync().forEach((g, i) => {
        expect(g).toBeCloseTo(expected[i] as number, 6);
      });
      // z = m + exp(lv/2) ε: ∂Σz/∂m = 1
      const gSample = tf.grad((m: Tensor) => new DiagonalGaussian(m as Tensor2D, logVar).sample(Rng.fromSeed(3)).sum())(mean);
      expect(Array.from(gSample.dataSync())).toEqual(new Array(6).fill(1));
    });
  });

  it('rejects bad shapes and dtypes', () => {
    tf.tidy(() => {
      const m = tf.zeros([2, 3]) as Tensor2D;
      expect(() => new DiagonalGaussian(tf.zeros([3]) as unknown as Tensor2D, m)).toThrow(/argument "mean" must be a 2-D tensor/);
      expect(() => new DiagonalGaussian(m, tf.zeros([2, 4]) as Tensor2D)).toThrow(/argument "logVar" must be the shape of mean \[2,3\]/);
      expect(() => new DiagonalGaussian(m, tf.zeros([2, 3], 'int32') as Tensor2D)).toThrow(/float32/);
      const q = new DiagonalGaussian(m, m);
      expect(() => q.logProb(tf.zeros([2, 2]) as Tensor2D)).toThrow(LatentkitError);
      expect(() => q.sampleN(1.5, Rng.fromSeed(1))).toThrow(/argument "n"/);
      expect(() => standardNormal(0)).toThrow(/argument "dim"/);
    });
  });
});
