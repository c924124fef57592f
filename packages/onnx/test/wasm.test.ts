/**
 * Parity on the wasm backend, latentkit's default, for one model of each input type (the full matrix runs on the cpu
 * reference backend in models.test.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initEngine } from '@latentkit/core';
import { type Batch, DEFAULT_SPECIAL_TOKENS, type ModelConfigInput, createModel } from '@latentkit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkParity, saveOnnx } from '../src/index.js';
import { dataDir, mnistBatch, newsgroupsTestBatch, ptbTestBatch } from './data.js';

const DATA = dataDir();
if (!DATA) console.warn('wasm.test: skipping PTB and 20 Newsgroups parity: no shared data (set LATENTKIT_DATA_DIR)');
let dir: string;

beforeAll(async () => {
  await initEngine({ backend: 'wasm' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-onnx-wasm-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function parity(name: string, config: ModelConfigInput, batch: Batch): Promise<number> {
  const model = createModel(config, { seed: name });
  try {
    const out = path.join(dir, name);
    saveOnnx(model, out);
    return (await checkParity(model, out, batch)).max;
  } finally {
    model.dispose();
  }
}

describe('ONNX equals tfjs on the wasm backend', () => {
  it('imageConv + Gaussian on MNIST', async () => {
    const { batch } = await mnistBatch(32);
    const config: ModelConfigInput = { kind: 'imageConv', filters: [8, 16], denseDim: 64, bottleneck: { kind: 'gaussian', latentDim: 16 } };
    expect(await parity('imageConv', config, batch)).toBeLessThanOrEqual(1e-4);
  });

  it.skipIf(!DATA)('bowVae + soft VQ on 20 Newsgroups', async () => {
    const { batch, vocabulary } = await newsgroupsTestBatch(DATA as string, 32);
    const config: ModelConfigInput = {
      kind: 'bowVae',
      vocabSize: vocabulary.length,
      hiddenDims: [64],
      bottleneck: { kind: 'softVq', inputDim: 16, codebookSize: 32 },
    };
    expect(await parity('bowVae', config, batch)).toBeLessThanOrEqual(1e-4);
  });

  it.skipIf(!DATA)('textVae + vMF on PTB', async () => {
    const { batch, vocabulary } = await ptbTestBatch(DATA as string, 8);
    const config: ModelConfigInput = {
      kind: 'textVae',
      vocabSize: vocabulary.length,
      specialTokens: DEFAULT_SPECIAL_TOKENS,
      embeddingDim: 32,
      hiddenDim: 64,
      bottleneck: { kind: 'vmf', latentDim: 16 },
    };
    expect(await parity('textVae', config, batch)).toBeLessThanOrEqual(1e-4);
  });
});
