/** What every bottleneck promises, checked for each kind alike. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LatentkitError, Rng, initEngine, loadCheckpoint, saveCheckpoint, tf } from '@latentkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Bottleneck,
  type BottleneckConfigInput,
  bottleneckWeights,
  createBottleneck,
  hasDensity,
  loadBottleneckWeights,
  runInference,
} from '../src/index.js';
import { randomMatrix } from './helpers.js';

const CONFIGS: BottleneckConfigInput[] = [
  { kind: 'identity', inputDim: 6 },
  { kind: 'denoising', inputDim: 6, sigma: 0.2 },
  { kind: 'gaussian', inputDim: 6, latentDim: 3, freeBits: 0.1 },
  { kind: 'vmf', inputDim: 6, latentDim: 3 },
  { kind: 'powerSpherical', inputDim: 6, latentDim: 3, kappa: 10 },
  { kind: 'vq', inputDim: 6, codebookSize: 5, ema: {}, restart: {} },
  { kind: 'vq', inputDim: 6, codebookSize: 5 },
  { kind: 'softVq', inputDim: 6, codebookSize: 5, sigma: 0.5 },
  { kind: 'softVq', inputDim: 6, codebookSize: 5, latentDim: 3, variant: 'predictedVariance' },
];
const BATCH = 7;
const label = (c: BottleneckConfigInput) => JSON.stringify(c);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-bottlenecks-'));

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function features(b: Bottleneck, seed = 1): tf.Tensor2D {
  return tf.tensor2d(randomMatrix(Rng.fromSeed(seed), BATCH, b.inputDim));
}

describe.each(CONFIGS.map((c) => [label(c), c] as const))('%s', (_name, config) => {
  it('outputs have the promised shapes in both modes; terms are [batch], the regularizer a scalar', () => {
    const b = createBottleneck(config);
    const h = features(b);
    for (const mode of ['train', 'infer'] as const) {
      const out = b.apply(h, { mode, rng: Rng.fromSeed(2), step: 3 });
      expect(out.code.shape).toEqual([BATCH, b.codeDim]);
      expect(out.latent.shape[0]).toBe(BATCH);
      for (const t of Object.values(out.terms)) expect(t.shape).toEqual([BATCH]);
      expect(out.regularizer.shape).toEqual([]);
      expect(Number.isFinite(out.regularizer.dataSync()[0])).toBe(true);
    }
    b.dispose();
  });

  it('inference is deterministic without an rng and is reproduced by its inference spec', () => {
    const b = createBottleneck(config);
    const h = features(b);
    const one = b.apply(h, { mode: 'infer' }).code;
    expect(b.apply(h, { mode: 'infer' }).code.arraySync()).toEqual(one.arraySync());
    const spec = b.inference();
    expect(spec.inputDim).toBe(b.inputDim);
    expect(spec.codeDim).toBe(b.codeDim);
    for (const key of Object.keys(spec.weights)) expect(bottleneckWeights(b)).toHaveProperty([key]);
    const replayed = runInference(spec, h).dataSync();
    const expected = one.dataSync();
    for (let i = 0; i < expected.length; i++) expect(Math.abs((replayed[i] as number) - (expected[i] as number))).toBeLessThan(1e-6);
    b.dispose();
  });

  it('its config round-trips through JSON to the same bottleneck: same weights from the same seed, same codes', () => {
    const a = createBottleneck(config, { rng: Rng.fromSeed(8) });
    const b = createBottleneck(JSON.parse(JSON.stringify(a.config)), { rng: Rng.fromSeed(8) });
    expect(b.config).toEqual(a.config);
    const wa = bottleneckWeights(a);
    const wb = bottleneckWeights(b);
    expect(Object.keys(wb)).toEqual(Object.keys(wa));
    for (const key of Object.keys(wa)) expect(wb[key]!.arraySync()).toEqual(wa[key]!.arraySync());
    const h = features(a);
    expect(b.apply(h, { mode: 'infer' }).code.arraySync()).toEqual(a.apply(h, { mode: 'infer' }).code.arraySync());
    a.dispose();
    b.dispose();
  });

  it('its weights survive a checkpoint under their stable keys', async () => {
    const a = createBottleneck(config, { rng: Rng.fromSeed(8) });
    const h = features(a);
    // One training step's state changes (EMA, usage) are part of what must survive.
    a.afterStep?.(h, { mode: 'train', rng: Rng.fromSeed(3) });
    const dir = path.join(tmp, label(config).replace(/[^a-z0-9]+/gi, '_'));
    await saveCheckpoint(dir, { config: a.config, weights: bottleneckWeights(a) });
    const saved = loadCheckpoint<BottleneckConfigInput>(dir);
    const b = createBottleneck(saved.config, { rng: Rng.fromSeed(99) });
    loadBottleneckWeights(b, saved.weights);
    expect(b.apply(h, { mode: 'infer' }).code.arraySync()).toEqual(a.apply(h, { mode: 'infer' }).code.arraySync());
    for (const [key, v] of Object.entries(bottleneckWeights(a))) expect(bottleneckWeights(b)[key]!.arraySync()).toEqual(v.arraySync());
    tf.dispose(Object.values(saved.weights));
    a.dispose();
    b.dispose();
  });

  it('leaks no tensor from apply (in a tidy), stats or afterStep, and dispose frees its variables', () => {
    const before = tf.memory().numTensors;
    const b = createBottleneck(config);
    const h = features(b);
    const held = tf.memory().numTensors;
    tf.tidy(() => {
      b.apply(h, { mode: 'train', rng: Rng.fromSeed(4) });
    });
    const stats = b.stats(h);
    b.afterStep?.(h, { mode: 'train', rng: Rng.fromSeed(5) });
    if (hasDensity(b)) {
      tf.tidy(() => {
        b.posterior(h).klToPrior();
      });
    }
    expect(tf.memory().numTensors).toBe(held);
    for (const v of Object.values(stats)) for (const x of typeof v === 'number' ? [v] : v) expect(Number.isFinite(x)).toBe(true);
    b.dispose();
    h.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('shared error paths', () => {
  it('stats refuse to report a NaN, naming the statistic', () => {
    const b = createBottleneck({ kind: 'gaussian', inputDim: 2, latentDim: 2 });
    b.trainableVariables['bottleneck/log_var/bias']!.assign(tf.tensor1d([Number.NaN, 0]));
    let error: unknown;
    try {
      b.stats(tf.ones([3, 2]) as tf.Tensor2D);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LatentkitError);
    expect((error as LatentkitError).code).toBe('NUMERIC_ERROR');
    expect((error as LatentkitError).message).toMatch(/the "gaussian" bottleneck's kl is NaN/);
  });

  it('loading weights names the missing or misshapen key', () => {
    const b = createBottleneck({ kind: 'vq', inputDim: 2, codebookSize: 3 });
    expect(() => loadBottleneckWeights(b, {})).toThrow(/lack "bottleneck\/codebook"/);
    expect(() => loadBottleneckWeights(b, { 'bottleneck/codebook': tf.zeros([3, 3]) })).toThrow(
      /weight "bottleneck\/codebook" must be float32 \[3,2\] for this "vq" bottleneck, got float32 \[3,3\]/,
    );
  });

  it('a scope renames the keys, so two bottlenecks fit in one model', () => {
    const b = createBottleneck({ kind: 'gaussian', inputDim: 2, latentDim: 2 }, { scope: 'top' });
    expect(Object.keys(b.trainableVariables)).toEqual(['top/mean/kernel', 'top/mean/bias', 'top/log_var/kernel', 'top/log_var/bias']);
    expect(() => createBottleneck({ kind: 'identity', inputDim: 2 }, { scope: '' })).toThrow(/argument "options.scope" must be a non-empty string/);
  });
});
