import { initEngine, tf } from '@latentkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BINARY_OPS, UNARY_OPS } from '../src/addon.js';
import { MIN_ADDON_ELEMENTS } from '../src/kernels/elementwise.js';
import { NATIVE_BACKEND } from '../src/index.js';
import { INSTRUCTION_SETS, addonAvailable, useInstructionSet } from './addon-available.js';
import { expectParity, input } from './parity.js';

beforeAll(async () => {
  if (addonAvailable) await initEngine({ backend: 'native' });
});

const binaryOps: Record<(typeof BINARY_OPS)[number], (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  Add: tf.add,
  Sub: tf.sub,
  Multiply: tf.mul,
  RealDiv: tf.div,
  Maximum: tf.maximum,
  Minimum: tf.minimum,
  SquaredDifference: tf.squaredDifference,
};

const unaryOps: Record<(typeof UNARY_OPS)[number], (x: tf.Tensor) => tf.Tensor> = {
  Neg: tf.neg,
  Exp: tf.exp,
  Sqrt: (x) => tf.sqrt(tf.abs(x)),
  Rsqrt: (x) => tf.rsqrt(tf.abs(x).add(0.01)),
  Square: tf.square,
  Tanh: tf.tanh,
  Sigmoid: tf.sigmoid,
  Relu: tf.relu,
  Abs: tf.abs,
  Reciprocal: (x) => tf.reciprocal(x.add(3)),
};

/** Values in [-scale, scale), deterministic. */
const spread = (shape: number[], seed: number, scale: number) => {
  const x = input(shape, seed);
  return { shape, values: x.values.map((v) => v * scale) };
};

describe.each(INSTRUCTION_SETS)('%s loops', (isa) => {
  useInstructionSet(isa, { beforeAll, afterAll });

  describe.skipIf(!addonAvailable)('element-wise kernels on the compiled loops', () => {
    it('add above the size threshold (compiled loop) and below it (wasm)', async () => {
      const big = tf.ones([MIN_ADDON_ELEMENTS]);
      const small = tf.ones([8]);
      expect(Array.from(await tf.add(big, big).slice(0, 3).data())).toEqual([2, 2, 2]);
      expect(Array.from(await tf.add(small, small).slice(0, 3).data())).toEqual([2, 2, 2]);
      tf.dispose([big, small]);
    });

    // Shapes from the workloads: same shape; a bias row; a per-row column (softmax); a scalar; rank-3 against a row;
    // and a large one that the thread pool splits (≥ 2¹⁶ elements) with a row length that is not a multiple of 16.
    const shapes: [string, number[], number[]][] = [
      ['same shape', [64, 50], [64, 50]],
      ['bias row', [64, 500], [500]],
      ['column', [40, 301], [40, 1]],
      ['scalar first', [], [37, 41]],
      ['rank 3 by row', [7, 9, 33], [33]],
      ['split over threads', [301, 333], [301, 1]],
    ];
    for (const [op, f] of Object.entries(binaryOps)) {
      it.each(shapes)(`${op}: %s matches the cpu backend`, async (_, aShape, bShape) => {
        await expectParity(
          [spread(aShape, 1, 3), spread(bShape, 2, 3)],
          (a, b) => f(a as tf.Tensor, op === 'RealDiv' ? (b as tf.Tensor).abs().add(0.5) : (b as tf.Tensor)),
          1e-6,
        );
      });
    }

    for (const [op, f] of Object.entries(unaryOps)) {
      it(`${op} matches the cpu backend on [-20, 20] and on a tensor the thread pool splits`, async () => {
        await expectParity([spread([50, 41], 3, 20)], (x) => f(x as tf.Tensor), 1e-6);
        await expectParity([spread([300, 301], 4, 5)], (x) => f(x as tf.Tensor), 1e-6);
      });
    }

    it('exp is within 2 ulp of the float64 value from its underflow to its overflow, and exact at the ends', async () => {
      const n = 1 << 16;
      const xs = Float32Array.from({ length: n }, (_, i) => -103.9 + (192.6 * i) / (n - 1));
      const got = await tf.exp(tf.tensor1d(xs)).data();
      let worstUlp = 0;
      for (let i = 0; i < n; i++) {
        const want = Math.exp(xs[i] as number);
        const ulp = want < 1.1754944e-38 ? 1.4e-45 : 2 ** (Math.floor(Math.log2(want)) - 23);
        worstUlp = Math.max(worstUlp, Math.abs((got[i] as number) - want) / ulp);
      }
      expect(worstUlp).toBeLessThanOrEqual(2);
      const ends = await tf
        .exp(tf.tensor1d([...Array(MIN_ADDON_ELEMENTS - 5).fill(0), -200, 89, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN]))
        .data();
      expect(Array.from(ends.slice(-5))).toEqual([0, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 0, Number.NaN]);
    });

    it('tanh and sigmoid are within 3e-7 of the float64 values, saturate, and pass NaN through', async () => {
      const n = 1 << 14;
      const xs = Float32Array.from({ length: n }, (_, i) => -12 + (24 * i) / (n - 1));
      const [th, sg] = await Promise.all([tf.tanh(tf.tensor1d(xs)).data(), tf.sigmoid(tf.tensor1d(xs)).data()]);
      for (let i = 0; i < n; i++) {
        const x = xs[i] as number;
        expect(Math.abs((th[i] as number) - Math.tanh(x))).toBeLessThanOrEqual(3e-7 * Math.abs(Math.tanh(x)) + 1e-30);
        expect(Math.abs((sg[i] as number) - 1 / (1 + Math.exp(-x)))).toBeLessThanOrEqual(3e-7 / (1 + Math.exp(-x)));
      }
      const special = tf.tensor1d([...Array(MIN_ADDON_ELEMENTS - 3).fill(0), 1e4, -1e4, Number.NaN]);
      expect(Array.from((await tf.tanh(special).data()).slice(-3))).toEqual([1, -1, Number.NaN]);
      expect(Array.from((await tf.sigmoid(special).data()).slice(-3))).toEqual([1, 0, Number.NaN]);
    });

    it('maximum and minimum propagate NaN like the cpu backend', async () => {
      const a = [...Array(MIN_ADDON_ELEMENTS - 2).fill(1), Number.NaN, 2];
      const b = [...Array(MIN_ADDON_ELEMENTS - 2).fill(0), 5, Number.NaN];
      for (const f of [tf.maximum, tf.minimum]) {
        const got = Array.from((await f(tf.tensor1d(a), tf.tensor1d(b)).data()).slice(-2));
        await tf.setBackend('cpu');
        const want = Array.from((await f(tf.tensor1d(a), tf.tensor1d(b)).data()).slice(-2));
        await tf.setBackend(NATIVE_BACKEND);
        expect(got).toEqual(want);
      }
    });

    it('leaves int32 tensors to wasm', async () => {
      const a = tf.range(0, 4096, 1, 'int32');
      expect(Array.from((await tf.add(a, a).data()).slice(0, 3))).toEqual([0, 2, 4]);
      expect(tf.add(a, a).dtype).toBe('int32');
    });
  });
});
