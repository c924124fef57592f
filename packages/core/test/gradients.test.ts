import { beforeAll, describe, expect, it } from 'vitest';
import { meanGradient, sumGradient } from '../src/gradients/reduction-grads.js';
import { initEngine, tf } from '../src/index.js';

beforeAll(async () => {
  await initEngine({ backend: 'wasm' });
});

const x = () =>
  tf.tensor3d(
    Float32Array.from({ length: 24 }, (_, i) => Math.sin(i) * 3),
    [2, 3, 4],
  );

describe('Sum and Mean gradients as broadcasts', () => {
  it('are the ones registered after initEngine', () => {
    expect(tf.getGradient(tf.Sum)).toBe(sumGradient);
    expect(tf.getGradient(tf.Mean)).toBe(meanGradient);
  });

  it('give dy spread over the reduced axes, for every axis choice and keepDims', async () => {
    const weights = tf.tensor1d([1, -2, 0.5, 4]);
    const rowWeights = tf.tensor3d([1, 2, 3, 4, 5, 6], [2, 3, 1]);
    const cases: [(t: tf.Tensor) => tf.Scalar, tf.Tensor][] = [
      [(t) => tf.sum(t).mul(3), tf.fill([2, 3, 4], 3)],
      [(t) => tf.sum(tf.sum(t, 2)), tf.ones([2, 3, 4])],
      [(t) => tf.sum(tf.sum(t, [0, 1], true).mul(weights)), tf.broadcastTo(weights, [2, 3, 4])],
      [(t) => tf.sum(tf.sum(t, -1, true).mul(rowWeights)), tf.broadcastTo(rowWeights, [2, 3, 4])],
    ];
    for (const [f, expected] of cases) expect(Array.from(await tf.grad(f)(x()).data())).toEqual(Array.from(await expected.data()));
  });

  it('divide by the count for Mean, bit for bit as tfjs computes dy · 1 / n', async () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mean(t, [0, 2]).mul(tf.tensor1d([3, 7, 11]))))(x());
    const want = [3, 7, 11].map((c) => Math.fround(c / 8));
    const planes = (await g.array()) as number[][][];
    expect(planes).toEqual([0, 1].map(() => want.map((w) => new Array(4).fill(w))));
  });

  it('have gradients of their own (second derivatives through the broadcast)', async () => {
    // f(t) = Σ (Σ_axis2 t)²; ∂f/∂t = 2·rowSum broadcast; the sum of that has gradient 2·4 = 8 everywhere.
    const outer = tf.grad((t: tf.Tensor) => tf.sum(tf.grad((u: tf.Tensor) => tf.sum(tf.square(tf.sum(u, 2))))(t)))(x());
    expect(Array.from(await outer.data())).toEqual(new Array(24).fill(8));
  });
});
