import { initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectParity, input } from './parity.js';
import { nativeAvailable } from './available.js';

beforeAll(async () => {
  if (nativeAvailable) await initEngine({ backend: 'native' });
});

// 300 × 260 = 78 000 elements: above the size where the native kernels take over.
const big = input([300, 260], 1);

describe.skipIf(!nativeAvailable)('Sum, Max, Min and Mean', () => {
  it('sums a known tensor exactly: ones over the batch axis give the batch size', async () => {
    const s = tf.ones([300, 260]).sum(0);
    expect((await s.data()).every((v) => v === 300)).toBe(true);
  });

  it('matches cpu over every axis, with and without keepDims', async () => {
    for (const axis of [0, 1, [0, 1], -1]) {
      for (const keepDims of [false, true]) {
        await expectParity([big], (x) => [x.sum(axis, keepDims), x.max(axis, keepDims), x.min(axis, keepDims), x.mean(axis, keepDims)]);
      }
    }
    await expectParity([input([20, 30, 150], 2)], (x) => [x.sum([0, 2]), x.max(1, true), x.mean([1, 2])]);
  });

  it('matches cpu in the gradients of a dense layer bias and of softmax cross-entropy', async () => {
    await expectParity([big, input([300, 260], 3)], (logits, labels) =>
      tf.grad((l: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.softmax(labels.mul(4)), l))(logits),
    );
  });
});

describe.skipIf(!nativeAvailable)('Exp', () => {
  it('matches cpu on a large tensor', async () => {
    await expectParity([big], (x) => tf.exp(x.mul(10)), 1e-5);
  });
});
