import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng, initEngine, tf } from '@latentkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvaluableModel, type LabelledBatch, formatReport, report, writeReport } from '../src/index.js';
import { C, S, W, exactPosterior, logMarginal, pieces, sampleX } from './linear-gaussian.js';

// The linear-Gaussian model of linear-gaussian.ts behind the EvaluableModel interface: batches are rows of x.
const model: EvaluableModel<number[][]> = {
  description: { kind: 'linearGaussian', latentDim: 3 },
  encode: (x) => tf.tensor2d(exactPosterior(x).means),
  likelihood: (x) => ({ pieces: pieces(x), units: x.length * 4 }),
  reconstruction: (x) => {
    const p = pieces(x);
    return { nll: tf.neg(p.logLikelihood(p.posterior.mode())) as tf.Tensor1D, units: x.length * 4 };
  },
};

/** −log p(x | μ(x)) per example in float64: the residual after decoding the exact posterior mean. */
function reconstructionNll(x: number[][]): number[] {
  const { means } = exactPosterior(x);
  return x.map((row, i) =>
    row.reduce((s, xj, j) => {
      const decoded = (C[j] as number) + (j < 3 ? (W[j] as number) * ((means[i] as number[])[j] as number) : 0);
      return s + 0.5 * ((xj - decoded) ** 2 / (S * S) + Math.log(2 * Math.PI * S * S));
    }, 0),
  );
}

// Labels from the quadrant of (x0, x1): linear in the codes. Anomalies (label 9) have x3 moved 8 noise sd out.
function labelled(n: number, seed: number, anomalies = 0): LabelledBatch<number[][]>[] {
  const x = sampleX(n, Rng.fromSeed(seed));
  const labels = x.map((r) => ((r[0] as number) > (C[0] as number) ? 1 : 0) + ((r[1] as number) > (C[1] as number) ? 2 : 0));
  for (let i = 0; i < anomalies; i++) {
    (x[i] as number[])[3] = ((x[i] as number[])[3] as number) + 4;
    labels[i] = 9;
  }
  const batches: LabelledBatch<number[][]>[] = [];
  for (let start = 0; start < n; start += 250) batches.push({ batch: x.slice(start, start + 250), labels: labels.slice(start, start + 250) });
  return batches;
}

describe('report', () => {
  let dir: string;
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
    dir = mkdtempSync(path.join(os.tmpdir(), 'latentkit-eval-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gathers every number into one JSON-serialisable object', async () => {
    const test = labelled(500, 2, 25);
    const before = tf.memory().numTensors;
    const r = await report(
      model,
      { train: labelled(1000, 1), test },
      { likelihood: { importanceSamples: 50 }, anomaly: { normalClasses: [0, 1, 2, 3] }, seed: 1 },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.format).toBe('latentkit.eval-report/1');
    expect(r.seed).toBe(1);
    // Same model, data and seed: the same numbers.
    const again = await report(
      model,
      { train: labelled(1000, 1), test },
      { likelihood: { importanceSamples: 50 }, anomaly: { normalClasses: [0, 1, 2, 3] }, seed: 1 },
    );
    expect({ ...again, seconds: 0 }).toEqual({ ...r, seconds: 0 });
    expect(r.data).toEqual({ trainExamples: 1000, testExamples: 500, classes: 5, latentDim: 3 });

    // Exact posterior: the bound is log p(x) (mean over the test set, float32 noise only).
    const exact = logMarginal(test.flatMap((b) => b.batch));
    const meanExact = exact.reduce((s, v) => s + v, 0) / exact.length;
    const l = r.likelihood;
    expect(l).not.toBeNull();
    expect(Math.abs((l?.importanceWeighted?.logLikelihood as number) - meanExact)).toBeLessThan(1e-3);
    expect(l?.importanceWeighted?.perplexity).toBeCloseTo(Math.exp(-meanExact / 4), 3);
    expect(l?.units).toBe(2000);
    expect(l?.activeUnits).toBe(2);
    expect(Math.abs((l?.elbo as number) - meanExact)).toBeLessThan(0.3); // one-sample Monte Carlo
    expect(l?.perplexity).toBeCloseTo(Math.exp(((l?.reconstruction as number) + (l?.kl as number)) / 4), 10);

    const recon = reconstructionNll(test.flatMap((b) => b.batch));
    expect(Math.abs((r.reconstruction?.nll as number) - recon.reduce((a, v) => a + v, 0) / recon.length)).toBeLessThan(1e-4);
    expect(r.reconstruction?.units).toBe(2000);

    expect(r.probe?.testAccuracy).toBeGreaterThan(0.9);
    expect(r.knn?.testAccuracy).toBeGreaterThan(0.85);
    expect(r.clustering?.k).toBe(5);
    expect(r.anomaly?.anomalies).toBe(25);
    expect(r.anomaly?.score).toBe('negImportanceWeightedBound');
    expect(r.anomaly?.auroc).toBeGreaterThan(0.99);

    const text = formatReport(r);
    expect(text).toMatch(/importance-weighted bound \(K=50\)/);
    expect(text).toMatch(/active units 2\/3/);
    expect(text).toMatch(/anomaly AUROC/);
    const file = path.join(dir, 'report.json');
    writeReport(r, file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(r);
  });

  it('skips what the model or the data cannot give', async () => {
    const codesOnly: EvaluableModel<number[][]> = { encode: model.encode };
    const unlabelled = labelled(300, 3).map((b) => ({ batch: b.batch }));
    const r = await report(codesOnly, { test: unlabelled });
    expect(r.likelihood).toBeNull();
    expect(r.probe).toBeNull();
    expect(r.clustering).toBeNull();
    expect(r.model).toBeNull();
    const noTrain = await report(codesOnly, { test: labelled(300, 3) }, { kmeans: { restarts: 2 } });
    expect(noTrain.probe).toBeNull();
    expect(noTrain.clustering?.restarts).toBe(2);
  });

  it('scores anomalies by reconstruction error when asked, or when the model has no density', async () => {
    const test = labelled(500, 6, 25);
    const options = { anomaly: { normalClasses: [0, 1, 2, 3] }, kmeans: false, knn: false, probe: false } as const;
    const byReconstruction = await report(model, { test }, { ...options, anomaly: { ...options.anomaly, score: 'reconstruction' } });
    expect(byReconstruction.anomaly?.score).toBe('reconstruction');
    expect(byReconstruction.anomaly?.auroc).toBeGreaterThan(0.99);
    const noDensity = await report({ encode: model.encode, reconstruction: model.reconstruction }, { test }, options);
    expect(noDensity.likelihood).toBeNull();
    expect(noDensity.anomaly?.score).toBe('reconstruction');
    await expect(report({ encode: model.encode }, { test }, options)).rejects.toThrow(
      /"anomaly.score" is "reconstruction", but the model gives no reconstruction/,
    );
  });

  it('rejects an anomaly split with no anomalies', async () => {
    await expect(report(model, { test: labelled(100, 5) }, { anomaly: { normalClasses: [0, 1, 2, 3] }, kmeans: false })).rejects.toThrow(
      /"anomaly.normalClasses" must leave both normal and anomalous test examples, got 100 normal and 0 anomalous/,
    );
  });

  it('rejects an empty test set and labels of the wrong length', async () => {
    await expect(report(model, { test: [] })).rejects.toThrow(/"dataset.test" must yield at least one batch/);
    const [first] = labelled(10, 4);
    await expect(report(model, { test: [{ batch: first?.batch as number[][], labels: [1, 2] }] })).rejects.toThrow(
      /test batch 0: "labels" must have one entry per example \(10\), got 2/,
    );
  });
});
