import { initEngine, tf } from '@latentkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeAddon } from '../src/addon.js';
import { NATIVE_BACKEND } from '../src/index.js';
import { INSTRUCTION_SETS, addonAvailable, useInstructionSet } from './addon-available.js';
import { nativeAvailable } from './available.js';
import { expectParity, input } from './parity.js';

beforeAll(async () => {
  if (nativeAvailable) await initEngine({ backend: 'native' });
});

/** Five Adam steps on a small regression from the given start; returns the weights and both moments. */
function train(w0: tf.Tensor, b0: tf.Tensor, x: tf.Tensor, y: tf.Tensor): tf.Tensor[] {
  const w = tf.variable(w0.clone());
  const b = tf.variable(b0.clone());
  const optimizer = tf.train.adam(0.05, 0.8, 0.95, 1e-6);
  for (let step = 0; step < 5; step++) {
    optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.tanh(tf.matMul(x, w).add(b))) as tf.Scalar);
  }
  const out = [w.clone(), b.clone()];
  tf.dispose([w, b]);
  optimizer.dispose();
  return out;
}

describe.each(INSTRUCTION_SETS)('%s loops', (isa) => {
  useInstructionSet(isa, { beforeAll, afterAll });

  describe.skipIf(!nativeAvailable)('training with tf.train.adam on the native backend', () => {
    it('matches tfjs Adam on the cpu backend over five steps', async () => {
      await expectParity(
        [input([40, 30], 1), input([30], 2), input([64, 40], 3), input([64, 30], 4)],
        (w0, b0, x, y) => train(w0 as tf.Tensor, b0 as tf.Tensor, x as tf.Tensor, y as tf.Tensor),
        1e-5,
      );
    });

    it('takes the documented first step: −lr·sign(g) when the bias-corrected moments are g and g²', async () => {
      const w = tf.variable(tf.tensor1d([1, -2, 3]));
      const optimizer = tf.train.adam(0.1, 0.9, 0.999, 1e-8);
      optimizer.minimize(() => tf.sum(w.mul(tf.tensor1d([2, -0.5, 0]))) as tf.Scalar);
      expect(tf.getBackend()).toBe(NATIVE_BACKEND);
      const got = Array.from(await w.data());
      // g = [2, −0.5, 0]: m̂/√v̂ = sign(g) (0 for g = 0), so w − 0.1·sign(g). To 5 decimals: tfjs keeps β₂ᵗ in
      // float32, and 1 − float32(0.999) is 1.3e-5 off 0.001, which moves the step by 7e-7.
      for (const [i, want] of [0.9, -1.9, 3].entries()) expect(got[i]).toBeCloseTo(want, 5);
      optimizer.dispose();
      w.dispose();
    });
  });
});

describe.skipIf(!addonAvailable)('tf.train.adam as one fused kernel for all variables', () => {
  it('replaces the fourteen element-wise ops of each update (no Sqrt or RealDiv in the step)', async () => {
    const w = tf.variable(tf.ones([300, 7]));
    const optimizer = tf.train.adam(0.01);
    optimizer.minimize(() => tf.sum(w.square()) as tf.Scalar); // first step creates the moments
    const { kernels } = await tf.profile(() => {
      optimizer.minimize(() => tf.sum(w.square()) as tf.Scalar);
    });
    const names = kernels.map((k) => k.name);
    expect(names).not.toContain('Sqrt');
    expect(names).not.toContain('RealDiv');
    tf.dispose([w]);
    optimizer.dispose();
  });

  it('updates every variable of a step in one kernel call', async () => {
    const [w, b] = [tf.variable(tf.ones([300, 7])), tf.variable(tf.zeros([7]))];
    const optimizer = tf.train.adam(0.01);
    const loss = () =>
      tf.sum(
        tf
          .matMul(tf.ones([2, 300]), w)
          .add(b)
          .square(),
      ) as tf.Scalar;
    optimizer.minimize(loss);
    const { kernels } = await tf.profile(() => {
      optimizer.minimize(loss);
    });
    expect(kernels.filter((k) => k.name === 'LatentkitFusedAdam').map((k) => k.inputShapes)).toEqual([
      [[300, 7], [300, 7], [300, 7], [300, 7], [7], [7], [7], [7]],
    ]);
    tf.dispose([w, b]);
    optimizer.dispose();
  });

  it('rejects a tensor list that points outside the heap, naming the variable', () => {
    const heap = new ArrayBuffer(64);
    const addon = nativeAddon() as NonNullable<ReturnType<typeof nativeAddon>>;
    expect(() => addon.adam(heap, Float64Array.from([0, 0, 0, 0, 0, 0, 0, 4, 0, 16, 32, 48, 60, 0, 0, 2]), 0.1, 0.9, 0.999, 1e-7, 0.1, 0.001)).toThrow(
      /variable 1: tensor 4 lies outside the buffer/,
    );
    expect(() => addon.adam(heap, new Float64Array(7), 0.1, 0.9, 0.999, 1e-7, 0.1, 0.001)).toThrow(/8 numbers per variable/);
  });

  it('matches tfjs Adam on the cpu backend for a variable the thread pool splits', async () => {
    await expectParity(
      [input([300, 301], 5), input([300, 301], 6)],
      (w0, target) => {
        const w = tf.variable((w0 as tf.Tensor).clone());
        const optimizer = tf.train.adam(0.01, 0.9, 0.99, 1e-7);
        for (let step = 0; step < 3; step++) optimizer.minimize(() => tf.sum(tf.squaredDifference(w, target as tf.Tensor).mul(tf.abs(w))) as tf.Scalar);
        const out = w.clone();
        w.dispose();
        optimizer.dispose();
        return out;
      },
      1e-5,
    );
  });

  it('never writes into a buffer another tensor shares (a variable made from a tensor shares it)', async () => {
    const initial = tf.tensor1d([1, 2, 3]);
    const w = tf.variable(initial); // shares initial's buffer until its first assign
    const optimizer = tf.train.adam(0.5);
    optimizer.minimize(() => tf.sum(w) as tf.Scalar);
    expect(Array.from(await initial.data())).toEqual([1, 2, 3]);
    for (const [i, want] of [0.5, 1.5, 2.5].entries()) expect((await w.data())[i]).toBeCloseTo(want, 6);
    tf.dispose([initial, w]);
    optimizer.dispose();
  });

  it('keeps the optimizer state tfjs keeps, so getWeights/setWeights resume the same run', async () => {
    const run = async (split: boolean) => {
      const w = tf.variable(tf.tensor1d([0.3, -0.7, 1.1]));
      let optimizer = tf.train.adam(0.1);
      const f = () => tf.sum(w.mul(w).mul(tf.tensor1d([1, 2, 3]))) as tf.Scalar;
      for (let step = 0; step < 6; step++) {
        if (split && step === 3) {
          const weights = await optimizer.getWeights();
          const saved = weights.map((x) => ({ name: x.name, tensor: x.tensor.clone() }));
          optimizer.dispose();
          optimizer = tf.train.adam(0.1);
          await optimizer.setWeights(saved);
        }
        optimizer.minimize(f);
      }
      const names = (await optimizer.getWeights()).map((x) => x.name);
      const values = Array.from(await w.data());
      optimizer.dispose();
      w.dispose();
      return { names, values };
    };
    const whole = await run(false);
    const resumed = await run(true);
    expect(whole.names).toEqual(['iter', expect.stringMatching(/\/m$/), expect.stringMatching(/\/v$/)]);
    for (const [i, v] of whole.values.entries()) expect(resumed.values[i]).toBeCloseTo(v, 6);
  });
});
