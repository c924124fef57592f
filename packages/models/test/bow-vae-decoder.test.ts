/** bow-vae's optional decoder hidden layers (Xu & Durrett's NVDM: code → 400 tanh → softmax). */
import { initEngine, tf } from '@latentkit/core';
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
});
