import { LSTM_CELL, LSTM_CELL_GRAD, initEngine, lstmSequence, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_BACKEND } from '../src/index.js';
import { addonAvailable } from './addon-available.js';
import { nativeAvailable } from './available.js';
import { expectParity, input } from './parity.js';

beforeAll(async () => {
  if (nativeAvailable) await initEngine({ backend: 'native' });
});

// The compiled LSTM cell against core's tf-ops cell on the cpu backend (which has no LSTM_CELL kernel).
describe.skipIf(!addonAvailable)('compiled LSTM cell kernels', () => {
  it('are registered on the native backend and not on cpu', () => {
    expect(tf.getKernel(LSTM_CELL, NATIVE_BACKEND)).toBeDefined();
    expect(tf.getKernel(LSTM_CELL_GRAD, NATIVE_BACKEND)).toBeDefined();
    expect(tf.getKernel(LSTM_CELL, 'cpu')).toBeUndefined();
  });

  describe.each(['hardSigmoid', 'sigmoid'] as const)('%s gates', (gate) => {
    // Odd widths (no whole vector of lanes) and a batch big enough to be split over the pool.
    it.each([
      [3, 5, 4, 7],
      [40, 6, 9, 300],
    ])('lstmSequence of batch %i, %i steps, input %i, %i units matches the tf-ops cell forward and in every gradient', async (batch, time, inputs, units) => {
      const args = [
        input([batch, time, inputs], 1),
        input([batch, units], 2),
        input([batch, units], 3),
        input([inputs, 4 * units], 4),
        input([units, 4 * units], 5),
        input([4 * units], 6),
        input([batch, time, units], 7),
      ];
      // ×3 on the input side, so that the hard sigmoid saturates on some gates; U / √units keeps h·U of order 1, so
      // that the products' summation order (BLAS against cpu) stays far below the tolerance.
      const run = (x: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor, k: tf.Tensor, r: tf.Tensor, b: tf.Tensor) =>
        lstmSequence(
          x.mul(3) as tf.Tensor3D,
          h0 as tf.Tensor2D,
          c0 as tf.Tensor2D,
          { kernel: k as tf.Tensor2D, recurrentKernel: r.mul(1 / Math.sqrt(units)) as tf.Tensor2D, bias: b.mul(3) as tf.Tensor1D },
          gate,
        );
      await expectParity(
        args,
        (x, h0, c0, k, r, b, w) => {
          const out = run(x!, h0!, c0!, k!, r!, b!);
          const grads = tf.grads((...xs: tf.Tensor[]) => {
            const o = run(xs[0]!, xs[1]!, xs[2]!, xs[3]!, xs[4]!, xs[5]!);
            return tf.sum(o.sequence.mul(w!)).add(tf.sum(o.c)) as tf.Scalar;
          })([x!, h0!, c0!, k!, r!, b!]);
          return [out.sequence, out.h, out.c, ...grads];
        },
        2e-5,
      );
    });
  });
});
