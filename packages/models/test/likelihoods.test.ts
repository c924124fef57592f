/** The likelihoods against the textbook formulas, evaluated in plain JavaScript doubles. */
import { initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bernoulliNll, gaussianNll, multinomialNll, sequenceNll } from '../src/index.js';
import { pickColumns } from '../src/likelihoods.js';
import { expectClose } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const sigmoid = (l: number) => 1 / (1 + Math.exp(-l));
const logSoftmax = (row: number[]) => {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
};

describe('likelihoods', () => {
  it('bernoulliNll is −x log σ(l) − (1−x) log(1−σ(l)) summed, stable for large logits', () => {
    const logits = [
      [0, 2, -3, 30],
      [-40, 1.5, 0.25, -0.5],
    ];
    const x = [
      [1, 0, 0.5, 1],
      [0, 1, 0.2, 0],
    ];
    const want = logits.map((row, i) =>
      row.reduce((a, l, j) => {
        const xi = (x[i] as number[])[j] as number;
        // log σ(l) = −log(1+e^−l); log(1−σ(l)) = −log(1+e^l): exact in doubles for these magnitudes.
        return a + xi * Math.log1p(Math.exp(-l)) + (1 - xi) * Math.log1p(Math.exp(l));
      }, 0),
    );
    const got = bernoulliNll(tf.tensor2d(logits), tf.tensor2d(x)).arraySync();
    expectClose(got, want, 4);
    expect(sigmoid(0)).toBe(0.5);
  });

  it('gaussianNll is the unit-variance normal NLL with its constant', () => {
    const mean = [[0.5, -1, 2]];
    const x = [[0, 1, 2.5]];
    const want = [0.25, 4, 0.25].reduce((a, d) => a + 0.5 * d + 0.5 * Math.log(2 * Math.PI), 0);
    expect(gaussianNll(tf.tensor2d(mean), tf.tensor2d(x)).arraySync()[0]).toBeCloseTo(want, 5);
  });

  it('multinomialNll is −Σ count·log softmax', () => {
    const logits = [
      [1, 0, -1, 2],
      [0, 0, 0, 0],
    ];
    const counts = [
      [2, 0, 1, 3],
      [1, 1, 1, 5],
    ];
    const want = logits.map((row, i) => -logSoftmax(row).reduce((a, lp, j) => a + lp * ((counts[i] as number[])[j] as number), 0));
    const got = multinomialNll(tf.tensor2d(logits), tf.tensor2d(counts)).arraySync();
    expectClose(got, want, 4);
    // Uniform logits: 8 words × log 4.
    expect(got[1]).toBeCloseTo(8 * Math.log(4), 4);
  });

  it('sequenceNll picks each target, sums over unmasked steps only', () => {
    const logits = [
      [
        [2, 0, 0],
        [0, 1, 0],
        [9, 9, 9],
      ],
      [
        [0, 0, 3],
        [1, 2, 3],
        [0.5, 0, 0],
      ],
    ];
    const targets = [
      [0, 1, 2],
      [2, 0, 0],
    ];
    const mask = [
      [1, 1, 0],
      [1, 1, 1],
    ];
    const want = logits.map((seq, i) =>
      seq.reduce((a, row, t) => a - ((mask[i] as number[])[t] as number) * (logSoftmax(row)[(targets[i] as number[])[t] as number] as number), 0),
    );
    const got = sequenceNll(tf.tensor3d(logits), tf.tensor2d(targets, undefined, 'int32'), tf.tensor2d(mask)).arraySync();
    expectClose(got, want, 4);
  });

  it('pickColumns by flat gather equals the one-hot product, in value and in gradient (1 − … at the picked entries only)', async () => {
    const rows = tf.tensor2d([
      [0.5, -1, 2, 0],
      [3, 1, -2, 4],
      [-0.5, 0, 0.25, 1],
    ]);
    const targets = tf.tensor1d([2, 0, 3], 'int32');
    const weights = tf.tensor1d([1, -2, 3]);
    for (const limit of [2 ** 31, 0]) {
      expect(pickColumns(rows, targets, limit).arraySync()).toEqual([2, 3, 1]);
      const grad = tf.grad(
        (r: tf.Tensor) =>
          pickColumns(r as tf.Tensor2D, targets, limit)
            .mul(weights)
            .sum() as tf.Scalar,
      )(rows);
      // + 0 turns the one-hot path's −0 (0 × −2) into 0.
      expect(grad.add(0).arraySync()).toEqual([
        [0, 0, 1, 0],
        [-2, 0, 0, 0],
        [0, 0, 0, 3],
      ]);
    }
  });
});
