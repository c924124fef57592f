import { initEngine, tf } from '@latentkit/core';
import { type ImageBatch, type ImageLadderConfig, type Model, createModel } from '@latentkit/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateLayers, fromModel, report } from '../src/index.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

describe('evaluateLayers', () => {
  it('averages each layer KL over examples and counts dimensions whose posterior means vary, across batches', () => {
    // Two batches of a 2-d layer: dimension 0 takes 0, 1, 2, 3 (sample variance 5/3), dimension 1 is constant.
    const batches = [
      { kl: [1, 2], means: [0, 5, 1, 5] },
      { kl: [3, 6], means: [2, 5, 3, 5] },
    ];
    const layers = evaluateLayers((b: (typeof batches)[number]) => [{ name: 'z1', kl: tf.tensor1d(b.kl), means: tf.tensor2d(b.means, [2, 2]) }], batches, 0.5);
    expect(layers).toEqual([{ name: 'z1', dim: 2, kl: 3, activeUnits: 1, activeUnitThreshold: 0.5 }]);
    // Above 5/3 no dimension is active.
    const strict = evaluateLayers((b: (typeof batches)[number]) => [{ name: 'z1', kl: tf.tensor1d(b.kl), means: tf.tensor2d(b.means, [2, 2]) }], batches, 1.7);
    expect(strict[0]?.activeUnits).toBe(0);
  });

  it("a Ladder VAE's report carries both layers; the top one agrees with the likelihood section's KL and active units", async () => {
    const model = createModel(
      { kind: 'imageLadder', size: 8, hiddenDims: [16, 8], lowerLatentDim: 3, bottleneck: { kind: 'gaussian', latentDim: 2 } } as never,
      { seed: 3 },
    ) as unknown as Model<ImageLadderConfig>;
    try {
      const batch = (seed: number): ImageBatch => ({
        size: 6,
        pixels: Float32Array.from({ length: 6 * 64 }, (_, i) => ((i * 7 + seed * 13) % 5 === 0 ? 1 : 0)),
      });
      const test = [{ batch: batch(1) }, { batch: batch(2) }];
      const out = await report(fromModel(model), { test }, { likelihood: { importanceSamples: 0 }, probe: false, kmeans: false });
      expect(out.layers?.map((l) => [l.name, l.dim])).toEqual([
        ['z1', 3],
        ['z2', 2],
      ]);
      const [lower, top] = out.layers ?? [];
      expect(lower?.kl).toBeGreaterThan(0);
      // The likelihood section's KL is the top layer's analytic KL, over the same examples.
      expect(top?.kl).toBeCloseTo(out.likelihood?.kl ?? Number.NaN, 4);
      expect(top?.activeUnits).toBe(out.likelihood?.activeUnits);
    } finally {
      model.dispose();
    }
  });
});
