import { Rng, tf } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { type Model, createModel } from '../src/index.js';

describe('RGB and non-square images', () => {
  it('image-mlp and image-conv take height, width and channels; size keeps working', () => {
    const own = { imageMlp: { hiddenDims: [16] }, imageConv: { filters: [4, 8], denseDim: 12 } };
    for (const kind of ['imageMlp', 'imageConv'] as const) {
      const model = createModel(
        { kind, height: 8, width: 12, channels: 3, ...own[kind], bottleneck: { kind: 'gaussian', latentDim: 3 } } as Parameters<typeof createModel>[0],
        { seed: 1 },
      ) as unknown as Model;
      expect(model.config).toMatchObject({ height: 8, width: 12, channels: 3 });
      expect((model.config as { size?: number }).size).toBeUndefined();
      const rng = Rng.fromSeed(2);
      const batch = { size: 5, pixels: Float32Array.from({ length: 5 * 8 * 12 * 3 }, () => rng.uniform()) };
      const out = tf.tidy(() => model.decode(model.encode(batch as never).code).shape);
      expect(out).toEqual([5, 8 * 12 * 3]);
      expect(model.units(batch as never)).toBe(5 * 288);
      model.dispose();
    }
    // An old config's size is the side of a square grey image, and resolves to the same config again.
    const old = createModel({ kind: 'imageMlp', size: 8, hiddenDims: [4], bottleneck: { kind: 'identity' } });
    expect(old.config).toMatchObject({ size: 8, height: 8, width: 8, channels: 1 });
    expect(createModel(old.config).config).toEqual(old.config);
    expect(() => createModel({ kind: 'imageMlp', size: 8, width: 10, bottleneck: { kind: 'identity' } })).toThrow(/size: expected equal to height and width/);
    expect(() => createModel({ kind: 'imageConv', height: 8, width: 10, bottleneck: { kind: 'identity' } })).toThrow(/width: expected a multiple of 4/);
    old.dispose();
  });
});
