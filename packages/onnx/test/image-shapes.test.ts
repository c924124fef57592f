/** RGB, non-square images export with parity: the encoder's reshape and the decoder's conv output keep 3 channels. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng, initEngine } from '@latentkit/core';
import { type Model, createModel } from '@latentkit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkParity, saveOnnx } from '../src/index.js';
import { randomizeWeights } from './helpers.js';

let dir: string;
beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-onnx-rgb-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('RGB non-square images', () => {
  it('image-conv and image-mlp on 12×20×3 inputs match tfjs to 1e-4', async () => {
    const rng = Rng.fromSeed(4);
    const batch = { size: 6, pixels: Float32Array.from({ length: 6 * 12 * 20 * 3 }, () => rng.uniform()) };
    for (const config of [
      { kind: 'imageConv', height: 12, width: 20, channels: 3, filters: [4, 6], denseDim: 16, bottleneck: { kind: 'gaussian', latentDim: 5 } },
      { kind: 'imageMlp', height: 12, width: 20, channels: 3, hiddenDims: [24], bottleneck: { kind: 'gaussian', latentDim: 5 } },
    ]) {
      const model = createModel(config as Parameters<typeof createModel>[0], { seed: 2 }) as unknown as Model;
      for (const [k, layer] of Object.values(model.layers).entries()) randomizeWeights(layer, 7 * k + 3);
      const files = saveOnnx(model, path.join(dir, config.kind));
      const report = await checkParity(model, files, batch as never);
      expect(report.max, config.kind).toBeLessThan(1e-4);
      model.dispose();
    }
  });
});
