import { Rng, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SoftVqBottleneck, type VqBottleneck, createBottleneck, runInference } from '../src/index.js';
import { PLANE_CODEBOOK, PLANE_FEATURES, expectClose, expectZeroGradient, gradsOf, randomMatrix } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const E = PLANE_CODEBOOK;
const H = PLANE_FEATURES;
const G = [
  [0.3, -1.2],
  [2.0, 0.5],
  [-0.7, 0.1],
  [1.1, -0.4],
];

function softVq(extra: Record<string, unknown> = {}): SoftVqBottleneck {
  const b = createBottleneck({ kind: 'softVq', inputDim: 2, codebookSize: 3, ...extra }) as SoftVqBottleneck;
  b.codebook.assign(tf.tensor2d(E));
  return b;
}

/** The posterior weights and mean, in float64, straight from the definition. */
function posterior(z: number[], sigmas: number[], scaleFactor: boolean): { p: number[]; zHat: number[] } {
  const logits = E.map((e, k) => {
    const d = (z[0]! - e[0]!) ** 2 + (z[1]! - e[1]!) ** 2;
    const s = sigmas[k]!;
    return -d / (2 * s * s) + (scaleFactor ? Math.log(s) : 0);
  });
  const max = Math.max(...logits);
  const w = logits.map((l) => Math.exp(l - max));
  const total = w.reduce((a, v) => a + v, 0);
  const p = w.map((v) => v / total);
  return { p, zHat: [0, 1].map((j) => p.reduce((acc, pk, k) => acc + pk * E[k]![j]!, 0)) };
}

describe('soft VQ: limits', () => {
  it('σ → 0 gives the hard VQ output, at inference and (with its tiny noise) in training', () => {
    const hard = createBottleneck({ kind: 'vq', inputDim: 2, codebookSize: 3 }) as VqBottleneck;
    hard.codebook.assign(tf.tensor2d(E));
    const h = tf.tensor2d(H);
    const expected = hard.apply(h, { mode: 'infer' }).code;
    const b = softVq({ sigma: 1e-3 });
    expectClose(b.apply(h, { mode: 'infer' }).code, expected, 1e-6);
    expectClose(b.apply(h, { mode: 'train', rng: Rng.fromSeed(1) }).code, expected, 1e-6);
    expectClose(softVq({ sigma: 1e-3, straightThrough: true }).apply(h, { mode: 'train', rng: Rng.fromSeed(1) }).code, expected, 1e-6);
  });

  it('σ → ∞ gives the codebook mean for every input, at inference and in training', () => {
    const mean = [1 / 3, 2 / 3];
    expectClose(
      softVq({ sigma: 1e4 }).apply(tf.tensor2d(H), { mode: 'infer' }).code,
      H.map(() => mean),
      1e-6,
    );
    // In training the noise grows with σ too, but the logits differ by about (z̃·e_k)/σ² ~ |e|/σ: 1e-6 at σ = 1e6.
    const noisy = softVq({ sigma: 1e6 }).apply(tf.tensor2d(H), { mode: 'train', rng: Rng.fromSeed(1) }).code;
    expectClose(
      noisy,
      H.map(() => mean),
      1e-4,
    );
  });

  it('in between, the code is the posterior mean of the codewords computed by hand', () => {
    const sigma = 0.7;
    const out = softVq({ sigma }).apply(tf.tensor2d(H), { mode: 'infer' }).code;
    expectClose(
      out,
      H.map((z) => posterior(z, [sigma, sigma, sigma], false).zHat),
      1e-6,
    );
  });

  it('training adds N(0, σ²) noise before quantizing: the code is random, and reproducible from the rng', () => {
    const b = softVq({ sigma: 0.7 });
    const h = tf.tensor2d(H);
    const one = b.apply(h, { mode: 'train', rng: Rng.fromSeed(4) }).code.arraySync();
    expect(b.apply(h, { mode: 'train', rng: Rng.fromSeed(4) }).code.arraySync()).toEqual(one);
    expect(b.apply(h, { mode: 'train', rng: Rng.fromSeed(5) }).code.arraySync()).not.toEqual(one);
    expect(one).not.toEqual(b.apply(h, { mode: 'infer' }).code.arraySync());
    expect(() => b.apply(h, { mode: 'train' })).toThrow(/argument "ctx.rng"/);
  });
});

