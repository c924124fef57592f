import { Rng, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIGIT_ATTRIBUTES, MultimodalVae, digitAttributes, productOfExperts, trainMultimodal } from '../src/index.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const BLOCKS = 3;
/** 16-pixel images of four 4-pixel blocks; attribute j lights block j (block 3 stays dark); rows cycle through all 8 vectors. */
function blocks(n: number) {
  const pixels = new Float32Array(n * 16);
  const attrs = new Float32Array(n * BLOCKS);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < BLOCKS; j++) {
      const on = (i >> j) & 1;
      attrs[i * BLOCKS + j] = on;
      for (let p = 0; p < 4; p++) pixels[i * 16 + j * 4 + p] = on;
    }
  }
  return { size: n, values: { x: pixels, a: attrs } };
}

const imageAndAttributes = (rng: number, hiddenDim = 8, weight = 1) =>
  new MultimodalVae(
    {
      latentDim: 3,
      modalities: [
        { kind: 'image', name: 'x', size: 16, hiddenDim },
        { kind: 'attributes', name: 'a', count: BLOCKS, hiddenDim, weight },
      ],
    },
    Rng.fromSeed(rng),
  );

describe('product of experts', () => {
  it('merges the prior and the experts by precision, and gates out a row whose modality is missing', () => {
    // Expert A: means (1, −2), precisions (1, 4); expert B: means (3, 0), precisions (2, 1), absent in row 2.
    const a = { mean: tf.tensor2d([1, -2, 1, -2], [2, 2]), logVar: tf.tensor2d([0, Math.log(0.25), 0, Math.log(0.25)], [2, 2]) };
    const b = {
      mean: tf.tensor2d([3, 0, 3, 0], [2, 2]),
      logVar: tf.tensor2d([Math.log(0.5), 0, Math.log(0.5), 0], [2, 2]),
      present: tf.tensor2d([1, 0], [2, 1]),
    };
    const g = productOfExperts([a, b], 2, 2);
    // Row 1: precisions 1+1+2 = 4 and 1+4+1 = 6; means (1·1 + 3·2)/4 and (−2·4 + 0·1)/6. Row 2: the prior and A only.
    const expectedMean = [7 / 4, -4 / 3, 1 / 2, -8 / 5];
    const expectedPrecision = [4, 6, 2, 5];
    const mean = g.mean.dataSync();
    const precision = tf.exp(g.logVar.neg()).dataSync();
    for (const [i, m] of expectedMean.entries()) expect(mean[i]).toBeCloseTo(m, 5);
    for (const [i, p] of expectedPrecision.entries()) expect(precision[i]).toBeCloseTo(p, 4);
    tf.dispose([a.mean, a.logVar, b.mean, b.logVar, b.present, g.mean, g.logVar]);
  });
});

