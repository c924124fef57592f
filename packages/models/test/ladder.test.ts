import { Rng, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ImageLadder, createModel, gaussianKl, precisionWeightedMerge } from '../src/index.js';
import { imageBatch } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const ladder = () =>
  createModel({ kind: 'imageLadder', size: 8, hiddenDims: [16, 8], lowerLatentDim: 3, bottleneck: { kind: 'gaussian', latentDim: 2 } } as never, {
    seed: 1,
  }) as unknown as ImageLadder;

describe('Ladder VAE', () => {
  it('merges by precision: equal variances average the means and halve the variance', () => {
    const a = { mean: tf.tensor2d([[0, 2]]), logVar: tf.tensor2d([[0, Math.log(4)]]) };
    const b = { mean: tf.tensor2d([[2, 2]]), logVar: tf.tensor2d([[0, Math.log(4)]]) };
    const m = precisionWeightedMerge(a, b);
    expect(Array.from(m.mean.dataSync())).toEqual([1, 2]);
    const v = Array.from(tf.exp(m.logVar).dataSync());
    expect(v[0]).toBeCloseTo(0.5, 6);
    expect(v[1]).toBeCloseTo(2, 5);
    // A very precise expert dominates.
    const sharp = precisionWeightedMerge(a, { mean: tf.tensor2d([[5, 5]]), logVar: tf.tensor2d([[-12, -12]]) });
    expect(sharp.mean.dataSync()[0]).toBeCloseTo(5, 3);
    // KL(N(0,1) ‖ N(1,1)) = 1/2 per dimension; KL of a Gaussian to itself is 0.
    const one = { mean: tf.zeros([1, 2]) as tf.Tensor2D, logVar: tf.zeros([1, 2]) as tf.Tensor2D };
    expect(gaussianKl(one, { mean: tf.ones([1, 2]) as tf.Tensor2D, logVar: tf.zeros([1, 2]) as tf.Tensor2D }).dataSync()[0]).toBeCloseTo(1, 6);
    expect(gaussianKl(one, one).dataSync()[0]).toBeCloseTo(0, 6);
  });

  it('per-layer KLs are non-negative, the top one equals the bottleneck term, and the sampled lower KL averages to the analytic one', () => {
    const model = ladder();
    try {
      const batch = imageBatch(5, 2);
      const layers = model.stochasticLayers(batch);
      expect(layers.map((l) => l.name)).toEqual(['z1', 'z2']);
      const [lower, top] = layers.map((l) => Array.from(l.kl.dataSync()));
      for (const v of [...(lower as number[]), ...(top as number[])]) expect(v).toBeGreaterThanOrEqual(-1e-6);
      expect(layers[0]?.means.shape).toEqual([5, 3]);
      expect(layers[1]?.means.shape).toEqual([5, 2]);
      // The top layer's KL is the bottleneck's own term (analytic in both, so equal whatever the noise), and the
      // infer-mode reconstruction's sampled log-ratio averages to the analytic lower KL (the Monte Carlo KL estimate).
      const out = model.loss(batch, { mode: 'train', rng: Rng.fromSeed(4), dropout: false });
      const lossKl = Array.from(out.terms.kl?.dataSync() ?? []);
      for (const [i, v] of (top as number[]).entries()) expect(lossKl[i], `example ${i}`).toBeCloseTo(v, 4);
      const code = model.encode(batch).code;
      const draws = 400;
      let sampled = 0;
      for (let d = 0; d < draws; d++) sampled += tf.tidy(() => model.reconstruction(batch, code).nll.sum().dataSync()[0] as number);
      const analytic = tf.tidy(
        () =>
          model
            .reconstruction(batch, code, { mode: 'train', rng: Rng.fromSeed(5) })
            .nll.sum()
            .dataSync()[0] as number,
      );
      // Both share −log p(x|z₁) in expectation; only the KL estimator differs. Tolerance: a few nats over 5 examples of 64 pixels.
      expect(Math.abs(sampled / draws - analytic)).toBeLessThan(3);
    } finally {
      model.dispose();
    }
  });

  it('generates from the top layer and trains end to end (the loss goes down)', async () => {
    const model = ladder();
    try {
      const samples = tf.tidy(() => model.decode(model.bottleneck.sampleCodes?.(4, Rng.fromSeed(2)) as tf.Tensor2D).shape);
      expect(samples).toEqual([4, 64]);
      const { train, fixedTrainData } = await import('../src/index.js');
      const batch = imageBatch(20, 3);
      const before = tf.tidy(() => model.loss(batch, { mode: 'infer' }).total.dataSync()[0] as number);
      await train(
        model as never,
        { seed: 1, maxSteps: 40, epochs: 40, optimizer: { kind: 'adam', learningRate: 3e-3 } },
        { train: fixedTrainData([batch]), progress: false },
      );
      const after = tf.tidy(() => model.loss(batch, { mode: 'infer' }).total.dataSync()[0] as number);
      expect(after).toBeLessThan(before - 1);
      expect(() => model.exportPlan()).toThrow(/does not export to ONNX/);
    } finally {
      model.dispose();
    }
  });
});
