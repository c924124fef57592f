/**
 * The tabular model exports through the feed-forward plan: its ONNX encoder reads the model's encoder input (values
 * or one-hots, then observed-flags), its decoder outputs every column's likelihood parameters, equal to tfjs to
 * 1e-4; the training preprocessing rides along in the metadata.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng, initEngine } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';
import { type TableBatch, type TabularColumn, createModel, sequential, tabularEncoderInput } from '@latentkit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxModel, checkParity, saveOnnx } from '../src/index.js';
import { randomizeWeights } from './helpers.js';

let dir: string;
beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-onnx-tabular-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const COLUMNS: TabularColumn[] = [
  { name: 'a', type: 'numeric' },
  { name: 'c', type: 'categorical', categories: ['x', 'y', 'z'] },
  { name: 'f', type: 'binary', categories: ['0', '1'] },
];

function batch(size: number): TableBatch & { encoderInput: Float32Array } {
  const rng = Rng.fromSeed(9);
  const values = new Float32Array(size * 3);
  const missing = new Uint8Array(size * 3);
  for (let r = 0; r < size; r++) {
    values.set([rng.normal(), rng.int(4), rng.int(2)], r * 3);
    for (let j = 0; j < 3; j++) if (rng.uniform() < 0.25) [missing[r * 3 + j], values[r * 3 + j]] = [1, 0];
  }
  const b = { size, width: 3, values, missing };
  return { ...b, encoderInput: tabularEncoderInput(COLUMNS, b) };
}

describe('tabular ONNX export', () => {
  it('encoder and decoder equal tfjs, with a custom encoder and a vMF bottleneck too', async () => {
    const preprocessing = { format: 'latentkit-preprocessing', version: 1, columns: [{ name: 'a', type: 'numeric', mean: 1.5, std: 2 }] };
    for (const [i, setup] of [
      { bottleneck: { kind: 'gaussian', latentDim: 4 }, networks: undefined },
      {
        bottleneck: { kind: 'vmf', latentDim: 5, kappa: 20 },
        networks: { encoder: sequential([tf.layers.dense({ units: 9, activation: 'tanh', inputShape: [9] })]) },
      },
    ].entries()) {
      const model = createModel(
        { kind: 'tabular', columns: COLUMNS, hiddenDims: [12], bottleneck: setup.bottleneck as never },
        { seed: 3, networks: setup.networks },
      );
      for (const [k, layer] of Object.values(model.layers).entries()) randomizeWeights(layer, 10 * k + 1);
      const files = saveOnnx(model, path.join(dir, `m${i}`), { preprocessing });
      const report = await checkParity(model, files, batch(32) as never);
      expect(report.max).toBeLessThan(1e-4);
      const onnx = await OnnxModel.load(path.join(dir, `m${i}`));
      expect(onnx.metadata.preprocessing).toEqual(preprocessing);
      // Decoder output: a (2) + c (3 + unknown) + f (1).
      expect(onnx.metadata.io).toEqual({ kind: 'feedForward', field: 'encoderInput', width: 9 });
      await onnx.release();
      model.dispose();
    }
  });
});
