import { initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_BACKEND } from '../src/index.js';
import { expectParity, input } from './parity.js';
import { nativeAvailable } from './available.js';

beforeAll(async () => {
  if (nativeAvailable) await initEngine({ backend: 'native' });
});

describe.skipIf(!nativeAvailable)('BatchMatMul', () => {
  it('is exact on a product whose answer is known: ones[m,k] · ones[k,n] = k', async () => {
    const y = tf.matMul(tf.ones([70, 90]), tf.ones([90, 80]));
    expect(tf.getBackend()).toBe(NATIVE_BACKEND);
    const values = await y.data();
    expect(values.length).toBe(70 * 80);
    expect(values.every((v) => v === 90)).toBe(true);
  });

  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matches cpu on 2-D operands, transposeA=${ta} transposeB=${tb}`, async () => {
      const a = input(ta ? [90, 70] : [70, 90], 1);
      const b = input(tb ? [80, 90] : [90, 80], 2);
      await expectParity([a, b], (x, w) => tf.matMul(x, w, ta, tb));
    });
  }

  it('matches cpu with batch dimensions, broadcasting and transposes', async () => {
    await expectParity([input([3, 60, 70], 3), input([80, 70], 4)], (a, b) => tf.matMul(a, b, false, true));
    await expectParity([input([2, 3, 50, 60], 5), input([2, 3, 50, 70], 6)], (a, b) => tf.matMul(a, b, true, false));
    await expectParity([input([5, 40, 60], 23), input([1, 60, 70], 24)], (a, b) => tf.matMul(a, b));
    await expectParity([input([1, 64, 128], 7), input([1, 128, 96], 8)], (a, b) => tf.matMul(a, b));
  });

  it('matches cpu below the size where it hands over to wasm', async () => {
    await expectParity([input([4, 5], 9), input([5, 3], 10)], (a, b) => tf.matMul(a, b));
  });

  it('matches cpu in gradients (both operands, through a nonlinearity)', async () => {
    await expectParity([input([64, 200], 11), input([200, 96], 12)], (a, b) =>
      tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.tanh(tf.matMul(x, w))))([a, b]),
    );
  });
});

describe.skipIf(!nativeAvailable)('_FusedMatMul', () => {
  const activations = ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid'] as const;
  for (const activation of activations) {
    it(`matches cpu with bias and ${activation}`, async () => {
      await expectParity([input([64, 100], 13), input([100, 90], 14), input([90], 15)], (a, b, bias) =>
        tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation, leakyreluAlpha: 0.3 }),
      );
    });
  }

  it('matches cpu with prelu, a 2-D bias and transposes', async () => {
    await expectParity([input([100, 64], 16), input([90, 100], 17), input([1, 90], 18), input([90], 19)], (a, b, bias, alpha) =>
      tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeA: true, transposeB: true, bias, activation: 'prelu', preluActivationWeights: alpha }),
    );
  });

  it('matches cpu in the gradients of a dense layer (kernel, bias and input)', async () => {
    await expectParity([input([64, 200], 20), input([200, 96], 21), input([96], 22)], (x, w, bias) =>
      tf.grads((a: tf.Tensor, k: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.fused.matMul({ a: a as tf.Tensor2D, b: k as tf.Tensor2D, bias: b, activation: 'relu' }).square()),
      )([x, w, bias]),
    );
  });
});
