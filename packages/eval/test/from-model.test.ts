import { createBottleneck } from '@latentkit/bottlenecks';
import { Rng, initEngine, tf } from '@latentkit/core';
import { type BowBatch, type BowVaeConfig, type Model, multinomialNll } from '@latentkit/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromModel, report } from '../src/index.js';

const VOCAB = 6;
const INFER = { mode: 'infer' } as const;

/**
 * A stand-in bag-of-words model that honours the Model contract with a real Gaussian bottleneck: features
 * log(1 + counts), decoder logits = z·D. Small enough to compute log p(x|z) by hand.
 */
function bowModel(kind: 'gaussian' | 'identity') {
  const bottleneck =
    kind === 'gaussian'
      ? createBottleneck({ kind: 'gaussian', inputDim: VOCAB, latentDim: 2 }, { rng: Rng.fromSeed(1) })
      : createBottleneck({ kind: 'identity', inputDim: VOCAB });
  const decoderRows = [
    [0.5, -1, 0.2, 0, 1.5, -0.3],
    [1, 0.4, -0.6, 0.8, 0, 0.1],
  ].slice(0, bottleneck.codeDim);
  const decoder = tf.tensor2d(
    kind === 'gaussian' ? decoderRows : Array.from({ length: VOCAB }, (_, i) => Array.from({ length: VOCAB }, (_, j) => (i === j ? 1 : 0))),
  );
  const features = (b: BowBatch) => tf.tidy(() => tf.log1p(tf.tensor2d(b.counts, [b.size, VOCAB])));
  const model = {
    config: { kind: 'bowVae', vocabSize: VOCAB, hiddenDims: [], activation: 'tanh', bottleneck: bottleneck.config },
    bottleneck,
    features,
    encode: (b: BowBatch) => tf.tidy(() => bottleneck.apply(features(b), INFER)),
    decode: (code: tf.Tensor2D) => tf.matMul(code, decoder),
    units: (b: BowBatch) => b.counts.reduce((s, c) => s + c, 0),
    reconstruction: (b: BowBatch, code: tf.Tensor2D) => ({
      nll: multinomialNll(tf.matMul(code, decoder), tf.tensor2d(b.counts, [b.size, VOCAB])),
      units: b.counts.reduce((s, c) => s + c, 0),
    }),
    loss: (b: BowBatch) => {
      const code = bottleneck.apply(features(b), INFER).code;
      return { reconstruction: multinomialNll(tf.matMul(code, decoder), tf.tensor2d(b.counts, [b.size, VOCAB])), units: b.counts.reduce((s, c) => s + c, 0) };
    },
  };
  return { model: model as unknown as Model<BowVaeConfig>, decoderRows };
}

function batchOf(counts: number[][]): BowBatch {
  return { size: counts.length, counts: Float32Array.from(counts.flat()) };
}

describe('fromModel', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });
  const counts = [
    [1, 0, 3, 0, 2, 0],
    [0, 4, 0, 1, 0, 1],
    [2, 2, 2, 0, 0, 0],
  ];

  it('gives latent codes and log p(x|z) from the decoder', () => {
    const { model, decoderRows } = bowModel('gaussian');
    const evaluable = fromModel(model);
    const batch = batchOf(counts);
    const codes = evaluable.encode(batch);
    const means = tf.tidy(() =>
      (model.bottleneck as unknown as { posterior(h: tf.Tensor2D): { mean(): tf.Tensor2D } }).posterior(tf.log1p(tf.tensor2d(counts))).mean(),
    );
    expect(codes.arraySync()).toEqual(means.arraySync());
    tf.dispose([codes, means]);

    const z = [
      [0.3, -1],
      [2, 0.5],
      [0, 0],
    ];
    // log p(x|z) = Σ_w count_w · log softmax(z·D)_w, in float64.
    const expected = z.map((zi, i) => {
      const logits = Array.from({ length: VOCAB }, (_, w) => zi.reduce((s, v, k) => s + v * ((decoderRows[k] as number[])[w] as number), 0));
      const lse = Math.log(logits.reduce((s, l) => s + Math.exp(l), 0));
      return (counts[i] as number[]).reduce((s, c, w) => s + c * ((logits[w] as number) - lse), 0);
    });
    const got = tf.tidy(() => {
      const lb = evaluable.likelihood?.(batch);
      expect(lb?.units).toBe(6 + 6 + 6);
      expect(lb?.pieces.posterior.batchSize).toBe(3);
      return Array.from(lb?.pieces.logLikelihood(tf.tensor2d(z)).dataSync() ?? []);
    });
    for (let i = 0; i < 3; i++) expect(Math.abs((got[i] as number) - (expected[i] as number))).toBeLessThan(1e-4);
  });

  it('feeds a full report and frees every tensor', async () => {
    const { model } = bowModel('gaussian');
    const rng = Rng.fromSeed(2);
    const make = (n: number) =>
      Array.from({ length: n }, () => {
        const rows = Array.from({ length: 20 }, () => Array.from({ length: VOCAB }, () => rng.int(4)));
        return { batch: batchOf(rows), labels: rows.map((r) => ((r[0] as number) > 1 ? 1 : 0)) };
      });
    const train = make(3);
    const test = make(2);
    const before = tf.memory().numTensors;
    const r = await report(fromModel(model), { train, test }, { likelihood: { importanceSamples: 20 } });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.model).toEqual({ kind: 'bowVae', bottleneck: 'gaussian', codeDim: 2 });
    const units = test.reduce((s, b) => s + b.batch.counts.reduce((a, c) => a + c, 0), 0);
    expect(r.likelihood?.units).toBe(units);
    expect(r.reconstruction?.units).toBe(units);
    expect(r.likelihood?.examples).toBe(40);
    // L_K ≥ ELBO on average, and both are negative log-likelihoods of word counts.
    expect(r.likelihood?.importanceWeighted?.logLikelihood as number).toBeGreaterThan((r.likelihood?.elbo as number) - 0.5);
    expect(r.likelihood?.perplexity).toBeGreaterThan(1);
    expect(r.likelihood?.klPerDimension).toHaveLength(2);
    expect(r.probe).not.toBeNull();
  });

  it('gives no likelihood for a bottleneck without a density', () => {
    const { model } = bowModel('identity');
    expect(fromModel(model).likelihood).toBeUndefined();
  });
});
