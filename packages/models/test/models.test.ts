import { Rng, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AnyModel, type ModelConfigInput, createModel, sequenceNll } from '../src/index.js';
import { bowBatch, expectClose, imageBatch, textBatch } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const BOTTLENECKS = [
  { kind: 'identity' },
  { kind: 'gaussian', latentDim: 3 },
  { kind: 'vmf', latentDim: 4, kappa: 35 },
  { kind: 'vq', inputDim: 4, codebookSize: 8 },
] as const;

function modelsWith(bottleneck: (typeof BOTTLENECKS)[number]): [ModelConfigInput, () => Parameters<AnyModel['loss']>[0], number][] {
  return [
    [{ kind: 'imageMlp', size: 8, hiddenDims: [16, 8], bottleneck }, () => imageBatch(3, 1), 3 * 64],
    [{ kind: 'imageConv', size: 8, filters: [4, 8], denseDim: 12, likelihood: 'gaussian', bottleneck }, () => imageBatch(3, 1), 3 * 64],
    [
      { kind: 'bowVae', vocabSize: 30, hiddenDims: [16], bottleneck },
      () => bowBatch(3, 30, 1),
      Array.from(bowBatch(3, 30, 1).counts).reduce((a, b) => a + b, 0),
    ],
    [{ kind: 'textVae', vocabSize: 20, embeddingDim: 6, hiddenDim: 8, bottleneck }, () => textBatch([3, 5, 1], 20, 1), 4 + 6 + 2],
  ];
}

describe.each(BOTTLENECKS)('every model with the $kind bottleneck', (bottleneck) => {
  it.each(modelsWith(bottleneck))('%o: loss shapes, units, gradients to every trainable weight', (config, batch, units) => {
    const model = createModel(config);
    const vars = model.trainableVariables;
    const { value, grads } = tf.variableGrads(
      () => (model as AnyModel).loss(batch() as never, { mode: 'train', rng: Rng.fromSeed(3) }).total,
      Object.values(vars),
    );
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    for (const [name, v] of Object.entries(vars)) {
      const g = grads[v.name];
      expect(g, `gradient of ${name}`).toBeDefined();
      expect(
        tf
          .abs(g as tf.Tensor)
          .sum()
          .dataSync()[0],
        `gradient of ${name}`,
      ).toBeGreaterThan(0);
    }
    const out = (model as AnyModel).loss(batch() as never, { mode: 'infer' });
    expect(out.reconstruction.shape).toEqual([3]);
    expect(out.features.shape).toEqual([3, model.bottleneck.inputDim]);
    expect(out.units).toBe(units);
    expect(out.examples).toBe(3);
    // total = mean reconstruction + regularizer, as the contract says.
    expect(out.total.dataSync()[0]).toBeCloseTo((out.reconstruction.mean().dataSync()[0] as number) + (out.regularizer.dataSync()[0] as number), 3);
    model.dispose();
  });
});

