import { Rng, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProductOfExpertsVae, trainPoe } from '../src/index.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

/** Two classes of 16-pixel images: class 0 lights the left half, class 1 the right half. */
function halves(n: number) {
  const pixels = new Float32Array(n * 16);
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  labels.forEach((c, i) => {
    for (let p = 0; p < 16; p++) pixels[i * 16 + p] = p % 4 < 2 === (c === 0) ? 1 : 0;
  });
  return { size: n, pixels, labels };
}

describe('product-of-experts multimodal VAE', () => {
  it('the posterior from both modalities is the product of each expert and the prior', () => {
    const model = new ProductOfExpertsVae({ imageSize: 16, classes: 2, latentDim: 3, hiddenDim: 8 }, Rng.fromSeed(1));
    try {
      const batch = halves(2);
      const x = tf.tensor2d(batch.pixels, [2, 16]);
      const both = model.posterior({ pixels: x, labels: batch.labels }, 2);
      const fromX = model.posterior({ pixels: x }, 2);
      const fromY = model.posterior({ labels: batch.labels }, 2);
      // Precisions add: 1/σ²(x,y) = 1/σ²(x) + 1/σ²(y) − 1 (each single-modality posterior already holds the prior's 1).
      const prec = (g: { logVar: tf.Tensor }) => Array.from(tf.exp(g.logVar.neg()).dataSync());
      const [pb, px, py] = [prec(both), prec(fromX), prec(fromY)];
      for (const [i, v] of pb.entries()) expect(v).toBeCloseTo((px[i] as number) + (py[i] as number) - 1, 3);
      expect(() => model.posterior({}, 2)).toThrow(/pixels, labels or both/);
    } finally {
      model.dispose();
    }
  });

  it('learns the label from the image and the image from the label on a separable toy set', () => {
    const model = new ProductOfExpertsVae({ imageSize: 16, classes: 2, latentDim: 2, hiddenDim: 16, labelWeight: 5 }, Rng.fromSeed(2));
    try {
      const data = halves(40);
      const rng = Rng.fromSeed(3);
      const loss = trainPoe(model, () => [data], { epochs: 150, rng, learningRate: 1e-2 });
      expect(Number.isFinite(loss)).toBe(true);
      const predicted = model.labelFromImage(data.pixels, data.size);
      expect(predicted.filter((p, i) => p === data.labels[i]).length / data.size).toBeGreaterThanOrEqual(0.95);
      const img = model.imageFromLabel([0, 1], rng).arraySync() as number[][];
      // Class 0's image is brighter on the left half than on the right; class 1's the other way round.
      const side = (row: number[], left: boolean) => row.filter((_, p) => p % 4 < 2 === left).reduce((a, b) => a + b, 0);
      expect(side(img[0] as number[], true)).toBeGreaterThan(side(img[0] as number[], false));
      expect(side(img[1] as number[], false)).toBeGreaterThan(side(img[1] as number[], true));
    } finally {
      model.dispose();
    }
  });
});