describe('soft VQ: gradients', () => {
  const sigma = 0.7;
  const s2 = sigma * sigma;
  const B = H.length;

  /** ∂ẑ/∂z = Cov_p(e)/σ²: symmetric, so J·v for any v. */
  function jacobianTimes(z: number[], v: number[]): number[] {
    const { p, zHat } = posterior(z, [sigma, sigma, sigma], false);
    return [0, 1].map(
      (i) => p.reduce((acc, pk, k) => acc + pk * (E[k]![i]! - zHat[i]!) * ((E[k]![0]! - zHat[0]!) * v[0]! + (E[k]![1]! - zHat[1]!) * v[1]!), 0) / s2,
    );
  }

  it('decoder path without straight-through: Cov_p(e)/σ²·g to the encoder, p_k g + p_k (g·(e_k − ẑ))(z − e_k)/σ² to each codeword', () => {
    const b = softVq({ sigma });
    const grads = gradsOf((v) => tf.sum(tf.mul(b.apply(v.h as unknown as tf.Tensor2D, { mode: 'infer' }).code, tf.tensor2d(G))), {
      h: tf.tensor2d(H),
      codebook: b.codebook,
    });
    expectClose(
      grads.h!,
      H.map((z, i) => jacobianTimes(z, G[i]!)),
      1e-5,
    );
    const expectedE = E.map((e, k) =>
      [0, 1].map((j) =>
        H.reduce((acc, z, i) => {
          const { p, zHat } = posterior(z, [sigma, sigma, sigma], false);
          const g = G[i]!;
          const gDot = g[0]! * (e[0]! - zHat[0]!) + g[1]! * (e[1]! - zHat[1]!);
          return acc + p[k]! * g[j]! + (p[k]! * gDot * (z[j]! - e[j]!)) / s2;
        }, 0),
      ),
    );
    expectClose(grads.codebook!, expectedE, 1e-5);
  });

  it('decoder path with straight-through: exactly g to the encoder, nothing to the codebook', () => {
    const b = softVq({ sigma, straightThrough: true });
    const grads = gradsOf((v) => tf.sum(tf.mul(b.apply(v.h as unknown as tf.Tensor2D, { mode: 'train', rng: Rng.fromSeed(2) }).code, tf.tensor2d(G))), {
      h: tf.tensor2d(H),
      codebook: b.codebook,
    });
    expectClose(
      grads.h!,
      G.map((r) => r.map(Math.fround)),
      0,
    );
    expectZeroGradient(grads.codebook!);
  });

  it('codebook term ‖ẑ − sg(z)‖²: reaches z only through the weights, 2·J(ẑ − z)/B', () => {
    const b = softVq({ sigma });
    const grads = gradsOf((v) => tf.mean(b.apply(v.h as unknown as tf.Tensor2D, { mode: 'infer' }).terms.codebook!), { h: tf.tensor2d(H) });
    const expected = H.map((z) => {
      const { zHat } = posterior(z, [sigma, sigma, sigma], false);
      return jacobianTimes(z, [zHat[0]! - z[0]!, zHat[1]! - z[1]!]).map((v) => (2 * v) / B);
    });
    expectClose(grads.h!, expected, 1e-5);
  });

  it('commitment term ‖z − sg(ẑ)‖²: 2(z − ẑ)/B to the encoder, nothing to the codebook', () => {
    const b = softVq({ sigma });
    const grads = gradsOf((v) => tf.mean(b.apply(v.h as unknown as tf.Tensor2D, { mode: 'infer' }).terms.commitment!), {
      h: tf.tensor2d(H),
      codebook: b.codebook,
    });
    expectClose(
      grads.h!,
      H.map((z) => {
        const { zHat } = posterior(z, [sigma, sigma, sigma], false);
        return [0, 1].map((j) => (2 * (z[j]! - zHat[j]!)) / B);
      }),
      1e-5,
    );
    expectZeroGradient(grads.codebook!);
  });
});

