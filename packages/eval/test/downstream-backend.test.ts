// The downstream tasks' backend paths (float32 products on the engine initEngine set up) against their float64
// paths: the results must agree. The float64 results are computed before the engine starts (without one, nothing
// goes to a backend); then the wasm backend, which every install has, takes the products.
import { engineInfo, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitSoftmaxRegression, kMeans, knnPredict, softmaxPredict, toDense } from '../src/index.js';
import { gaussianBlobs } from './synthetic.js';

// Large enough for the backend (≥ 2¹⁷ multiply-adds): 600 × 20 reference codes, 240 queries.
const train = gaussianBlobs(4, 150, 20, 1.5, 21);
const query = gaussianBlobs(4, 60, 20, 1.5, 22).codes;
// A common offset of 1000 (float32 keeps only ~4 decimals of such codes: the centring must remove it), and exact
// duplicates of reference codes among the queries and the reference set (ties at distance 0 and above).
const offset = (rows: number[][]) => rows.map((r) => r.map((v) => v + 1000));
const tiedTrain = { codes: [...train.codes, ...train.codes.slice(0, 50)], labels: [...train.labels, ...train.labels.slice(0, 50).map((l) => (l + 1) % 4)] };
const tiedQuery = [...query, ...train.codes.slice(0, 40)];

const probeSet = gaussianBlobs(4, 1000, 16, 0.8, 23);
const probeX = toDense(probeSet.codes, 'codes');
const probeY = Int32Array.from(probeSet.labels);

// 2,000 × 16 codes in 5 overlapping clusters, k = 5: n·d·k above the threshold; the first iterations prune little.
const clusterCodes = gaussianBlobs(5, 400, 16, 1, 24).codes;

const onFloat64 = {
  kmeans: kMeans(clusterCodes, { k: 5, restarts: 3, seed: 4 }),
  euclidean: knnPredict(train, query, { k: 7 }),
  cosine: knnPredict(train, query, { k: 7, metric: 'cosine' }),
  offset: knnPredict({ codes: offset(train.codes), labels: train.labels }, offset(query), { k: 5 }),
  ties: knnPredict(tiedTrain, tiedQuery, { k: 3 }),
  probe: fitSoftmaxRegression(probeX, probeY, 4, { l2: 1e-3, tolerance: 1e-6 }),
};

beforeAll(async () => {
  expect(engineInfo()).toBeUndefined();
  await initEngine({ backend: 'wasm' });
});

/** Whether `f` ran matrix products on the backend. */
async function usesBackend(f: () => unknown): Promise<boolean> {
  const info = await tf.profile(f as () => tf.TensorContainer);
  return info.kernelNames.includes('BatchMatMul');
}

describe('kNN on the backend', () => {
  it('finds the same neighbours as the float64 search', async () => {
    expect(await usesBackend(() => void knnPredict(train, query, { k: 7 }))).toBe(true);
    expect(knnPredict(train, query, { k: 7 })).toEqual(onFloat64.euclidean);
    expect(knnPredict(train, query, { k: 7, metric: 'cosine' })).toEqual(onFloat64.cosine);
  });

  it('keeps exactness under a large common offset and with tied distances', () => {
    expect(knnPredict({ codes: offset(train.codes), labels: train.labels }, offset(query), { k: 5 })).toEqual(onFloat64.offset);
    expect(knnPredict(tiedTrain, tiedQuery, { k: 3 })).toEqual(onFloat64.ties);
  });
});

describe('k-means on the backend', () => {
  it('makes the same assignments at every step as the float64 search', async () => {
    expect(await usesBackend(() => void kMeans(clusterCodes, { k: 5, restarts: 1, seed: 4 }))).toBe(true);
    const result = kMeans(clusterCodes, { k: 5, restarts: 3, seed: 4 });
    expect(result.restartInertias).toEqual(onFloat64.kmeans.restartInertias);
    expect(result.assignments).toEqual(onFloat64.kmeans.assignments);
    expect(result.iterations).toBe(onFloat64.kmeans.iterations);
  });
});

describe('softmax regression on the backend', () => {
  it('reaches the float64 optimum to float32 round-off', async () => {
    expect(await usesBackend(() => void fitSoftmaxRegression(probeX, probeY, 4, { l2: 1e-3, maxIterations: 2 }))).toBe(true);
    const model = fitSoftmaxRegression(probeX, probeY, 4, { l2: 1e-3, tolerance: 1e-6 });
    expect(onFloat64.probe.converged).toBe(true);
    expect(model.converged).toBe(true);
    // The logits carry float32 round-off (~1e-7 relative), so the optimum moves by about that much.
    expect(Math.abs(model.objective / onFloat64.probe.objective - 1)).toBeLessThan(1e-6);
    let largest = 0;
    for (let p = 0; p < model.parameters.length; p++) {
      largest = Math.max(largest, Math.abs((model.parameters[p] as number) - (onFloat64.probe.parameters[p] as number)));
    }
    expect(largest).toBeLessThan(1e-3);
    const a = softmaxPredict(model, probeX);
    const b = softmaxPredict(onFloat64.probe, probeX);
    let differ = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ++;
    expect(differ).toBeLessThanOrEqual(2);
  });
});
