import { LatentkitError, Rng, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBottleneck, runInference } from '../src/index.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

describe('identity', () => {
  it('hands the features to the decoder unchanged, with a zero regularizer and no variables', () => {
    const b = createBottleneck({ kind: 'identity', inputDim: 3 });
    const h = tf.tensor2d([
      [1, -2, 3],
      [0.5, 0, -1],
    ]);
    const out = b.apply(h, { mode: 'train' });
    expect(out.code.arraySync()).toEqual(h.arraySync());
    expect(out.latent.arraySync()).toEqual(h.arraySync());
    expect(out.regularizer.arraySync()).toBe(0);
    expect(Object.keys(out.terms)).toEqual([]);
    expect(Object.keys(b.trainableVariables)).toEqual([]);
    expect(b.codeDim).toBe(3);
    expect(runInference(b.inference(), h).arraySync()).toEqual(h.arraySync());
  });

  it('rejects features of the wrong width, naming the argument', () => {
    const b = createBottleneck({ kind: 'identity', inputDim: 3 });
    expect(() => b.apply(tf.zeros([2, 4]) as tf.Tensor2D, { mode: 'infer' })).toThrow(LatentkitError);
    expect(() => b.apply(tf.zeros([2, 4]) as tf.Tensor2D, { mode: 'infer' })).toThrow(/argument "h" must be a \[batch, 3\] tensor/);
    expect(() => b.apply(tf.zeros([2, 3]) as tf.Tensor2D, { mode: 'test' as 'train' })).toThrow(/argument "ctx.mode"/);
    expect(() => b.apply(tf.zeros([2, 3], 'int32') as tf.Tensor2D, { mode: 'infer' })).toThrow(/argument "h" must be a float32 tensor, got "int32"/);
    expect(() => b.apply([[1, 2, 3]] as unknown as tf.Tensor2D, { mode: 'infer' })).toThrow(/argument "h" must be a \[batch, 3\] tensor/);
  });
});

describe('denoising', () => {
  const h = tf.tidy(() => tf.ones([2000, 4]) as tf.Tensor2D);

  it('adds N(0, σ²) noise in training: sample mean and standard deviation within 4 standard errors', () => {
    const sigma = 0.3;
    const b = createBottleneck({ kind: 'denoising', inputDim: 4, sigma });
    const noise = tf.sub(b.apply(h, { mode: 'train', rng: Rng.fromSeed(1) }).code, h);
    const values = Array.from(noise.dataSync() as Float32Array);
    const n = values.length;
    const mean = values.reduce((a, v) => a + v, 0) / n;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean)).toBeLessThan((4 * sigma) / Math.sqrt(n));
    // The standard error of a sample sd is about σ/√(2n).
    expect(Math.abs(sd - sigma)).toBeLessThan((4 * sigma) / Math.sqrt(2 * n));
  });

  it('is deterministic at inference, needs no rng, and equals its inference spec', () => {
    const b = createBottleneck({ kind: 'denoising', inputDim: 4, sigma: 0.3 });
    const a = b.apply(h, { mode: 'infer' }).code.arraySync();
    expect(b.apply(h, { mode: 'infer' }).code.arraySync()).toEqual(a);
    expect(a).toEqual(h.arraySync());
    expect(runInference(b.inference(), h).arraySync()).toEqual(a);
  });

  it('the same rng state gives the same noise', () => {
    const b = createBottleneck({ kind: 'denoising', inputDim: 4, sigma: 0.3 });
    const one = b.apply(h, { mode: 'train', rng: Rng.fromSeed(7) }).code.arraySync();
    expect(b.apply(h, { mode: 'train', rng: Rng.fromSeed(7) }).code.arraySync()).toEqual(one);
  });

  it('refuses to train without an rng', () => {
    const b = createBottleneck({ kind: 'denoising', inputDim: 4 });
    expect(() => b.apply(h, { mode: 'train' })).toThrow(/argument "ctx.rng" must be an Rng: the "denoising" bottleneck samples in train mode/);
  });
});
