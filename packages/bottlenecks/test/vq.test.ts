import { LatentkitError, Rng, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type VqBottleneck, createBottleneck, runInference } from '../src/index.js';
import { PLANE_CODEBOOK, PLANE_FEATURES, expectClose, expectZeroGradient, gradsOf } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const E = PLANE_CODEBOOK;
const H = PLANE_FEATURES;
const NEAREST = [0, 1, 2, 1];
// ‖h_b − e_{k(b)}‖² by hand.
const SQ_ERR = [0.05, 0.02, 0.29, 0.17];

// The paper's form, stated explicitly (the defaults turn EMA, restarts and initialisation from data on).
const GRADIENT_CODEBOOK = { ema: null, restart: null, init: 'uniform' } as const;

function vq(extra: Record<string, unknown> = {}): VqBottleneck {
  const b = createBottleneck({ kind: 'vq', inputDim: 2, codebookSize: 3, ...GRADIENT_CODEBOOK, ...extra }) as VqBottleneck;
  b.codebook.assign(tf.tensor2d(E));
  return b;
}

describe('vq: forward', () => {
  it('picks the nearest codeword and reports codebook and commitment terms', () => {
    const b = vq();
    const h = tf.tensor2d(H);
    const out = b.apply(h, { mode: 'train' });
    expectClose(
      out.code,
      NEAREST.map((k) => E[k]!),
      1e-6,
    );
    expect(Array.from(b.assign(h).dataSync())).toEqual(NEAREST);
    expectClose(out.terms.codebook!, SQ_ERR, 1e-6);
    expectClose(out.terms.commitment!, SQ_ERR, 1e-6);
    const mean = SQ_ERR.reduce((a, v) => a + v, 0) / 4;
    expectClose(out.regularizer, [mean + 0.25 * mean], 1e-6);
    expect(out.latent.arraySync()).toEqual(H.map((r) => r.map((v) => Math.fround(v))));
  });

  it('inference is deterministic, needs no rng, returns codewords exactly, and equals its inference spec', () => {
    const b = vq();
    const h = tf.tensor2d(H);
    const first = b.apply(h, { mode: 'infer' }).code.arraySync();
    expect(b.apply(h, { mode: 'infer' }).code.arraySync()).toEqual(first);
    expect(first).toEqual(NEAREST.map((k) => E[k]!));
    const spec = b.inference();
    expect(spec.steps).toEqual([{ op: 'nearestCodeword', codebook: 'bottleneck/codebook' }]);
    expect(runInference(spec, h).arraySync()).toEqual(first);
  });

  it('reports perplexity, usage and quantization error computed by hand', () => {
    const stats = vq().stats(tf.tensor2d(H));
    // Counts [1, 2, 1]: p = [¼, ½, ¼], entropy = 1.5 ln 2, perplexity = 2√2.
    expect(stats.codewordCounts).toEqual([1, 2, 1]);
    expect(stats.perplexity as number).toBeCloseTo(2 * Math.SQRT2, 12);
    expect(stats.codebookUsage).toBe(1);
    expect(stats.quantizationError as number).toBeCloseTo(0.1325, 6);
  });
});