describe("soft VQ: the authors' predicted-variance variant", () => {
  it('defaults to straight-through and adds a log-scale head with one output per codeword', () => {
    const b = softVq({ variant: 'predictedVariance' });
    expect(b.config.straightThrough).toBe(true);
    expect(Object.keys(b.trainableVariables).sort()).toEqual(['bottleneck/codebook', 'bottleneck/log_scale/bias', 'bottleneck/log_scale/kernel']);
    expect(b.trainableVariables['bottleneck/log_scale/kernel']!.shape).toEqual([2, 3]);
  });

  it('with one shared scale it equals the paper variant at inference (the σ_k factor cancels)', () => {
    const sigma = 0.7;
    const b = softVq({ variant: 'predictedVariance' });
    b.trainableVariables['bottleneck/log_scale/kernel']!.assign(tf.zeros([2, 3]));
    b.trainableVariables['bottleneck/log_scale/bias']!.assign(tf.fill([3], Math.log(sigma)));
    const h = tf.tensor2d(H);
    expectClose(b.apply(h, { mode: 'infer' }).code, softVq({ sigma }).apply(h, { mode: 'infer' }).code, 1e-6);
  });

  it('with per-codeword scales the weights are ∝ σ_k·exp(−‖z − e_k‖²/2σ_k²), as in the authors’ notebook', () => {
    const sigmas = [0.5, 1.5, 0.8];
    const b = softVq({ variant: 'predictedVariance' });
    b.trainableVariables['bottleneck/log_scale/kernel']!.assign(tf.zeros([2, 3]));
    b.trainableVariables['bottleneck/log_scale/bias']!.assign(tf.tensor1d(sigmas.map(Math.log)));
    const h = tf.tensor2d(H);
    expectClose(
      b.assignments(h),
      H.map((z) => posterior(z, sigmas, true).p),
      1e-6,
    );
    expectClose(
      b.apply(h, { mode: 'infer' }).code,
      H.map((z) => posterior(z, sigmas, true).zHat),
      1e-6,
    );
    // Training samples nothing in this variant: no rng needed, and the forward value is ẑ.
    expectClose(
      b.apply(h, { mode: 'train' }).code,
      H.map((z) => posterior(z, sigmas, true).zHat),
      1e-6,
    );
  });

  it('saturates log scales beyond ±15 instead of overflowing to NaN, in apply and in the inference spec', () => {
    const b = softVq({ variant: 'predictedVariance' });
    const h = tf.tensor2d(H);
    b.trainableVariables['bottleneck/log_scale/kernel']!.assign(tf.zeros([2, 3]));
    b.trainableVariables['bottleneck/log_scale/bias']!.assign(tf.tensor1d([-60, 0, 60]));
    const sigmas = [Math.exp(-15), 1, Math.exp(15)];
    const code = b.apply(h, { mode: 'infer' }).code;
    expectClose(
      code,
      H.map((z) => posterior(z, sigmas, true).zHat),
      1e-6,
    );
    expectClose(runInference(b.inference(), h), code, 1e-6);
  });

  it('the codebook term trains the scale head; the decoder path (straight-through) does not', () => {
    const b = softVq({ variant: 'predictedVariance' });
    const kernel = b.trainableVariables['bottleneck/log_scale/kernel']!;
    const h = tf.tensor2d(H);
    const viaCodebook = gradsOf(() => tf.mean(b.apply(h, { mode: 'train' }).terms.codebook!), { kernel });
    expect(viaCodebook.kernel!.some((v) => v !== 0)).toBe(true);
    const viaDecoder = gradsOf(() => tf.sum(tf.mul(b.apply(h, { mode: 'train' }).code, tf.tensor2d(G))), { kernel, codebook: b.codebook });
    expectZeroGradient(viaDecoder.kernel!);
    expectZeroGradient(viaDecoder.codebook!);
  });
});

