/** bow-vae's optional decoder hidden layers (Xu & Durrett's NVDM: code → 400 tanh → softmax). */
import { Rng, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../src/index.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

describe('bow-vae decoderHiddenDims', () => {
  it('defaults to NVDM: no hidden decoder layer', () => {
    const model = createModel({ kind: 'bowVae', vocabSize: 12, hiddenDims: [6], bottleneck: { kind: 'identity', inputDim: 3 } });
    expect(model.config).toMatchObject({ decoderHiddenDims: [] });
    expect(Object.keys(model.layers).filter((n) => n.startsWith('dec.'))).toEqual(['dec.out']);
  });

  it('logits equal tanh(code·W0 + b0)·W + b computed by hand from the weights, and the export plan has the layer', () => {
    const model = createModel(
      { kind: 'bowVae', vocabSize: 5, hiddenDims: [4], decoderHiddenDims: [3], bottleneck: { kind: 'identity', inputDim: 2 } },
      { seed: 3 },
    );
    const w = model.trainableVariables;
    const matrix = (k: string) => w[k]!.arraySync() as number[][];
    const vector = (k: string) => w[k]!.arraySync() as number[];
    const W0 = matrix('dec.dense0/kernel');
    const b0 = vector('dec.dense0/bias');
    const W = matrix('dec.out/kernel');
    const b = vector('dec.out/bias');
    const code = [
      [0.5, -1],
      [2, 0.25],
    ];
    const expected = code.map((c) => {
      const h = b0.map((bj, j) => Math.tanh(c[0]! * W0[0]![j]! + c[1]! * W0[1]![j]! + bj));
      return b.map((bv, v) => h.reduce((a, hj, j) => a + hj * W[j]![v]!, bv));
    });
    const got = model.decode(tf.tensor2d(code)).arraySync();
    for (let i = 0; i < 2; i++) for (let v = 0; v < 5; v++) expect(got[i]![v]!).toBeCloseTo(expected[i]![v]!, 5);
    const plan = model.exportPlan();
    expect(plan.kind === 'feedForward' && plan.decoder).toEqual([
      { op: 'layer', layer: 'dec.dense0' },
      { op: 'layer', layer: 'dec.out' },
    ]);
  });

  it('dropout (Xu & Durrett: 0.1) zeroes about that share of the logits in training, scales the rest by 1/(1 − rate), and is off at inference', () => {
    const config = { kind: 'bowVae', vocabSize: 400, hiddenDims: [8], dropout: 0.3, bottleneck: { kind: 'identity', inputDim: 4 } } as const;
    const model = createModel(config, { seed: 5 });
    const code = tf.randomNormal([50, 4], 0, 1, 'float32', 7) as tf.Tensor2D;
    const plain = model.decode(code).arraySync() as number[][];
    const trained = model.decode(code, undefined, { mode: 'train', rng: Rng.fromSeed('dropout-test') }).arraySync() as number[][];
    let zeros = 0;
    let worst = 0;
    for (let i = 0; i < 50; i++) {
      for (let v = 0; v < 400; v++) {
        const t = trained[i]![v]!;
        if (t === 0) zeros++;
        else worst = Math.max(worst, Math.abs(t - plain[i]![v]! / 0.7));
      }
    }
    // 20,000 Bernoulli(0.3) draws: sd of the share is 0.0032, so ±0.02 is over 6 sd.
    expect(Math.abs(zeros / 20000 - 0.3)).toBeLessThan(0.02);
    expect(worst).toBeLessThan(1e-4);
    expect(model.decode(code).arraySync()).toEqual(plain);
    expect(() => createModel({ ...config, dropout: 1.5 })).toThrow(/dropout/);
  });
});
