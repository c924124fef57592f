import { initEngine, tf } from '@latentkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_ADDON_MODE, addonAvailable, useMode } from './addon-available.js';
import { nativeAvailable } from './available.js';
import { expectParity, input } from './parity.js';

beforeAll(async () => {
  if (nativeAvailable) await initEngine({ backend: 'native' });
});

// The compiled row loops, and the fallbacks (wasm's gather, core's scatter-add) where the addon is off.
describe.each([{ name: 'compiled row loops', env: {}, skip: !addonAvailable }, NO_ADDON_MODE])('$name', (mode) => {
  useMode(mode, { beforeAll, afterAll });

  describe.skipIf(mode.skip)('GatherV2 and UnsortedSegmentSum', () => {
    it('gathers known rows and sums known segments', async () => {
      const x = tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      expect(await tf.gather(x, [2, 0, 2]).array()).toEqual([
        [5, 6],
        [1, 2],
        [5, 6],
      ]);
      expect(await tf.unsortedSegmentSum(x, tf.tensor1d([1, 1, 0], 'int32'), 3).array()).toEqual([
        [5, 6],
        [4, 6],
        [0, 0],
      ]);
    });

    it('matches cpu for an embedding lookup, gathers along inner axes and int32 values', async () => {
      const table = input([300, 40], 1);
      const ids = Int32Array.from({ length: 35 * 32 }, (_, i) => (i * 7919) % 300);
      await expectParity([table], (t) => tf.gather(t, tf.tensor2d(ids, [35, 32], 'int32')));
      await expectParity([input([6, 50, 7], 2)], (t) => [
        tf.gather(t, [49, 0, 3, 3], 1),
        tf.gather(t, [6, 1], 2),
        tf.gather(t.mul(100).toInt(), [1, 1, 0], 1).toFloat(),
      ]);
    });

    it('matches cpu in the gradient of an embedding lookup (repeated ids summed)', async () => {
      const ids = tf.tensor1d(
        Int32Array.from({ length: 2000 }, (_, i) => (i * i) % 97),
        'int32',
      );
      await expectParity([input([97, 64], 3)], (t) =>
        tf.grad((e: tf.Tensor) =>
          tf
            .gather(e, ids)
            .mul(tf.range(0, 64).reshape([1, 64]))
            .sum(),
        )(t),
      );
    });

    it('drops segment ids outside [0, numSegments), as tfjs does', async () => {
      const data = input([6, 70, 3], 4);
      await expectParity([data], (d) => tf.unsortedSegmentSum(d, tf.tensor1d([0, -1, 4, 2, 9, 2], 'int32'), 5));
    });

    it('rejects an index outside the table, naming it, like the wasm kernel', () => {
      expect(() => tf.gather(tf.ones([4, 3]), [1, 4]).dataSync()).toThrow();
    });
  });
});
