import { initEngine } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_BACKEND } from '../src/index.js';
import { expectParity, input } from './parity.js';
import { NO_ADDON_MODE, PRODUCT_MODES, addonAvailable, useMode } from './addon-available.js';
import { nativeAvailable } from './available.js';

beforeAll(async () => {
  if (nativeAvailable) await initEngine({ backend: 'native' });
});

type Pad = 'same' | 'valid' | number;
const geometries: { x: number[]; f: number[]; stride: number; pad: Pad }[] = [
  { x: [4, 28, 28, 1], f: [3, 3, 1, 8], stride: 2, pad: 'same' },
  { x: [3, 15, 13, 5], f: [3, 3, 5, 6], stride: 2, pad: 'valid' },
  { x: [2, 11, 12, 4], f: [5, 3, 4, 7], stride: 1, pad: 'same' },
  { x: [2, 10, 9, 3], f: [3, 3, 3, 4], stride: 3, pad: 1 },
];
const label = (g: (typeof geometries)[number]) => `x ${g.x.join('×')}, filter ${g.f.join('×')}, stride ${g.stride}, pad ${g.pad}`;

// Every implementation: GEMMs over the compiled im2col/col2im patches (on the system BLAS, or on MLAS without one),
// and onnxruntime's Conv and ConvTranspose graphs when the addon is not built.
const modes = [...PRODUCT_MODES.map((m) => ({ ...m, name: `compiled patches, ${m.name}`, skip: m.skip || !addonAvailable })), NO_ADDON_MODE];

describe.each(modes)('$name', (mode) => {
  const { skip } = mode;
  useMode(mode, { beforeAll, afterAll });

  describe.skipIf(skip)('Conv2D', () => {
    it('computes a known convolution: a 2×2 box sum over ones is 4 inside and 2 or 1 on the same-padded edge', async () => {
      const y = tf.conv2d(tf.ones([1, 3, 3, 1]) as tf.Tensor4D, tf.ones([2, 2, 1, 1]) as tf.Tensor4D, 1, 'same');
      expect(tf.getBackend()).toBe(NATIVE_BACKEND);
      expect(Array.from(await y.data())).toEqual([4, 4, 2, 4, 4, 2, 2, 2, 1]);
    });

    for (const g of geometries) {
      it(`matches cpu: ${label(g)}`, async () => {
        await expectParity([input(g.x, 1), input(g.f, 2)], (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, g.stride, g.pad));
      });
    }

    it('matches cpu with dilation 2', async () => {
      await expectParity([input([2, 12, 12, 3], 3), input([3, 3, 3, 4], 4)], (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same', 'NHWC', 2));
    });

    it('matches cpu fused with bias and relu (FusedConv2D, what tf.layers.conv2d runs)', async () => {
      await expectParity([input([3, 14, 14, 8], 5), input([3, 3, 8, 16], 6), input([16], 7)], (x, f, bias) =>
        tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 2, pad: 'same', bias, activation: 'relu' }),
      );
    });
  });

  describe.skipIf(skip)('Conv2DBackpropInput', () => {
    for (const g of geometries) {
      it(`matches cpu as conv2dTranspose: ${label(g)}`, async () => {
        const out = g.x.slice(1, 3).map((d, i) => {
          const k = g.f[i] as number;
          if (g.pad === 'same') return Math.ceil(d / g.stride);
          if (g.pad === 'valid') return Math.floor((d - k) / g.stride) + 1;
          return Math.floor((d + 2 * g.pad - k) / g.stride) + 1;
        });
        const dy = input([g.x[0] as number, out[0] as number, out[1] as number, g.f[3] as number], 8);
        await expectParity([dy, input(g.f, 9)], (y, f) =>
          tf.conv2dTranspose(y as tf.Tensor4D, f as tf.Tensor4D, g.x as [number, number, number, number], g.stride, g.pad),
        );
      });
    }
  });

  describe.skipIf(skip)('Conv2DBackpropFilter and the gradients of a convolution', () => {
    for (const g of geometries) {
      it(`matches cpu (input and filter gradients): ${label(g)}`, async () => {
        await expectParity(
          [input(g.x, 10), input(g.f, 11)],
          (x, f) => tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, g.stride, g.pad).square()))([x, f]),
          2e-4,
        );
      });
    }

    it('matches cpu in the gradients of conv2dTranspose (what a decoder trains)', async () => {
      await expectParity(
        [input([4, 7, 7, 16], 12), input([3, 3, 8, 16], 13)],
        (y, f) =>
          tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.sum(tf.conv2dTranspose(a as tf.Tensor4D, w as tf.Tensor4D, [4, 14, 14, 8], 2, 'same').square()))([y, f]),
        2e-4,
      );
    });
  });
});