describe('models', () => {
  it('the same config and seed give the same weights; another seed other weights', () => {
    const config: ModelConfigInput = { kind: 'textVae', vocabSize: 20, embeddingDim: 6, hiddenDim: 8, bottleneck: { kind: 'gaussian', latentDim: 3 } };
    const [a, b, c] = [createModel(config, { seed: 1 }), createModel(config, { seed: 1 }), createModel(config, { seed: 2 })];
    for (const name of Object.keys(a.trainableVariables)) {
      expect(Array.from(a.trainableVariables[name]!.dataSync())).toEqual(Array.from(b.trainableVariables[name]!.dataSync()));
    }
    const k = 'dec.lstm/recurrent_kernel';
    expect(Array.from(a.trainableVariables[k]!.dataSync())).not.toEqual(Array.from(c.trainableVariables[k]!.dataSync()));
    // The recurrent kernel [8, 32] is orthogonal (core's initializer): its 8 rows are orthonormal, K Kᵀ = I.
    const kernel = a.trainableVariables[k]! as tf.Tensor2D;
    const gram = kernel.matMul(kernel.transpose()).arraySync() as number[][];
    expectClose(gram.flat(), tf.eye(8).dataSync(), 4);
  });

  it('a VQ bottleneck narrower than the encoder gets a linear enc.proj', () => {
    const model = createModel({ kind: 'imageMlp', size: 8, hiddenDims: [16], bottleneck: { kind: 'vq', inputDim: 4, codebookSize: 8 } });
    expect(model.layers['enc.proj']).toBeDefined();
    expect(model.trainableVariables['enc.proj/kernel']!.shape).toEqual([16, 4]);
  });

  it('text: an encoding does not depend on the padding of the batch it is in', () => {
    const model = createModel({ kind: 'textVae', vocabSize: 20, embeddingDim: 6, hiddenDim: 8, bottleneck: { kind: 'gaussian', latentDim: 3 } });
    const both = textBatch([2, 6], 20, 5); // sentence 0 padded to 7 steps
    const alone = { size: 1, steps: 3, inputs: both.inputs.slice(0, 3), targets: both.targets.slice(0, 3), mask: both.mask.slice(0, 3) };
    const a = model.encode(both).latent.arraySync()[0] as number[];
    const b = model.encode(alone).latent.arraySync()[0] as number[];
    expectClose(a, b, 5);
  });

  it('text: teacher-forced logits equal step-by-step decoding from the carried state', () => {
    const model = createModel({ kind: 'textVae', vocabSize: 20, embeddingDim: 6, hiddenDim: 8, bottleneck: { kind: 'gaussian', latentDim: 3 } });
    const batch = textBatch([4, 4], 20, 6);
    const code = model.encode(batch).code;
    const inputs = tf.tensor2d(batch.inputs, [2, 5], 'int32');
    const whole = model.decode(code, inputs).arraySync();
    let state = model.initialState(code);
    for (let t = 0; t < 5; t++) {
      const step = model.decodeSteps(code, inputs.slice([0, t], [2, 1]) as tf.Tensor2D, state);
      const got = step.logits.arraySync();
      for (let r = 0; r < 2; r++) expectClose(got[r]![0]!, whole[r]![t]!, 4);
      state = step.state;
    }
  });

  it('text: reconstruction NLL is the sequence NLL of the teacher-forced logits; uniform logits give steps × log V', () => {
    const model = createModel({ kind: 'textVae', vocabSize: 20, embeddingDim: 6, hiddenDim: 8, dropout: 0, bottleneck: { kind: 'identity' } });
    // Zero the output layer: every step predicts uniformly over 20 words.
    for (const name of ['dec.out/kernel', 'dec.out/bias']) model.trainableVariables[name]!.assign(tf.zerosLike(model.trainableVariables[name]!));
    const batch = textBatch([3, 5], 20, 7);
    const nll = model.loss(batch, { mode: 'infer' }).reconstruction.arraySync();
    expect(nll[0]).toBeCloseTo(4 * Math.log(20), 4);
    expect(nll[1]).toBeCloseTo(6 * Math.log(20), 4);
    const logits = model.decode(model.encode(batch).code, tf.tensor2d(batch.inputs, [2, 6], 'int32'));
    const again = sequenceNll(logits, tf.tensor2d(batch.targets, [2, 6], 'int32'), tf.tensor2d(batch.mask, [2, 6])).arraySync();
    expect(again).toEqual(nll);
  });

  it('dropout and word dropout act in train mode only, reproducibly from the Rng', () => {
    const model = createModel({ kind: 'textVae', vocabSize: 20, embeddingDim: 6, hiddenDim: 8, wordDropout: 0.3, bottleneck: { kind: 'identity' } });
    const batch = textBatch([5, 5], 20, 8);
    const infer = () => model.loss(batch, { mode: 'infer' }).total.dataSync()[0];
    const trainLoss = (seed: number) => model.loss(batch, { mode: 'train', rng: Rng.fromSeed(seed) }).total.dataSync()[0];
    expect(infer()).toBe(infer());
    expect(trainLoss(1)).toBe(trainLoss(1));
    expect(trainLoss(1)).not.toBe(trainLoss(2));
    expect(trainLoss(1)).not.toBe(infer());
    expect(model.loss(batch, { mode: 'train', dropout: false, rng: Rng.fromSeed(1) }).total.dataSync()[0]).toBe(infer());
    expect(() => model.loss(batch, { mode: 'train' })).toThrow(/ctx.rng/);
  });

  it('rejects a batch whose arrays do not match its shape, naming the field', () => {
    const model = createModel({ kind: 'bowVae', vocabSize: 30, hiddenDims: [8], bottleneck: { kind: 'identity' } });
    expect(() => model.loss({ size: 2, counts: new Float32Array(59) }, { mode: 'infer' })).toThrow(
      /batch.counts must hold size × vocabSize 30 = 60 values, got 59/,
    );
  });
});
