import { Rng, initEngine, tf } from '@latentkit/core';
import { DiagonalGaussian } from '@latentkit/distributions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GaussianBottleneck, createBottleneck, hasDensity, klWeight, runInference } from '../src/index.js';
import { expectClose, gradsOf, randomMatrix } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

// Features of width 3, a 2-d latent, and head weights chosen by hand.
const H = [
  [1, 0, -1],
  [0.5, 2, 0],
  [-1, 1, 1],
];
const WM = [
  [0.5, -0.2],
  [0.1, 0.4],
  [-0.3, 0.2],
];
const BM = [0.1, -0.1];
const WV = [
  [0.2, 0.1],
  [-0.1, 0.3],
  [0.05, -0.2],
];
const BV = [-0.5, 0.3];

function affine(h: number[], w: number[][], b: number[]): number[] {
  return b.map((bj, j) => h.reduce((acc, hi, i) => acc + hi * w[i]![j]!, bj));
}

/** KL(N(μ, e^{lv}) ‖ N(0, 1)) per dimension, in float64 from the closed form. */
function klByHand(h: number[]): number[] {
  const mu = affine(h, WM, BM);
  const lv = affine(h, WV, BV);
  return mu.map((m, j) => 0.5 * (Math.exp(lv[j]!) + m * m - 1 - lv[j]!));
}

function gaussian(extra: Record<string, unknown> = {}): GaussianBottleneck {
  const b = createBottleneck({ kind: 'gaussian', inputDim: 3, latentDim: 2, ...extra }) as GaussianBottleneck;
  const v = b.trainableVariables;
  v['bottleneck/mean/kernel']!.assign(tf.tensor2d(WM));
  v['bottleneck/mean/bias']!.assign(tf.tensor1d(BM));
  v['bottleneck/log_var/kernel']!.assign(tf.tensor2d(WV));
  v['bottleneck/log_var/bias']!.assign(tf.tensor1d(BV));
  return b;
}

describe('gaussian: KL', () => {
  it('equals the closed form by hand and the distributions package’s KL', () => {
    const b = gaussian();
    const h = tf.tensor2d(H);
    const out = b.apply(h, { mode: 'infer' });
    expectClose(
      out.terms.kl!,
      H.map((r) => klByHand(r).reduce((a, v) => a + v, 0)),
      1e-6,
    );
    const q = new DiagonalGaussian(tf.tensor2d(H.map((r) => affine(r, WM, BM))), tf.tensor2d(H.map((r) => affine(r, WV, BV))));
    expectClose(out.terms.kl!, q.klToPrior(), 1e-6);
    expect(hasDensity(b)).toBe(true);
    expectClose(b.posterior(h).klToPrior(), q.klToPrior(), 1e-6);
    expect(b.prior().dim).toBe(2);
  });

  it('weights the batch-mean KL by β times the schedule at the step', () => {
    const schedule = { kind: 'linear', warmupSteps: 100, start: 0 } as const;
    const b = gaussian({ beta: 2, klSchedule: schedule });
    const meanKl = H.reduce((acc, r) => acc + klByHand(r).reduce((a, v) => a + v, 0), 0) / H.length;
    for (const step of [0, 25, 100, 1000]) {
      const out = b.apply(tf.tensor2d(H), { mode: 'infer', step });
      expectClose(out.regularizer, [2 * klWeight(schedule, step) * meanKl], 1e-6);
    }
    expect(klWeight(schedule, 25)).toBe(0.25);
    // The context's klWeight replaces the schedule: the hook for schedules a config cannot express.
    expectClose(b.apply(tf.tensor2d(H), { mode: 'infer', step: 0, klWeight: 0.7 }).regularizer, [2 * 0.7 * meanKl], 1e-6);
    expect(() => b.apply(tf.tensor2d(H), { mode: 'infer', klWeight: -1 })).toThrow(/argument "ctx.klWeight" must be a finite number ≥ 0/);
  });

  it('free bits: Σ_j max(λ, batch-mean KL_j), and no gradient from a dimension under λ', () => {
    const perDim = [0, 1].map((j) => H.reduce((acc, r) => acc + klByHand(r)[j]!, 0) / H.length);
    // λ between the two dimensions' KLs, so one is held at λ and the other is not.
    const lambda = (perDim[0]! + perDim[1]!) / 2;
    const [low, high] = perDim[0]! < perDim[1]! ? [0, 1] : [1, 0];
    const b = gaussian({ freeBits: lambda });
    const h = tf.tensor2d(H);
    expectClose(b.apply(h, { mode: 'infer' }).regularizer, [lambda + perDim[high]!], 1e-6);
    const grads = gradsOf(() => b.apply(h, { mode: 'infer' }).regularizer, {
      meanBias: b.trainableVariables['bottleneck/mean/bias']!,
      logVarBias: b.trainableVariables['bottleneck/log_var/bias']!,
    });
    // ∂KL/∂μ = μ and ∂KL/∂lv = ½(e^{lv} − 1), averaged over the batch, for the dimension above λ only.
    const meanGrad = [0, 0];
    const logVarGrad = [0, 0];
    meanGrad[high] = H.reduce((acc, r) => acc + affine(r, WM, BM)[high]!, 0) / H.length;
    logVarGrad[high] = H.reduce((acc, r) => acc + 0.5 * (Math.exp(affine(r, WV, BV)[high]!) - 1), 0) / H.length;
    expectClose(grads.meanBias!, meanGrad, 1e-6);
    expectClose(grads.logVarBias!, logVarGrad, 1e-6);
    expect(grads.meanBias![low]).toBe(0);
  });
});