describe('multimodal VAE with attributes', () => {
  it('encodes from the attributes alone; a row with every attribute masked gets the prior', () => {
    const model = imageAndAttributes(1);
    try {
      const data = blocks(2);
      const q = model.encode({ size: 2, values: { a: data.values.a }, masks: { a: [1, 1, 1, 0, 0, 0] } });
      expect(q.mean.shape).toEqual([2, 3]);
      const mean = q.mean.dataSync();
      const precision = tf.exp(q.logVar.neg()).dataSync();
      // Row 1 holds the attribute expert: its precision exceeds the prior's 1. Row 2 is exactly N(0, I).
      for (let d = 0; d < 3; d++) {
        expect(precision[d]).toBeGreaterThan(1);
        expect(mean[3 + d]).toBe(0);
        expect(precision[3 + d]).toBeCloseTo(1, 6);
      }
      tf.dispose([q.mean, q.logVar]);
      const image = model.predict({ size: 2, values: { a: data.values.a } }, 'x');
      expect(image.shape).toEqual([2, 16]);
      image.dispose();
    } finally {
      model.dispose();
    }
  });

  it('masked attribute values do not change the loss; an observed one does', () => {
    const model = imageAndAttributes(2);
    try {
      const data = blocks(4);
      const mask = Float32Array.from({ length: 4 * BLOCKS }, (_, i) => (i % 2 === 0 ? 1 : 0));
      const lossOf = (attrs: Float32Array) => {
        const l = model.loss({ size: 4, values: { x: data.values.x, a: attrs }, masks: { a: mask } }, Rng.fromSeed(9));
        const v = l.dataSync()[0] as number;
        l.dispose();
        return v;
      };
      const base = lossOf(data.values.a);
      const flippedMasked = Float32Array.from(data.values.a, (v, i) => (mask[i] ? v : 1 - v));
      expect(lossOf(flippedMasked)).toBe(base);
      const flippedObserved = Float32Array.from(data.values.a, (v, i) => (i === 0 ? 1 - v : v));
      expect(Math.abs(lossOf(flippedObserved) - base)).toBeGreaterThan(1e-3);
    } finally {
      model.dispose();
    }
  });

  it('learns attributes from the image and the image from the attributes on separable blocks', () => {
    const model = imageAndAttributes(3, 16, 5);
    try {
      const data = blocks(32);
      const loss = trainMultimodal(model, () => [data], { epochs: 150, rng: Rng.fromSeed(4), learningRate: 1e-2 });
      expect(Number.isFinite(loss)).toBe(true);
      const probs = model.predict({ size: data.size, values: { x: data.values.x } }, 'a');
      const p = probs.dataSync();
      probs.dispose();
      const right = Array.from(p).filter((v, i) => (v > 0.5 ? 1 : 0) === data.values.a[i]).length;
      // Each attribute is a deterministic function of the pixels: at least 95% of the 96 values right.
      expect(right / p.length).toBeGreaterThanOrEqual(0.95);
      // From the attributes alone: every lit block is brighter on average than every dark one, for each of the 8 vectors.
      const images = model.predict({ size: 8, values: { a: data.values.a.slice(0, 8 * BLOCKS) } }, 'x').arraySync() as number[][];
      images.forEach((img, i) => {
        const block = (j: number) => img.slice(j * 4, j * 4 + 4).reduce((s, v) => s + v, 0) / 4;
        const lit = [0, 1, 2].filter((j) => (i >> j) & 1).map(block);
        const dark = [0, 1, 2, 3].filter((j) => j === 3 || !((i >> j) & 1)).map(block);
        if (lit.length > 0) expect(Math.min(...lit)).toBeGreaterThan(Math.max(...dark));
      });
    } finally {
      model.dispose();
    }
  });

  it('rejects a non-binary observed attribute, a mask of the wrong length and an unknown modality', () => {
    const model = imageAndAttributes(5);
    try {
      expect(() => model.encode({ size: 1, values: { a: [1, 0.5, 0] } })).toThrow(/values\.a\[1\]: expected a binary attribute/);
      // The same value masked out is accepted.
      const q = model.encode({ size: 1, values: { a: [1, 0.5, 0] }, masks: { a: [1, 0, 1] } });
      tf.dispose([q.mean, q.logVar]);
      expect(() => model.encode({ size: 1, values: { a: [1, 0, 0] }, masks: { a: [1, 0] } })).toThrow(/masks\.a: expected 3 numbers/);
      expect(() => model.encode({ size: 1, values: { b: [1] } })).toThrow(/modality 'b': expected one of x, a/);
    } finally {
      model.dispose();
    }
  });
});

describe('label-derived digit attributes', () => {
  it('maps digits to even, greaterThan4, closedLoop, prime', () => {
    expect(DIGIT_ATTRIBUTES.map((a) => a.name)).toEqual(['even', 'greaterThan4', 'closedLoop', 'prime']);
    expect(Array.from(digitAttributes([0, 7, 9, 2]))).toEqual([1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1]);
    expect(() => digitAttributes([10])).toThrow(/labels\[0\]: expected a digit 0\.\.9/);
  });
});
