/**
 * Every inference step of a bottleneck spec against @latentkit/bottlenecks' reference evaluation (`runInference`,
 * which its own tests tie to `apply(h, {mode: 'infer'})`), through onnxruntime-node. Random weights, 1e-4.
 */
import { type BottleneckConfigInput, type InferenceSpec, type InferenceStep, createBottleneck, runInference } from '@latentkit/bottlenecks';
import { Rng, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportBottleneck } from '../src/bottleneck.js';
import { GraphBuilder } from '../src/graph.js';
import { checkerUnavailable, maxAbsDiff, onnxCheck, runOnnx } from './helpers.js';

const TOL = 1e-4;
const skipChecker = checkerUnavailable();

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const IN = 12;
const DIM = 6;
const K = 16;

function weights(): Record<string, tf.Tensor> {
  return {
    'bottleneck/kernel': tf.randomNormal([IN, DIM], 0, 0.5, 'float32', 1),
    'bottleneck/bias': tf.randomNormal([DIM], 0, 0.5, 'float32', 2),
    'bottleneck/codebook': tf.randomNormal([K, DIM], 0, 1, 'float32', 3),
    'bottleneck/codebook_in': tf.randomNormal([K, IN], 0, 1, 'float32', 4),
    'bottleneck/scale_kernel': tf.randomNormal([IN, K], 0, 0.3, 'float32', 5), // with the limit below, some scales clip
    'bottleneck/scale_bias': tf.randomNormal([K], 0, 0.3, 'float32', 6),
  };
}

const linear: InferenceStep = { op: 'linear', kernel: 'bottleneck/kernel', bias: 'bottleneck/bias' };

async function run(spec: InferenceSpec, h: tf.Tensor2D): Promise<{ code: Float32Array; latent: Float32Array }> {
  const g = new GraphBuilder('bottleneck');
  g.input('h', 'float32', ['batch', spec.inputDim]);
  const out = exportBottleneck(g, spec, 'h');
  g.output(out.code, 'code', 'float32', ['batch', spec.codeDim]);
  g.output(out.latent, 'latent', 'float32', ['batch', 'latent_dim']);
  const bytes = g.toBytes({ producerVersion: 'test', metadata: {} });
  if (!skipChecker) onnxCheck(bytes);
  const r = await runOnnx(bytes, { h: { data: h.dataSync() as Float32Array, dims: h.shape } });
  return { code: r.code as Float32Array, latent: r.latent as Float32Array };
}

describe('bottleneck inference steps match runInference', () => {
  const h = () => tf.randomNormal([9, IN], 0, 1.5, 'float32', 11) as tf.Tensor2D;
  const cases: { name: string; steps: InferenceStep[]; inputDim: number; codeDim: number; latentSteps: number }[] = [
    { name: 'identity (no steps)', steps: [], inputDim: IN, codeDim: IN, latentSteps: 0 },
    { name: 'Gaussian mean head', steps: [linear], inputDim: IN, codeDim: DIM, latentSteps: 1 },
    { name: 'vMF mean direction', steps: [linear, { op: 'l2Normalize', epsilon: 1e-12 }], inputDim: IN, codeDim: DIM, latentSteps: 2 },
    { name: 'nearest VQ codeword', steps: [{ op: 'nearestCodeword', codebook: 'bottleneck/codebook_in' }], inputDim: IN, codeDim: IN, latentSteps: 0 },
    {
      name: 'soft-VQ posterior mean, σ = 1',
      steps: [{ op: 'softQuantize', codebook: 'bottleneck/codebook_in', sigma: 1 }],
      inputDim: IN,
      codeDim: IN,
      latentSteps: 0,
    },
    {
      name: 'soft-VQ posterior mean after a projection, σ = 0.3',
      steps: [linear, { op: 'softQuantize', codebook: 'bottleneck/codebook', sigma: 0.3 }],
      inputDim: IN,
      codeDim: DIM,
      latentSteps: 1,
    },
    {
      name: 'soft-VQ with predicted scales (authors-code variant), after a projection',
      steps: [
        linear,
        {
          op: 'softQuantizeScaled',
          codebook: 'bottleneck/codebook',
          scaleKernel: 'bottleneck/scale_kernel',
          scaleBias: 'bottleneck/scale_bias',
          logScaleLimit: 0.4,
        },
      ],
      inputDim: IN,
      codeDim: DIM,
      latentSteps: 1,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const spec: InferenceSpec = { kind: c.name, inputDim: c.inputDim, codeDim: c.codeDim, steps: c.steps, weights: weights() };
      const x = h();
      const got = await run(spec, x);
      const code = runInference(spec, x);
      const latent = runInference({ ...spec, steps: c.steps.slice(0, c.latentSteps) }, x);
      expect(maxAbsDiff(got.code, code.dataSync())).toBeLessThanOrEqual(TOL);
      expect(maxAbsDiff(got.latent, latent.dataSync())).toBeLessThanOrEqual(TOL);
    });
  }

  it('the nearest codeword is one of the codebook rows and the closest one (hand check)', async () => {
    const codebook = tf.tensor2d([
      [0, 0],
      [1, 0],
      [0, 2],
    ]);
    const spec: InferenceSpec = { kind: 'vq', inputDim: 2, codeDim: 2, steps: [{ op: 'nearestCodeword', codebook: 'cb' }], weights: { cb: codebook } };
    const got = await run(
      spec,
      tf.tensor2d([
        [0.9, 0.2],
        [0.1, 1.2],
        [-1, -1],
        [0.45, 0.9],
      ]),
    );
    // ‖x−e‖²: row 4 → e0: 1.0125, e1: 1.1125, e2: 1.4125.
    expect(Array.from(got.code)).toEqual([1, 0, 0, 2, 0, 0, 0, 0]);
  });
});

describe('every bottleneck kind: the export equals apply(h, {mode: "infer"})', () => {
  const configs: BottleneckConfigInput[] = [
    { kind: 'identity', inputDim: IN },
    { kind: 'denoising', inputDim: IN },
    { kind: 'gaussian', inputDim: IN, latentDim: DIM },
    { kind: 'vmf', inputDim: IN, latentDim: DIM },
    { kind: 'powerSpherical', inputDim: IN, latentDim: DIM, kappa: 10 },
    { kind: 'vq', inputDim: IN, codebookSize: K },
    { kind: 'vq', inputDim: IN, codebookSize: K, ema: {} },
    { kind: 'softVq', inputDim: IN, codebookSize: K, sigma: 0.7 },
    { kind: 'softVq', inputDim: IN, codebookSize: K, variant: 'predictedVariance' },
  ];
  for (const config of configs) {
    it(JSON.stringify(config), async () => {
      const b = createBottleneck(config, { rng: Rng.fromSeed(3) });
      const x = tf.randomNormal([9, IN], 0, 1.5, 'float32', 12) as tf.Tensor2D;
      const want = b.apply(x, { mode: 'infer' });
      const got = await run(b.inference(), x);
      expect(maxAbsDiff(got.code, want.code.dataSync())).toBeLessThanOrEqual(TOL);
      expect(maxAbsDiff(got.latent, want.latent.dataSync())).toBeLessThanOrEqual(TOL);
      b.dispose();
    });
  }
});