describe('gaussian: sampling and gradients', () => {
  it('trains on a reparameterised sample: sample mean and variance match q within 4 standard errors', () => {
    const b = gaussian();
    const n = 4000;
    const row = H[1]!;
    const code = b.apply(tf.tensor2d(Array.from({ length: n }, () => row)), { mode: 'train', rng: Rng.fromSeed(11) }).code.arraySync();
    const mu = affine(row, WM, BM);
    const variance = affine(row, WV, BV).map(Math.exp);
    for (const j of [0, 1]) {
      const xs = code.map((c) => c[j]!);
      const m = xs.reduce((a, v) => a + v, 0) / n;
      const v = xs.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1);
      expect(Math.abs(m - mu[j]!)).toBeLessThan(4 * Math.sqrt(variance[j]! / n));
      expect(Math.abs(v - variance[j]!)).toBeLessThan(4 * variance[j]! * Math.sqrt(2 / (n - 1)));
    }
  });

  it('the decoder gradient reaches both heads through z = μ + σε: Σ g to the mean bias, Σ g·ε·σ/2 to the log-variance bias', () => {
    const b = gaussian();
    const h = tf.tensor2d(H);
    const g = randomMatrix(Rng.fromSeed(12), 3, 2);
    const code = b.apply(h, { mode: 'train', rng: Rng.fromSeed(13) }).code.arraySync();
    const grads = gradsOf(() => tf.sum(tf.mul(b.apply(h, { mode: 'train', rng: Rng.fromSeed(13) }).code, tf.tensor2d(g))), {
      meanBias: b.trainableVariables['bottleneck/mean/bias']!,
      logVarBias: b.trainableVariables['bottleneck/log_var/bias']!,
    });
    expectClose(
      grads.meanBias!,
      [0, 1].map((j) => g.reduce((a, r) => a + r[j]!, 0)),
      1e-5,
    );
    // σε = z − μ, so ∂z/∂lv = (z − μ)/2.
    const expected = [0, 1].map((j) => H.reduce((acc, r, i) => acc + (g[i]![j]! * (code[i]![j]! - affine(r, WM, BM)[j]!)) / 2, 0));
    expectClose(grads.logVarBias!, expected, 1e-5);
  });
});

describe('gaussian: inference and stats', () => {
  it('inference returns the mean, deterministically, without an rng, and equals its inference spec', () => {
    const b = gaussian();
    const h = tf.tensor2d(H);
    const code = b.apply(h, { mode: 'infer' }).code;
    expectClose(
      code,
      H.map((r) => affine(r, WM, BM)),
      1e-6,
    );
    expect(b.apply(h, { mode: 'infer' }).code.arraySync()).toEqual(code.arraySync());
    expect(runInference(b.inference(), h).arraySync()).toEqual(code.arraySync());
    expect(() => b.apply(h, { mode: 'train' })).toThrow(/argument "ctx.rng"/);
  });

  it('reports KL per dimension and active units', () => {
    const b = gaussian();
    const stats = b.stats(tf.tensor2d(H));
    const perDim = [0, 1].map((j) => H.reduce((acc, r) => acc + klByHand(r)[j]!, 0) / H.length);
    expectClose(stats.klPerDimension as number[], perDim, 1e-6);
    expect(stats.kl as number).toBeCloseTo(perDim[0]! + perDim[1]!, 5);
    // Var over the batch of each mean coordinate, by hand; both are far above 0.01.
    const means = H.map((r) => affine(r, WM, BM));
    const variances = [0, 1].map((j) => {
      const m = means.reduce((a, r) => a + r[j]!, 0) / 3;
      return means.reduce((a, r) => a + (r[j]! - m) ** 2, 0) / 2;
    });
    expectClose(stats.meanVariancePerDimension as number[], variances, 1e-6);
    expect(stats.activeUnits).toBe(2);
    // A collapsed posterior (mean head zeroed) has no active unit.
    b.trainableVariables['bottleneck/mean/kernel']!.assign(tf.zeros([3, 2]));
    expect(b.stats(tf.tensor2d(H)).activeUnits).toBe(0);
  });
});
