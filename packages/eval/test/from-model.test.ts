import { createBottleneck } from '@latentkit/bottlenecks';
import { Rng, initEngine, tf } from '@latentkit/core';
import { type Batch, type BowBatch, type BowVaeConfig, DEFAULT_SPECIAL_TOKENS, type Model, createModel, multinomialNll } from '@latentkit/models';
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
  const decoder = tf.tensor2d(kind === 'gaussian' ? decoderRows : Array.from({ length: VOCAB }, (_, i) => Array.from({ length: VOCAB }, (_, j) => (i === j ? 1 : 0))));
  const features = (b: BowBatch) => tf.tidy(() => tf.log1p(tf.tensor2d(b.counts, [b.size, VOCAB])));
  const model = {
    config: { kind: 'bowVae', vocabSize: VOCAB, hiddenDims: [], activation: 'tanh', bottleneck: bottleneck.config },
    bottleneck,
    features,
    encode: (b: BowBatch) => tf.tidy(() => bottleneck.apply(features(b), INFER)),
    decode: (code: tf.Tensor2D) => tf.matMul(code, decoder),
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
    const means = tf.tidy(() => (model.bottleneck as unknown as { posterior(h: tf.Tensor2D): { mean(): tf.Tensor2D } }).posterior(tf.log1p(tf.tensor2d(counts))).mean());
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

describe('fromModel on the models package', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });
  const rng = Rng.fromSeed(3);

  // In infer mode the code is the posterior's mode, so the adapter's log p(x|z) at z = mode must be minus the
  // model's own reconstruction term: two routes through the same decoder and likelihood.
  function checkAgainstLoss(model: Model, batch: Batch, units: number) {
    const evaluable = fromModel(model);
    const [ours, theirs] = tf.tidy(() => {
      const lb = evaluable.likelihood?.(batch);
      expect(lb?.units).toBe(units);
      const mode = lb?.pieces.posterior.mode() as tf.Tensor2D;
      const loss = model.loss(batch as never, { mode: 'infer' });
      expect(loss.units).toBe(units);
      return [Array.from(lb?.pieces.logLikelihood(mode).dataSync() ?? []), Array.from(loss.reconstruction.dataSync())];
    });
    expect(ours.length).toBe(theirs.length);
    for (let i = 0; i < ours.length; i++) expect(Math.abs((ours[i] as number) + (theirs[i] as number))).toBeLessThan(1e-3);
  }

  it('bag of words with a Gaussian bottleneck', () => {
    const model = createModel({ kind: 'bowVae', vocabSize: 12, hiddenDims: [8], bottleneck: { kind: 'gaussian', latentDim: 3 } });
    const counts = Array.from({ length: 5 * 12 }, () => rng.int(3));
    checkAgainstLoss(model, { size: 5, counts: Float32Array.from(counts) }, counts.reduce((s, c) => s + c, 0));
    model.dispose();
  });

  it('images with a vMF bottleneck', () => {
    const model = createModel({ kind: 'imageMlp', hiddenDims: [16], likelihood: 'bernoulli', bottleneck: { kind: 'vmf', latentDim: 4 } });
    const pixels = Float32Array.from({ length: 3 * 784 }, () => rng.uniform());
    checkAgainstLoss(model, { size: 3, pixels }, 3 * 784);
    model.dispose();
  });

  it('sentences with a Power Spherical bottleneck', () => {
    const tokens = DEFAULT_SPECIAL_TOKENS;
    const model = createModel({
      kind: 'textVae',
      vocabSize: 10,
      specialTokens: tokens,
      embeddingDim: 4,
      hiddenDim: 6,
      bottleneck: { kind: 'powerSpherical', latentDim: 3 },
    });
    // Two sentences: "5 6 7 <eos>" and "8 <eos> <pad> <pad>".
    const { bos, eos, pad } = tokens;
    const batch = {
      size: 2,
      steps: 4,
      inputs: Int32Array.from([bos, 5, 6, 7, bos, 8, pad, pad]),
      targets: Int32Array.from([5, 6, 7, eos, 8, eos, pad, pad]),
      mask: Float32Array.from([1, 1, 1, 1, 1, 1, 0, 0]),
    };
    checkAgainstLoss(model, batch, 6);
    model.dispose();
  });
});
