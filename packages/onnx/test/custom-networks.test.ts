/**
 * Models built with the user's own networks export through the same plan as the built-in ones: a sequential stack of
 * tf.layers (here a conv encoder and an MLP decoder body on an image model) gives ONNX files equal to tfjs to 1e-4.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initEngine } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';
import { createModel, network, sequential } from '@latentkit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkParity, saveOnnx } from '../src/index.js';
import { mnistBatch } from './data.js';

let dir: string;
beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-onnx-custom-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const init = (seed: number) => tf.initializers.glorotUniform({ seed });

describe('custom networks', () => {
  it('a sequential conv encoder and dense decoder body export with parity', async () => {
    const encoder = sequential([
      tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 16, activation: 'tanh', kernelInitializer: init(2) }),
    ]);
    const decoder = sequential([tf.layers.dense({ units: 24, activation: 'relu', kernelInitializer: init(3) })]);
    const model = createModel({ kind: 'imageConv', bottleneck: { kind: 'vmf', latentDim: 6, kappa: 20 } }, { seed: 5, networks: { encoder, decoder } });
    const files = saveOnnx(model, dir);
    const { batch } = await mnistBatch(16);
    const report = await checkParity(model, files, batch);
    expect(report.max).toBeLessThan(1e-4);
    model.dispose();
  });

  it('a function network is refused by the exporter with a clear message', () => {
    const layer = tf.layers.dense({ units: 8, kernelInitializer: init(4) });
    const encoder = network((x) => tf.relu(layer.apply(x) as tf.Tensor), { outputWidth: 8, layers: [layer] });
    const model = createModel({ kind: 'imageMlp', bottleneck: { kind: 'identity' } }, { networks: { encoder } });
    expect(() => saveOnnx(model, dir)).toThrow(/custom encoder is a function; only a sequential\(\) stack of layers exports to ONNX/);
    model.dispose();
  });
});
