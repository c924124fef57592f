import { initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ImageMlp, type Model, createModel, oneHotLabels, resolveModelConfig } from '../src/index.js';
import { bowBatch, imageBatch, textBatch } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const condition = { classes: 3 };
const gaussian = { kind: 'gaussian', latentDim: 4 } as const;

/** One conditional model per built-in kind, and a batch of 3 examples labelled 0, 1, 2. */
const cases: [string, () => Model, () => { size: number }][] = [
  ['imageMlp', () => createModel({ kind: 'imageMlp', size: 8, hiddenDims: [16], condition, bottleneck: gaussian }), () => imageBatch(3, 1)],
  ['imageConv', () => createModel({ kind: 'imageConv', size: 8, filters: [4, 4], denseDim: 8, condition, bottleneck: gaussian }), () => imageBatch(3, 1)],
  ['bowVae', () => createModel({ kind: 'bowVae', vocabSize: 12, hiddenDims: [8], condition, bottleneck: gaussian }), () => bowBatch(3, 12, 1)],
  [
    'textVae',
    () => createModel({ kind: 'textVae', vocabSize: 10, embeddingDim: 4, hiddenDim: 8, condition, bottleneck: gaussian }),
    () => textBatch([2, 3, 1], 10, 1),
  ],
  [
    'tabular',
    () =>
      createModel({
        kind: 'tabular',
        columns: [
          { name: 'x', type: 'numeric' },
          { name: 'c', type: 'categorical', categories: ['a', 'b'] },
        ],
        hiddenDims: [8],
        condition,
        bottleneck: gaussian,
      }),
    () => ({ size: 3, values: Float32Array.from([0.5, 0, -1, 1, 2, 2]), missing: new Uint8Array(6) }),
  ],
];

describe('conditional VAE: one condition for every kind', () => {
  it('widens the bottleneck input by the condition and refuses a bad condition config', () => {
    const plain = resolveModelConfig({ kind: 'imageMlp', size: 8, hiddenDims: [16], bottleneck: gaussian });
    const cond = resolveModelConfig({ kind: 'imageMlp', size: 8, hiddenDims: [16], condition, bottleneck: gaussian });
    expect(cond.bottleneck.inputDim).toBe(plain.bottleneck.inputDim + 3);
    expect(cond.condition).toEqual({ classes: 3, source: 'label' });
    expect(() => resolveModelConfig({ kind: 'imageMlp', condition: { classes: 1 }, bottleneck: gaussian } as never, 'model')).toThrow(
      /model\.condition\.classes/,
    );
    expect(() => resolveModelConfig({ kind: 'imageMlp', condition: { classes: 2, names: ['a'] }, bottleneck: gaussian } as never, 'model')).toThrow(/names/);
  });

  it('one-hot rows name a label out of range', () => {
    expect(Array.from(oneHotLabels([2, 0], 3))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(Array.from(oneHotLabels([2, 0], 3, [1, 0]))).toEqual([0, 0, 0, 1, 0, 0]);
    expect(() => oneHotLabels([3], 3)).toThrow(/label 0 must be a class in \[0, 3\), got 3/);
  });

  for (const [kind, make, batchOf] of cases) {
    it(`${kind}: the reconstruction changes with the label, a batch without labels is refused, and its loss is finite`, () => {
      const model = make();
      try {
        const batch = batchOf();
        const nll = (labels: number[]) =>
          tf.tidy(() => {
            const b = { ...batch, labels };
            const code = model.encode(b as never).code;
            return Array.from(model.reconstruction(b as never, code).nll.dataSync());
          });
        const a = nll([0, 1, 2]);
        const b = nll([2, 2, 0]);
        expect(a.every(Number.isFinite)).toBe(true);
        // Every example's label changed, so every example's likelihood does too.
        for (let i = 0; i < 3; i++) expect(Math.abs((a[i] as number) - (b[i] as number)), `example ${i}`).toBeGreaterThan(1e-6);
        expect(() => model.encode(batch as never)).toThrow(/needs batch\.labels/);
        const before = tf.tidy(() => model.loss({ ...batch, labels: [0, 1, 2] } as never, { mode: 'infer' }).total.dataSync()[0] as number);
        expect(Number.isFinite(before)).toBe(true);
      } finally {
        model.dispose();
      }
    });
  }

  it('the decoder output depends on the condition appended to the code', () => {
    const model = createModel({ kind: 'imageMlp', size: 8, hiddenDims: [16], condition, bottleneck: gaussian });
    try {
      const code = tf.zeros([2, 4]) as tf.Tensor2D;
      const out = (labels: number[]) => tf.tidy(() => model.decode(model.conditionedCode(code, labels)).arraySync() as number[][]);
      const [same0, other] = out([0, 1]);
      const [again0] = out([0, 0]);
      expect(same0).toEqual(again0);
      expect(same0).not.toEqual(other);
      expect(() => model.conditionedCode(code)).toThrow(/give a class/);
      code.dispose();
    } finally {
      model.dispose();
    }
  });

  it('an unconditioned model builds the same weights as before (the condition adds nothing)', () => {
    const a = createModel({ kind: 'imageMlp', size: 8, hiddenDims: [16], bottleneck: gaussian }, { seed: 3 });
    const b = createModel({ kind: 'imageMlp', size: 8, hiddenDims: [16], bottleneck: gaussian }, { seed: 3 });
    try {
      expect(Object.keys(a.trainableVariables)).toEqual(Object.keys(b.trainableVariables));
      expect(() => a.conditionedCode(tf.zeros([1, 4]) as tf.Tensor2D, [0])).toThrow(/without a condition/);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('a conditional VQ model projects [features; condition] to the codeword width', () => {
    const model = createModel({
      kind: 'imageMlp',
      size: 8,
      hiddenDims: [16],
      condition,
      bottleneck: { kind: 'vq', codebookSize: 4, inputDim: 5 },
    } as never) as ImageMlp;
    try {
      expect(model.layers['enc.proj']?.getWeights()[0]?.shape).toEqual([16 + 3, 5]);
      const out = tf.tidy(() => model.decode(model.conditionedCode(tf.zeros([1, 5]) as tf.Tensor2D, [1])).shape);
      expect(out).toEqual([1, 64]);
    } finally {
      model.dispose();
    }
  });
});
