/**
 * Every model × bottleneck pair: the ONNX export, run by onnxruntime-node on real inputs (PTB test sentences,
 * 20 Newsgroups test documents, MNIST digits), equals the tfjs model in inference mode to 1e-4 (max abs diff) in
 * `code`, `latent` and the decoder logits, and every exported file passes onnx.checker.check_model(full_check=True).
 * Models are tiny and randomly initialised: parity is about the graph, not the training.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng, initEngine, tf } from '@latentkit/core';
import { type Batch, type BottleneckInput, DEFAULT_SPECIAL_TOKENS, type ModelConfigInput, createModel, trainStep } from '@latentkit/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONNX_FILES, type OnnxRole, checkParity, exportModel, loadOnnxModel, saveOnnx } from '../src/index.js';
import { dataDir, mnistBatch, newsgroupsTestBatch, ptbTestBatch } from './data.js';
import { checkerUnavailable, onnxCheck } from './helpers.js';

const TOL = 1e-4;
const skipChecker = checkerUnavailable();
const DATA = dataDir();
if (!DATA) console.warn('models.test: skipping PTB and 20 Newsgroups parity: no shared data (set LATENTKIT_DATA_DIR)');

const BOTTLENECKS: Record<string, BottleneckInput> = {
  identity: { kind: 'identity' },
  denoising: { kind: 'denoising' },
  gaussian: { kind: 'gaussian', latentDim: 8 },
  vmf: { kind: 'vmf', latentDim: 8 },
  powerSpherical: { kind: 'powerSpherical', latentDim: 8 },
  vq: { kind: 'vq', inputDim: 8, codebookSize: 32 },
  softVq: { kind: 'softVq', inputDim: 8, codebookSize: 32, sigma: 0.5 },
  softVqPredictedVariance: { kind: 'softVq', inputDim: 8, codebookSize: 32, variant: 'predictedVariance' },
};

let dir: string;
beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-onnx-models-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Case {
  readonly config: (bottleneck: BottleneckInput, vocabSize: number) => ModelConfigInput;
  readonly load: () => Promise<{ batch: Batch; vocabulary?: readonly string[] }>;
  readonly needsData: boolean;
}

const CASES: Record<string, Case> = {
  textVae: {
    needsData: true,
    config: (bottleneck, vocabSize) => ({ kind: 'textVae', vocabSize, specialTokens: DEFAULT_SPECIAL_TOKENS, embeddingDim: 16, hiddenDim: 24, bottleneck }),
    load: () => ptbTestBatch(DATA as string, 8),
  },
  bowVae: {
    needsData: true,
    config: (bottleneck, vocabSize) => ({ kind: 'bowVae', vocabSize, hiddenDims: [32], bottleneck }),
    load: () => newsgroupsTestBatch(DATA as string, 24),
  },
  imageMlp: {
    needsData: false,
    config: (bottleneck) => ({ kind: 'imageMlp', hiddenDims: [48, 32], bottleneck }),
    load: () => mnistBatch(24),
  },
  imageConv: {
    needsData: false,
    config: (bottleneck) => ({ kind: 'imageConv', filters: [4, 8], denseDim: 32, bottleneck }),
    load: () => mnistBatch(24),
  },
};

for (const [kind, c] of Object.entries(CASES)) {
  describe.skipIf(c.needsData && !DATA)(`${kind}: ONNX equals tfjs on real inputs`, () => {
    let input: Awaited<ReturnType<Case['load']>>;
    beforeAll(async () => {
      input = await c.load();
    });

    for (const [name, bottleneck] of Object.entries(BOTTLENECKS)) {
      it(name, async () => {
        const model = createModel(c.config(bottleneck, input.vocabulary?.length ?? 0), { seed: name });
        try {
          const parts = exportModel(model, input.vocabulary ? { vocabulary: input.vocabulary } : {});
          expect(Object.keys(parts).sort()).toEqual(kind === 'textVae' ? ['decoder', 'decoderInit', 'encoder'] : ['decoder', 'encoder']);
          if (!skipChecker) onnxCheck(...Object.values(parts));

          const out = path.join(dir, `${kind}-${name}`);
          fs.mkdirSync(out);
          for (const [role, bytes] of Object.entries(parts)) fs.writeFileSync(path.join(out, ONNX_FILES[role as OnnxRole]), bytes);
          const onnx = await loadOnnxModel(out);
          expect(onnx.metadata.modelKind).toBe(kind);
          expect(onnx.vocabulary?.length).toBe(input.vocabulary?.length);

          const report = await checkParity(model, onnx, input.batch);
          await onnx.release();
          expect(report.code, 'code').toBeLessThanOrEqual(TOL);
          expect(report.latent, 'latent').toBeLessThanOrEqual(TOL);
          expect(report.logits, 'logits').toBeLessThanOrEqual(TOL);
        } finally {
          model.dispose();
        }
      });
    }
  });
}

describe.skipIf(!DATA)('textVae: greedy generation through the step decoder', () => {
  it('each generated token is the argmax of tfjs logits teacher-forced on the tokens before it', async () => {
    const { vocabulary } = await ptbTestBatch(DATA as string, 1);
    const model = createModel(CASES.textVae!.config({ kind: 'gaussian', latentDim: 8 }, vocabulary.length), { seed: 'generate' });
    const out = path.join(dir, 'generate');
    saveOnnx(model, out);
    const onnx = await loadOnnxModel(out);
    const rows = 3;
    const code = tf.randomNormal([rows, 8], 0, 2, 'float32', 5) as tf.Tensor2D;
    const maxLength = 6;
    const generated = await onnx.generate({ data: code.dataSync() as Float32Array, rows, cols: 8 }, maxLength);
    await onnx.release();

    const { bos, eos } = DEFAULT_SPECIAL_TOKENS;
    for (const [row, tokens] of generated.entries()) {
      expect(tokens.length).toBeLessThanOrEqual(maxLength);
      const inputs = tf.tensor2d([[bos, ...tokens]], [1, tokens.length + 1], 'int32');
      const logits = model.decode(code.slice([row, 0], [1, 8]), inputs, { mode: 'infer' });
      const next = Array.from(logits.argMax(-1).dataSync());
      // Every generated token, then eos if generation stopped early.
      expect(next.slice(0, tokens.length)).toEqual(tokens);
      if (tokens.length < maxLength) expect(next[tokens.length]).toBe(eos);
      tf.dispose([inputs, logits]);
    }
    model.dispose();
  });
});

describe('briefly trained models keep parity (trained weights, EMA codebook state, learned concentration)', () => {
  const trained: { name: string; steps: number; config: () => Promise<{ config: ModelConfigInput; batches: Batch[] }> }[] = [
    {
      name: 'imageMlp + VQ with EMA codebook, 25 Adam steps on MNIST',
      steps: 25,
      config: async () => {
        const batches = await Promise.all([0, 1, 2, 3, 4].map((i) => mnistBatch(32, i)));
        return { config: CASES.imageMlp!.config({ kind: 'vq', inputDim: 8, codebookSize: 16, ema: {} }, 0), batches: batches.map((b) => b.batch) };
      },
    },
    {
      name: 'imageConv + vMF (learned κ), 4 Adam steps on MNIST',
      steps: 4,
      config: async () => {
        const batches = await Promise.all([0, 1].map((i) => mnistBatch(16, i)));
        return { config: CASES.imageConv!.config({ kind: 'vmf', latentDim: 8 }, 0), batches: batches.map((b) => b.batch) };
      },
    },
  ];
  for (const t of trained) {
    it(t.name, async () => {
      const { config, batches } = await t.config();
      const model = createModel(config, { seed: 'trained' });
      const optimizer = tf.train.adam(3e-3);
      const rng = Rng.fromSeed('trained');
      let first = Number.NaN;
      let last = Number.NaN;
      for (let step = 0; step < t.steps; step++) {
        const m = trainStep(model, optimizer, batches[step % batches.length] as Batch, { mode: 'train', rng, step }, null);
        if (step === 0) first = m.reconstruction;
        last = m.reconstruction;
      }
      // The training did move the weights somewhere better, so this is not the untrained model again.
      expect(last).toBeLessThan(first);
      const out = path.join(dir, `trained-${config.kind}`);
      saveOnnx(model, out);
      const report = await checkParity(model, out, batches[0] as Batch);
      expect(report.max).toBeLessThanOrEqual(TOL);
      optimizer.dispose();
      model.dispose();
    });
  }
});
