import { initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectParity, input } from './parity.js';
import { nativeAvailable } from './available.js';

beforeAll(async () => {
  if (nativeAvailable) await initEngine({ backend: 'native' });
});

describe.skipIf(!nativeAvailable)('Slice, SplitV and Unpack on heap views', () => {
  it('slices a known matrix', async () => {
    const x = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(await x.slice([1, 1], [2, 2]).array()).toEqual([
      [5, 6],
      [8, 9],
    ]);
    expect(await x.slice([0, 2], [3, 1]).array()).toEqual([[3], [6], [9]]);
  });

  it('matches cpu on contiguous, strided and rank-4 boxes, int32 and bool included', async () => {
    const x = input([5, 6, 7, 3], 1);
    await expectParity([x], (t) => [t.slice([1, 0, 0, 0], [3, 6, 7, 3]), t.slice([0, 2, 1, 0], [5, 3, 4, 3]), t.slice([4, 5, 6, 2], [1, 1, 1, 1])]);
    await expectParity([x], (t) => [t.greater(0).slice([1, 1, 1, 0], [2, 2, 2, 2]).toFloat(), t.mul(100).toInt().slice([0, 3], [2, 2]).toFloat()]);
  });

  it('matches cpu in split (equal and uneven, any axis) and in its gradient', async () => {
    const x = input([4, 12, 5], 2);
    await expectParity([x], (t) => [...tf.split(t, 4, 1), ...tf.split(t, [1, 3], 0), ...tf.split(t, [2, 1, 2], 2)]);
    await expectParity([x], (t) => tf.grad((a: tf.Tensor) => tf.split(a, 3, 1).reduce((s, p, i) => s.add(p.sum().mul(i + 1)), tf.scalar(0)))(t));
  });

  it('matches cpu in unstack along every axis and in its gradient', async () => {
    const x = input([3, 4, 5], 3);
    for (const axis of [0, 1, 2, -1]) await expectParity([x], (t) => tf.unstack(t, axis));
    await expectParity([x], (t) =>
      tf.grad((a: tf.Tensor) =>
        tf.unstack(a).reduce(
          (s, p, i) =>
            s.add(
              p
                .square()
                .sum()
                .mul(i + 1),
            ),
          tf.scalar(0),
        ),
      )(t),
    );
  });
});

describe.skipIf(!nativeAvailable)('Identity and Cast', () => {
  it('share the buffer for the same dtype and cast across dtypes (to bool: x ≠ 0) as cpu does', async () => {
    const x = tf.tensor([1.5, -2.25, 3]);
    const same = tf.cast(x, 'float32');
    const copy = tf.clone(x);
    x.dispose();
    expect(Array.from(await same.data())).toEqual([1.5, -2.25, 3]);
    expect(Array.from(await copy.data())).toEqual([1.5, -2.25, 3]);
    await expectParity([input([300, 7], 5)], (t) => [
      tf.cast(t.mul(10), 'int32').toFloat(),
      tf.cast(t, 'bool').toFloat(),
      tf.cast(t.mul(10).floor(), 'bool').toFloat(),
      tf.cast(t, 'float32'),
    ]);
  });
});

describe.skipIf(!nativeAvailable)('Concat and Pack as heap copies', () => {
  it('concatenates and stacks known matrices', async () => {
    const a = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const b = tf.tensor2d([[5], [6]]);
    expect(await tf.concat([a, b], 1).array()).toEqual([
      [1, 2, 5],
      [3, 4, 6],
    ]);
    expect(await tf.stack([a, a.neg()], 1).array()).toEqual([
      [
        [1, 2],
        [-1, -2],
      ],
      [
        [3, 4],
        [-3, -4],
      ],
    ]);
  });

  it('matches cpu along every axis, with an empty input, int32 and bool, and in the gradients', async () => {
    const [x, y] = [input([3, 4, 5], 4), input([3, 2, 5], 5)];
    await expectParity([x, y], (a, b) => [tf.concat([a, b, a], 1), tf.concat([a, a], 0), tf.concat([a, a.neg()], 2), tf.concat([a, tf.zeros([3, 0, 5])], 1)]);
    for (const axis of [0, 1, 2, 3, -1]) await expectParity([x], (a) => tf.stack([a, a.mul(2), a.neg()], axis));
    await expectParity([x], (a) => [tf.concat([a.greater(0), a.less(0.5)], 1).toFloat(), tf.stack([a.mul(10).toInt(), a.mul(-10).toInt()]).toFloat()]);
    await expectParity([x, y], (a, b) => tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.concat([p, q], 1).square().sum())([a, b]));
    await expectParity([x], (a) =>
      tf.grad((p: tf.Tensor) =>
        tf
          .stack([p, p.mul(3)], 1)
          .square()
          .sum(),
      )(a),
    );
  });
});

describe.skipIf(!nativeAvailable)('Tile', () => {
  it('broadcasts a known column', async () => {
    expect(await tf.broadcastTo(tf.tensor2d([[1], [2]]), [2, 3]).array()).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
  });

  it('matches cpu where it is a broadcast (compiled copy) and where it repeats whole blocks (wasm)', async () => {
    await expectParity([input([1, 1], 6), input([64, 1], 7), input([1, 2000], 8), input([3, 1, 5], 9)], (s, c, r, t) => [
      tf.broadcastTo(s, [64, 2000]),
      tf.broadcastTo(c, [64, 2000]),
      tf.broadcastTo(r, [64, 2000]),
      tf.broadcastTo(t, [2, 3, 40, 5]),
      tf.tile(t, [2, 3, 4]),
      tf.tile(t.mul(100).toInt(), [1, 30, 1]).toFloat(),
    ]);
  });
});