describe('vq: gradients', () => {
  const g = [
    [0.3, -1.2],
    [2.0, 0.5],
    [-0.7, 0.1],
    [1.1, -0.4],
  ];

  it('decoder path: straight-through is the identity to the encoder and gives the codebook nothing', () => {
    const b = vq();
    const grads = gradsOf((v) => tf.sum(tf.mul(b.apply(v.h as unknown as tf.Tensor2D, { mode: 'train' }).code, tf.tensor2d(g))), {
      h: tf.tensor2d(H),
      codebook: b.codebook,
    });
    // Exactly g, not merely close: the identity.
    expectClose(
      grads.h!,
      g.map((r) => r.map(Math.fround)),
      0,
    );
    expectZeroGradient(grads.codebook!);
  });

  it('codebook term: moves codewords toward their features, 2/B·Σ(e_k − h_b); nothing reaches the encoder', () => {
    const b = vq();
    const grads = gradsOf((v) => tf.mean(b.apply(v.h as unknown as tf.Tensor2D, { mode: 'train' }).terms.codebook!), {
      h: tf.tensor2d(H),
      codebook: b.codebook,
    });
    expectZeroGradient(grads.h!);
    const expected = E.map((e, k) => e.map((ek, j) => NEAREST.reduce((acc, kb, bi) => (kb === k ? acc + (2 / 4) * (ek - H[bi]![j]!) : acc), 0)));
    expectClose(grads.codebook!, expected, 1e-6);
  });

  it('commitment term: pulls the encoder toward its codeword, 2/B·(h_b − e_k); nothing reaches the codebook', () => {
    const b = vq();
    const grads = gradsOf((v) => tf.mean(b.apply(v.h as unknown as tf.Tensor2D, { mode: 'train' }).terms.commitment!), {
      h: tf.tensor2d(H),
      codebook: b.codebook,
    });
    expectClose(
      grads.h!,
      H.map((hb, bi) => hb.map((v, j) => (2 / 4) * (v - E[NEAREST[bi]!]![j]!))),
      1e-6,
    );
    expectZeroGradient(grads.codebook!);
  });
});

describe('vq: EMA codebook', () => {
  it('keeps the codebook out of the trainable variables and drops the codebook term', () => {
    const b = vq({ ema: {} });
    expect(Object.keys(b.trainableVariables)).toEqual([]);
    expect(Object.keys(b.stateVariables).sort()).toEqual(['bottleneck/codebook', 'bottleneck/ema_count', 'bottleneck/ema_sum']);
    const out = b.apply(tf.tensor2d(H), { mode: 'train' });
    expect(Object.keys(out.terms)).toEqual(['commitment']);
    expectClose(out.regularizer, [(0.25 * SQ_ERR.reduce((a, v) => a + v, 0)) / 4], 1e-6);
  });

  it('one update equals the step computed by hand', () => {
    const decay = 0.9;
    const eps = 1e-5;
    const b = vq({ ema: { decay, epsilon: eps } });
    b.stateVariables['bottleneck/ema_count']!.assign(tf.tensor1d([1, 1, 1]));
    b.stateVariables['bottleneck/ema_sum']!.assign(tf.tensor2d(E));
    b.afterStep(tf.tensor2d(H), { mode: 'train' });

    // Assignments 0, 1, 2, 1: counts n = [1, 2, 1]; sums s_0 = h_0, s_1 = h_1 + h_3, s_2 = h_2.
    const N = [0.9 * 1 + 0.1 * 1, 0.9 * 1 + 0.1 * 2, 0.9 * 1 + 0.1 * 1];
    const m = [
      [0.9 * 0 + 0.1 * 0.1, 0.9 * 0 + 0.1 * 0.2],
      [0.9 * 1 + 0.1 * (0.9 + 0.6), 0.9 * 0 + 0.1 * (-0.1 + 0.1)],
      [0.9 * 0 + 0.1 * 0.2, 0.9 * 2 + 0.1 * 1.5],
    ];
    const total = N[0]! + N[1]! + N[2]!;
    const smoothed = N.map((n) => ((n + eps) / (total + 3 * eps)) * total);
    expectClose(b.stateVariables['bottleneck/ema_count']!, N, 1e-6);
    expectClose(b.stateVariables['bottleneck/ema_sum']!, m, 1e-6);
    expectClose(
      b.codebook,
      m.map((row, k) => row.map((v) => v / smoothed[k]!)),
      1e-6,
    );
  });

  it('does nothing at inference', () => {
    const b = vq({ ema: {} });
    b.afterStep(tf.tensor2d(H), { mode: 'infer' });
    expect(b.codebook.arraySync()).toEqual(E);
  });
});

