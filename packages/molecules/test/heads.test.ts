import { Rng, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PropertyHead, fitSolubilityHead, fitToxicityHead, maskedBinaryCrossEntropy, rocAuc } from '../src/index.js';
import { tempDir } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'auto' });
});

function randomCodes(n: number, d: number, seed: number): { codes: tf.Tensor2D; values: number[][] } {
  const rng = Rng.fromSeed(seed);
  const values = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  return { codes: tf.tensor2d(values), values };
}

describe('masked Tox21 loss', () => {
  it('equals the binary cross-entropy averaged over measured labels, computed by hand', () => {
    const logits = [
      [0.5, -1.0, 2.0],
      [-0.3, 0.0, 1.5],
    ];
    const labels = [
      [1, 0, Number.NaN],
      [0, Number.NaN, 1],
    ];
    const mask = [
      [1, 1, 0],
      [1, 0, 1],
    ];
    let sum = 0;
    let count = 0;
    logits.forEach((row, i) => {
      row.forEach((x, j) => {
        if (!mask[i]?.[j]) return;
        const p = 1 / (1 + Math.exp(-x));
        const y = labels[i]?.[j] as number;
        sum += -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
        count++;
      });
    });
    const loss = maskedBinaryCrossEntropy(tf.tensor2d(logits), tf.tensor2d(labels), tf.tensor2d(mask)).dataSync()[0] as number;
    expect(loss).toBeCloseTo(sum / count, 6);
  });

  it('ignores missing labels: changing them (to 0, 1 or NaN) changes neither the loss nor its gradient; changing a measured one does', () => {
    const rng = Rng.fromSeed(4);
    const n = 40;
    const t = 12;
    const logits = tf.tensor2d(
      Array.from({ length: n * t }, () => 2 * rng.normal()),
      [n, t],
    );
    const mask = Float32Array.from({ length: n * t }, () => (rng.uniform() < 0.6 ? 1 : 0));
    const labels = Float32Array.from(mask, (m) => (m ? (rng.uniform() < 0.3 ? 1 : 0) : Number.NaN));
    const lossAndGrad = (y: Float32Array) => {
      const yt = tf.tensor2d(y, [n, t]);
      const mt = tf.tensor2d(mask, [n, t]);
      const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => maskedBinaryCrossEntropy(x as tf.Tensor2D, yt, mt))(logits);
      const out = { loss: value.dataSync()[0] as number, grad: Array.from(grad.dataSync()) };
      tf.dispose([yt, mt, value, grad]);
      return out;
    };
    const base = lossAndGrad(labels);
    expect(Number.isFinite(base.loss)).toBe(true);
    for (const fill of [0, 1, Number.NaN]) {
      const perturbed = Float32Array.from(labels, (y, i) => (mask[i] ? y : fill));
      const other = lossAndGrad(perturbed);
      expect(other.loss).toBe(base.loss);
      expect(other.grad).toEqual(base.grad);
    }
    // The gradient is zero exactly where the label is missing.
    base.grad.forEach((g, i) => {
      if (!mask[i]) expect(g).toBe(0);
    });
    const measured = mask.indexOf(1);
    const flipped = Float32Array.from(labels, (y, i) => (i === measured ? 1 - y : y));
    expect(Math.abs(lossAndGrad(flipped).loss - base.loss)).toBeGreaterThan(1e-4);
  });
});

describe('rocAuc', () => {
  it('matches hand-counted pairs, ties counting one half', () => {
    // positives 0.9, 0.4; negatives 0.5, 0.4, 0.1: pairs won 1 + 1 + 1 + (0 + 0.5 + 1) = 4.5 of 6.
    expect(rocAuc([0.9, 0.5, 0.4, 0.4, 0.1], [1, 0, 1, 0, 0])).toBeCloseTo(4.5 / 6, 12);
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeNaN();
  });
});

describe('property heads on codes', () => {
  it('fit a logS-like target that is a function of the code (held-out RMSE well below the spread)', () => {
    const { codes, values } = randomCodes(500, 8, 1);
    const noise = Rng.fromSeed(2);
    const y = values.map((z) => -3 + 1.5 * Math.tanh(z[0] as number) - (z[1] as number) + 0.1 * noise.normal());
    const head = fitSolubilityHead(codes, y, { epochs: 300, seed: 1 });
    // Tolerance: the noise alone is 0.1; the spread of y is ≈ 1.4.
    expect(head.validation['rmse']).toBeLessThan(0.35);
    expect(head.validation['rmseOfMean']).toBeGreaterThan(1);
    const file = `${tempDir()}/solubility.json`;
    head.save(file);
    const loaded = PropertyHead.load(file);
    expect(Array.from(loaded.predict(codes).dataSync())).toEqual(Array.from(head.predict(codes).dataSync()));
    tf.dispose([codes]);
    head.dispose();
    loaded.dispose();
  });

  it('fit a multi-task classifier with most labels missing (mean held-out AUC > 0.9)', () => {
    const { codes, values } = randomCodes(600, 6, 3);
    const t = 3;
    const rng = Rng.fromSeed(5);
    const labels = new Float32Array(600 * t);
    const mask = new Uint8Array(600 * t);
    values.forEach((z, i) => {
      for (let j = 0; j < t; j++) {
        if (rng.uniform() < 0.5) {
          labels[i * t + j] = Number.NaN;
          continue;
        }
        mask[i * t + j] = 1;
        labels[i * t + j] = (z[j] as number) > 0.3 ? 1 : 0;
      }
    });
    const head = fitToxicityHead(codes, labels, mask, ['a', 'b', 'c'], { epochs: 300, seed: 1 });
    expect(head.validation['meanAuc']).toBeGreaterThan(0.9);
    const p = head.predict(codes).dataSync();
    for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
    tf.dispose([codes]);
    head.dispose();
  });

  it('refuses a head file with the wrong format or weight sizes (CHECKPOINT_ERROR)', () => {
    const head = new PropertyHead('solubility', 4, ['logS']);
    const json = head.toJSON();
    expect(() => PropertyHead.fromJSON({ ...json, format: 'x' } as never)).toThrow(/latentkit-property-head@1/);
    expect(() => PropertyHead.fromJSON({ ...json, weights: { ...json.weights, w1: [1, 2] } })).toThrow(/weights.w1 must be 256 finite numbers/);
    head.dispose();
  });
});
