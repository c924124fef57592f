import fs from 'node:fs';
import path from 'node:path';
import { Rng, initEngine, tf } from '@latentkit/core';
import { PowerSpherical, VonMisesFisher } from '@latentkit/distributions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SphericalBottleneck, createBottleneck, hasDensity, runInference } from '../src/index.js';
import { expectClose, gradsOf, randomMatrix } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

interface SphericalVector {
  kappa: number;
  dim: number;
  kl_to_uniform: number;
  mean_cosine: number;
  dkl_dkappa?: number;
}

/** mpmath reference values in `shared/test-vectors` beside the repository (see its README); the tests skip without them. */
const VECTORS_FILE = path.resolve(import.meta.dirname, '../../../../shared/test-vectors/spherical.json');
const VECTORS: { vmf: SphericalVector[]; power_spherical: SphericalVector[] } | undefined = fs.existsSync(VECTORS_FILE)
  ? JSON.parse(fs.readFileSync(VECTORS_FILE, 'utf8'))
  : undefined;
if (!VECTORS) console.log(`skipping the mpmath comparisons: ${VECTORS_FILE} is absent`);

const KINDS = [
  ['vmf', 'vmf'],
  ['powerSpherical', 'power_spherical'],
] as const;

function softplusInverse(y: number): number {
  return Math.log(Math.expm1(y));
}

function withKappa(kind: 'vmf' | 'powerSpherical', dim: number, kappa: number | 'learned', inputDim = 3): SphericalBottleneck {
  return createBottleneck({ kind, inputDim, latentDim: dim, kappa }, { rng: Rng.fromSeed(21) }) as SphericalBottleneck;
}

describe.each(KINDS)('%s bottleneck', (kind, vectorKey) => {
  it.skipIf(!VECTORS)('KL equals the mpmath reference, with κ fixed and with κ learned through softplus(·) + 1', () => {
    for (const v of VECTORS![vectorKey].filter((r) => r.dim <= 50 && r.kappa > 1)) {
      const h = tf.tensor2d(randomMatrix(Rng.fromSeed(v.dim), 4, 3));
      const fixed = withKappa(kind, v.dim, v.kappa);
      expectClose(
        fixed.apply(h, { mode: 'infer' }).terms.kl!,
        [1, 2, 3, 4].map(() => v.kl_to_uniform),
        0,
        1e-4,
      );
      const learned = withKappa(kind, v.dim, 'learned');
      learned.trainableVariables['bottleneck/kappa/kernel']!.assign(tf.zeros([3, 1]));
      learned.trainableVariables['bottleneck/kappa/bias']!.assign(tf.tensor1d([softplusInverse(v.kappa - 1)]));
      expectClose(
        learned.apply(h, { mode: 'infer' }).terms.kl!,
        [1, 2, 3, 4].map(() => v.kl_to_uniform),
        0,
        1e-4,
      );
      fixed.dispose();
      learned.dispose();
    }
  });

  it('KL equals the distributions package’s for per-example κ, and its gradient reaches the κ head', () => {
    const b = withKappa(kind, 5, 'learned');
    const h = tf.tensor2d(randomMatrix(Rng.fromSeed(22), 6, 3, 2));
    const out = b.apply(h, { mode: 'infer' });
    const q = b.posterior(h);
    const Distribution = kind === 'vmf' ? VonMisesFisher : PowerSpherical;
    expectClose(out.terms.kl!, new Distribution(q.mu, q.kappa).klToPrior(), 1e-6);
    expect(hasDensity(b)).toBe(true);
    expect(b.prior().support).toBe('sphere');
    const kappa = Array.from((q.kappa as tf.Tensor1D).dataSync());
    expect(kappa.every((k) => k >= 1)).toBe(true);
    const grads = gradsOf(() => tf.mean(b.apply(h, { mode: 'infer' }).terms.kl!), { bias: b.trainableVariables['bottleneck/kappa/bias']! });
    expect(grads.bias![0]).toBeGreaterThan(0); // more concentration, more KL
  });

  it('inference returns the unit mean direction, deterministically, and equals its inference spec', () => {
    const b = withKappa(kind, 4, 'learned');
    const h = tf.tensor2d(randomMatrix(Rng.fromSeed(23), 5, 3));
    const code = b.apply(h, { mode: 'infer' }).code;
    const kernel = b.trainableVariables['bottleneck/mean/kernel']!.arraySync() as number[][];
    const byHand = (h.arraySync() as number[][]).map((r) => {
      const v = [0, 1, 2, 3].map((j) => r.reduce((acc, x, i) => acc + x * kernel[i]![j]!, 0));
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    });
    expectClose(code, byHand, 1e-6);
    expect(b.apply(h, { mode: 'infer' }).code.arraySync()).toEqual(code.arraySync());
    expectClose(runInference(b.inference(), h), code, 1e-6);
    expect(b.inference().steps.map((s) => s.op)).toEqual(['linear', 'l2Normalize']);
  });

  it('trains on samples on the unit sphere', () => {
    const b = withKappa(kind, 5, 'learned');
    const out = b.apply(tf.tensor2d(randomMatrix(Rng.fromSeed(26), 200, 3)), { mode: 'train', rng: Rng.fromSeed(24) });
    const norms = Array.from(tf.norm(out.code, 2, 1).dataSync());
    expect(norms.every((x) => Math.abs(x - 1) < 1e-4)).toBe(true);
    expect(out.code.arraySync()).not.toEqual(out.latent.arraySync());
  });

  it.skipIf(!VECTORS)('samples have the reference mean cosine with μ (within 4 standard errors)', () => {
    const v = VECTORS![vectorKey].find((r) => r.dim === 50 && r.kappa === 80)!;
    const b = withKappa(kind, 50, 80);
    const n = 2000;
    const out = b.apply(tf.tensor2d(Array.from({ length: n }, () => [0.3, -1, 0.5])), { mode: 'train', rng: Rng.fromSeed(24) });
    const cos = Array.from(tf.sum(tf.mul(out.code, out.latent), 1).dataSync());
    const mean = cos.reduce((a, x) => a + x, 0) / n;
    const sd = Math.sqrt(cos.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean - v.mean_cosine)).toBeLessThan((4 * sd) / Math.sqrt(n));
  });

  it('reports κ and active units', () => {
    const b = withKappa(kind, 3, 7);
    const stats = b.stats(tf.tensor2d(randomMatrix(Rng.fromSeed(25), 8, 3)));
    expect([stats.kappaMean, stats.kappaMin, stats.kappaMax]).toEqual([7, 7, 7]);
    expect(stats.activeUnits).toBeGreaterThan(0);
    expect(() => b.apply(tf.zeros([2, 3]) as tf.Tensor2D, { mode: 'train' })).toThrow(/argument "ctx.rng"/);
  });
});