describe('vq: dead-codeword restart', () => {
  // Codeword 2 sits far away and is never picked.
  const FAR = [
    [0, 0],
    [1, 0],
    [100, 100],
  ];

  it('moves a codeword whose usage fell below threshold/K onto an encoder output and resets its usage', () => {
    const b = createBottleneck({ kind: 'vq', inputDim: 2, codebookSize: 3, ...GRADIENT_CODEBOOK, restart: { threshold: 0.9, decay: 0.5 } }) as VqBottleneck;
    b.codebook.assign(tf.tensor2d(FAR));
    b.afterStep(tf.tensor2d(H), { mode: 'train', rng: Rng.fromSeed(3) });
    // Counts [2, 2, 0] of 4: usage = ½·⅓ + ½·[½, ½, 0] = [5/12, 5/12, 1/6]; dead below 0.9/3 = 0.3: codeword 2 only.
    const codebook = b.codebook.arraySync();
    expect(codebook.slice(0, 2)).toEqual(FAR.slice(0, 2));
    expect(H.map((r) => r.map((v) => Math.fround(v)))).toContainEqual(codebook[2]);
    expectClose(b.stateVariables['bottleneck/usage']!, [5 / 12, 5 / 12, 1 / 3], 1e-6);
    expect(b.stats(tf.tensor2d(H)).deadCodewords).toBe(0);
  });

  it('with EMA, restarts the accumulators as if the new codeword had been picked once', () => {
    const b = createBottleneck({
      kind: 'vq',
      inputDim: 2,
      codebookSize: 3,
      init: 'uniform',
      ema: { decay: 0.9 },
      restart: { threshold: 0.9, decay: 0.5 },
    }) as VqBottleneck;
    b.codebook.assign(tf.tensor2d(FAR));
    b.stateVariables['bottleneck/ema_sum']!.assign(tf.tensor2d(FAR));
    b.afterStep(tf.tensor2d(H), { mode: 'train', rng: Rng.fromSeed(3) });
    const e2 = b.codebook.arraySync()[2]!;
    expect(H.map((r) => r.map((v) => Math.fround(v)))).toContainEqual(e2);
    expect((b.stateVariables['bottleneck/ema_count']!.arraySync() as number[])[2]).toBe(1);
    expect((b.stateVariables['bottleneck/ema_sum']!.arraySync() as number[][])[2]).toEqual(e2);
  });

  it('restarts several dead codewords on distinct encoder outputs', () => {
    const b = createBottleneck({ kind: 'vq', inputDim: 2, codebookSize: 4, ...GRADIENT_CODEBOOK, restart: { threshold: 0.9, decay: 0.5 } }) as VqBottleneck;
    b.codebook.assign(tf.tensor2d([...FAR, [-100, 100]]));
    b.afterStep(tf.tensor2d(H), { mode: 'train', rng: Rng.fromSeed(3) });
    const [, , e2, e3] = b.codebook.arraySync();
    const rows = H.map((r) => r.map((v) => Math.fround(v)));
    expect(rows).toContainEqual(e2);
    expect(rows).toContainEqual(e3);
    expect(e2).not.toEqual(e3);
  });

  it('needs an rng to restart in training', () => {
    const b = createBottleneck({ kind: 'vq', inputDim: 2, codebookSize: 3, ...GRADIENT_CODEBOOK, restart: {} });
    expect(() => b.afterStep!(tf.tensor2d(H), { mode: 'train' })).toThrow(/argument "ctx.rng" must be an Rng/);
  });
});

