import { initEngine, tf } from '@latentkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reductionPlan } from '../src/kernels/reduce.js';
import { INSTRUCTION_SETS, NO_ADDON_MODE, addonAvailable, useInstructionSet, useMode } from './addon-available.js';
import { nativeAvailable } from './available.js';
import { expectParity, input } from './parity.js';

beforeAll(async () => {
  if (nativeAvailable) await initEngine({ backend: 'native' });
});

// 300 × 260 = 78 000 elements: above the size where the native kernels take over.
const big = input([300, 260], 1);

describe('reductionPlan', () => {
  it('views contiguous reduced axes as [outer, r, inner], ignoring axes of size 1', () => {
    expect(reductionPlan([1120, 10000], [1])).toEqual({ outer: 1120, r: 10000, inner: 1 });
    expect(reductionPlan([1120, 10000], [0])).toEqual({ outer: 1, r: 1120, inner: 10000 });
    expect(reductionPlan([4, 5, 6, 7], [1, 2])).toEqual({ outer: 4, r: 30, inner: 7 });
    expect(reductionPlan([1, 64, 2000], [0, 1])).toEqual({ outer: 1, r: 64, inner: 2000 });
    expect(reductionPlan([64, 1, 50], [0, 2])).toEqual({ outer: 1, r: 3200, inner: 1 });
    expect(reductionPlan([3, 1, 5], [1])).toEqual({ outer: 15, r: 1, inner: 1 });
  });

  it('refuses reduced axes that are not one run', () => {
    expect(reductionPlan([20, 30, 150], [0, 2])).toBeUndefined();
  });
});

const modes = [
  ...INSTRUCTION_SETS.map((isa) => ({ name: `compiled ${isa} loops`, env: {}, skip: !addonAvailable, isa })),
  { ...NO_ADDON_MODE, isa: 'none' as const },
];

describe.each(modes)('$name', (mode) => {
  useMode(mode, { beforeAll, afterAll });
  useInstructionSet(mode.isa, { beforeAll, afterAll });

  describe.skipIf(mode.skip)('Sum, Max, Min and Mean', () => {
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
      await expectParity([input([1, 64, 2000], 4)], (x) => [x.sum([0, 1]), x.max(2), x.min([0, 1, 2])]);
    });

    it('sums a long row to within float32 rounding of the exact sum', async () => {
      // 100 003 values k/7 mod 1: the float64 sum of the float32 values is the reference.
      const values = Float32Array.from({ length: 100_003 }, (_, k) => (k / 7) % 1);
      const exact = values.reduce((s, v) => s + v, 0);
      const [row, column] = await Promise.all([tf.tensor2d(values, [1, values.length]).sum(1).data(), tf.tensor2d(values, [values.length, 1]).sum(0).data()]);
      expect(Math.abs((row[0] as number) - exact) / exact).toBeLessThan(2 ** -23);
      expect(Math.abs((column[0] as number) - exact) / exact).toBeLessThan(2 ** -23);
    });

    it('lets NaN win in max and min, as the cpu backend does', async () => {
      const values = new Float32Array(300 * 260).fill(1);
      values[5 * 260 + 7] = Number.NaN;
      const x = tf.tensor2d(values, [300, 260]);
      for (const axis of [0, 1]) {
        const [max, min] = await Promise.all([x.max(axis).data(), x.min(axis).data()]);
        expect(Number.isNaN(max[axis === 0 ? 7 : 5] as number)).toBe(true);
        expect(Number.isNaN(min[axis === 0 ? 7 : 5] as number)).toBe(true);
        expect(max.filter((v) => Number.isNaN(v)).length).toBe(1);
      }
    });

    it('matches cpu in the gradients of a dense layer bias and of softmax cross-entropy', async () => {
      await expectParity([big, input([300, 260], 3)], (logits, labels) =>
        tf.grad((l: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.softmax(labels.mul(4)), l))(logits),
      );
    });
  });
});

describe.skipIf(!nativeAvailable)('Exp', () => {
  it('matches cpu on a large tensor', async () => {
    await expectParity([big], (x) => tf.exp(x.mul(10)), 1e-5);
  });
});
