import { initEngine, tf } from '@latentkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_BACKEND } from '../src/index.js';
import { compiledKernels } from '../src/runtime.js';
import { NO_ADDON_MODE, PRODUCT_MODES, useMode } from './addon-available.js';
import { nativeAvailable } from './available.js';
import { expectParity, input } from './parity.js';

beforeAll(async () => {
  if (nativeAvailable) await initEngine({ backend: 'native' });
});

describe.each([...PRODUCT_MODES, NO_ADDON_MODE])('$name', (mode) => {
  useMode(mode, { beforeAll, afterAll });

  describe.skipIf(mode.skip)('BatchMatMul', () => {
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

    it('is exact where batch dimensions broadcast against each other: ones[2,1,40,50] · ones[1,3,50,30] = 50', async () => {
      // tfjs's cpu backend gets this case wrong (it returns 3 of the 6 products), so the check is against the known answer.
      const y = tf.matMul(tf.ones([2, 1, 40, 50]), tf.ones([1, 3, 50, 30]));
      expect(y.shape).toEqual([2, 3, 40, 30]);
      expect((await y.data()).every((v) => v === 50)).toBe(true);
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

  describe.skipIf(mode.skip)('_FusedMatMul', () => {
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
        tf.fused.matMul({
          a: a as tf.Tensor2D,
          b: b as tf.Tensor2D,
          transposeA: true,
          transposeB: true,
          bias,
          activation: 'prelu',
          preluActivationWeights: alpha,
        }),
      );
    });

    it('matches cpu with a per-row bias, a full bias and a batch', async () => {
      await expectParity([input([64, 100], 27), input([100, 90], 28), input([64, 1], 29)], (a, b, bias) =>
        tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation: 'sigmoid' }),
      );
      await expectParity([input([64, 100], 30), input([90, 100], 31), input([64, 90], 32)], (a, b, bias) =>
        tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeB: true, bias, activation: 'relu' }),
      );
      await expectParity([input([3, 40, 100], 33), input([3, 100, 50], 34), input([50], 35)], (a, b, bias) =>
        tf.fused.matMul({ a: a as tf.Tensor3D, b: b as tf.Tensor3D, bias }),
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

  it.skipIf(mode.skip || mode.env.LATENTKIT_NATIVE_ADDON !== undefined)('compiles onnxruntime kernels for products only without a system BLAS', async () => {
    const before = compiledKernels().length;
    // Batched, both transposed: a kernel configuration no other test compiles.
    const y = tf.tidy(() => tf.matMul(tf.ones([2, 96, 128]), tf.ones([2, 112, 96]), true, true).sum());
    expect(await y.data()).toEqual(new Float32Array([2 * 128 * 112 * 96]));
    const compiled = compiledKernels().slice(before);
    if (mode.env.LATENTKIT_BLAS === 'none') expect(compiled).toEqual(['FusedMatMul']);
    else expect(compiled).toEqual([]);
  });
});