describe('vq: defaults and initialisation from data', () => {
  it('defaults to an EMA codebook, restarts and k-means++ initialisation; null turns EMA and restarts off', () => {
    const b = createBottleneck({ kind: 'vq', inputDim: 2, codebookSize: 3 }) as VqBottleneck;
    expect(b.config).toEqual({
      kind: 'vq',
      inputDim: 2,
      codebookSize: 3,
      beta: 0.25,
      ema: { decay: 0.99, epsilon: 1e-5 },
      restart: { threshold: 0.5, decay: 0.95 },
      init: 'kmeans++',
    });
    expect(Object.keys(b.trainableVariables)).toEqual([]);
    const off = createBottleneck({ kind: 'vq', inputDim: 2, codebookSize: 3, ema: null, restart: null }) as VqBottleneck;
    expect(Object.keys(off.trainableVariables)).toEqual(['bottleneck/codebook']);
    expect(Object.keys(off.stateVariables)).toEqual([]);
  });

  it('the first training step puts every codeword on a distinct encoder output, seeded; later steps do not', () => {
    // Three well-separated pairs: k-means++ with K = 3 picks one point of each pair whatever the seed.
    const points = [
      [0, 0],
      [0.1, 0],
      [10, 0],
      [10, 0.1],
      [0, 10],
      [0.1, 10],
    ];
    const pickedWith = (seed: number) => {
      const b = createBottleneck({ kind: 'vq', inputDim: 2, codebookSize: 3, restart: null }) as VqBottleneck;
      b.afterStep(tf.tensor2d(points), { mode: 'train', rng: Rng.fromSeed(seed), step: 0 });
      return b;
    };
    const b = pickedWith(4);
    const codebook = b.codebook.arraySync();
    const rows = points.map((r) => r.map(Math.fround));
    for (const e of codebook) expect(rows).toContainEqual(e);
    const clusters = codebook.map((e) => Math.round(e[0]! / 10) * 2 + Math.round(e[1]! / 10));
    expect(new Set(clusters).size).toBe(3);
    expect(pickedWith(4).codebook.arraySync()).toEqual(codebook);
    // EMA accumulators restart where the codewords now lie.
    expectClose(b.stateVariables['bottleneck/ema_sum']!, codebook, 0);
    expectClose(b.stateVariables['bottleneck/ema_count']!, [1, 1, 1], 0);
    // A resumed run (step > 0) keeps the codebook of its checkpoint.
    const resumed = createBottleneck({ kind: 'vq', inputDim: 2, codebookSize: 3, ema: null, restart: null }) as VqBottleneck;
    const before = resumed.codebook.arraySync();
    resumed.afterStep(tf.tensor2d(points), { mode: 'train', rng: Rng.fromSeed(4), step: 7 });
    expect(resumed.codebook.arraySync()).toEqual(before);
  });
});

describe('vq: construction and errors', () => {
  it('draws the codebook from the seed: same seed same codebook, in ±1/K', () => {
    const a = createBottleneck({ kind: 'vq', inputDim: 4, codebookSize: 16, ...GRADIENT_CODEBOOK }, { rng: Rng.fromSeed(5) }) as VqBottleneck;
    const b = createBottleneck({ kind: 'vq', inputDim: 4, codebookSize: 16, ...GRADIENT_CODEBOOK }, { rng: Rng.fromSeed(5) }) as VqBottleneck;
    const c = createBottleneck({ kind: 'vq', inputDim: 4, codebookSize: 16, ...GRADIENT_CODEBOOK }, { rng: Rng.fromSeed(6) }) as VqBottleneck;
    expect(a.codebook.arraySync()).toEqual(b.codebook.arraySync());
    expect(a.codebook.arraySync()).not.toEqual(c.codebook.arraySync());
    expect(Math.max(...Array.from(a.codebook.dataSync()).map(Math.abs))).toBeLessThanOrEqual(1 / 16);
    // Two bottlenecks with the same keys live side by side (tfjs variable names are unique per process).
    expect(Object.keys(a.trainableVariables)).toEqual(['bottleneck/codebook']);
    expect(a.trainableVariables['bottleneck/codebook']!.name).not.toBe(b.trainableVariables['bottleneck/codebook']!.name);
    for (const x of [a, b, c]) x.dispose();
  });

  it('names the argument when the features have the wrong width', () => {
    const b = vq();
    expect(() => b.apply(tf.zeros([2, 3]) as tf.Tensor2D, { mode: 'infer' })).toThrow(LatentkitError);
    expect(() => b.apply(tf.zeros([2, 3]) as tf.Tensor2D, { mode: 'infer' })).toThrow(
      /argument "h" must be a \[batch, 2\] tensor for the "vq" bottleneck, got \[2, 3\]/,
    );
    expect(() => b.stats(tf.zeros([0, 2]) as tf.Tensor2D)).toThrow(/non-empty batch/);
  });
});