describe("soft VQ: the authors' variant against PyTorch", () => {
  // Reference: test/reference/soft_vq_authors.py, run with PyTorch 1.13 (Debian's python3-torch) in float64, written
  // from the authors' notebook formulas — weights
  // exp(−dist·s/2)/√s with s = 1/exp(ℓ)², normalised; decoder input z + sg(ẑ − z); ‖ẑ − sg(z)‖² + 0.25‖z − sg(ẑ)‖²
  // (summed over dimensions, mean over the batch); ℓ = h·W + b; loss = Σ G⊙code + regularizer. Gradients of that loss.
  const W = [
    [0.3, -0.2, 0.1],
    [-0.4, 0.25, 0.5],
  ];
  const b = [-0.3, 0.2, -0.1];
  const REF = {
    code: [
      [0.523653016929, 0.223508438462],
      [0.575880533445, 0.05805443655],
      [0.355907319217, 1.287550974972],
      [0.562973955403, 0.156739601883],
    ],
    loss: 1.625901157625686,
    dH: [
      [0.251907579905, -1.193579085333],
      [2.030571450527, 0.484974601923],
      [-0.731306615765, 0.080447507515],
      [1.102659116372, -0.388943175586],
    ],
    dE: [
      [0.030987215394, 0.026112955643],
      [-0.00602781684, 0.074260273635],
      [0.073388966234, -0.062198202664],
    ],
    dW: [
      [0.054392421747, -0.009176996217, 0.040278785621],
      [-0.014424896777, 0.218092387839, -0.118408642693],
    ],
    db: [0.021366736509, 0.160483958231, -0.040388928541],
  };

  it('matches the notebook’s forward value and every gradient', () => {
    const bn = softVq({ variant: 'predictedVariance' });
    const kernel = bn.trainableVariables['bottleneck/log_scale/kernel']!;
    const bias = bn.trainableVariables['bottleneck/log_scale/bias']!;
    kernel.assign(tf.tensor2d(W));
    bias.assign(tf.tensor1d(b));
    const loss = (h: tf.Tensor2D) => {
      const out = bn.apply(h, { mode: 'train' });
      return tf.add(tf.sum(tf.mul(out.code, tf.tensor2d(G))), out.regularizer) as tf.Scalar;
    };
    expectClose(bn.apply(tf.tensor2d(H), { mode: 'train' }).code, REF.code, 1e-6);
    expectClose(loss(tf.tensor2d(H)), [REF.loss], 1e-5);
    const grads = gradsOf((v) => loss(v.h as unknown as tf.Tensor2D), { h: tf.tensor2d(H), codebook: bn.codebook, kernel, bias });
    expectClose(grads.h!, REF.dH, 1e-5);
    expectClose(grads.codebook!, REF.dE, 1e-5);
    expectClose(grads.kernel!, REF.dW, 1e-5);
    expectClose(grads.bias!, REF.db, 1e-5);
  });
});

describe('soft VQ: inference mode and stats', () => {
  const configs = [
    { sigma: 0.7 },
    { sigma: 0.7, straightThrough: true },
    { variant: 'predictedVariance' },
    { variant: 'predictedVariance', latentDim: 2, inputDim: 5 },
    { latentDim: 2, inputDim: 5 },
  ];

  it('is deterministic without an rng and equals its inference spec, for every variant', () => {
    for (const extra of configs) {
      const b = createBottleneck({ kind: 'softVq', inputDim: 2, codebookSize: 3, ...extra } as never, { rng: Rng.fromSeed(9) });
      const h = tf.tensor2d(randomMatrix(Rng.fromSeed(10), 6, b.inputDim));
      const first = b.apply(h, { mode: 'infer' }).code;
      expect(b.apply(h, { mode: 'infer' }).code.arraySync()).toEqual(first.arraySync());
      expectClose(runInference(b.inference(), h), first, 1e-6);
      b.dispose();
    }
  });

  it('reports hard and soft usage', () => {
    const stats = softVq({ sigma: 1e-3 }).stats(tf.tensor2d(H));
    expect(stats.perplexity as number).toBeCloseTo(2 * Math.SQRT2, 6);
    expect(stats.softPerplexity as number).toBeCloseTo(2 * Math.SQRT2, 4);
    // Nearly hard assignments: each example's own perplexity is about 1.
    expect(stats.assignmentPerplexity as number).toBeCloseTo(1, 4);
    expect(stats.codebookUsage).toBe(1);
    expect(stats.meanScale).toBeCloseTo(1e-3, 9);
  });
});
