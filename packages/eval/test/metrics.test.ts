import { LatentkitError } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, auroc, clusteringAccuracy, normalizedMutualInfo } from '../src/index.js';
import { readTestVectors } from './vectors.js';

interface MetricCase {
  labels: number[];
  clusters: number[];
  accuracy_hungarian: number;
  nmi_arithmetic: number;
  ari: number;
  scores: number[];
  binary_labels: number[];
  auroc: number;
}

const vectors = readTestVectors<{ cases: MetricCase[] }>('metrics.json');

describe.skipIf(!vectors)('metrics match scikit-learn 1.2.1 (shared/test-vectors/metrics.json)', () => {
  const cases = vectors?.cases ?? [];
  it('has cases, including non-square contingency tables', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    expect(cases.some((c) => new Set(c.labels).size !== new Set(c.clusters).size)).toBe(true);
  });
  it.each(cases.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    expect(Math.abs(clusteringAccuracy(c.labels, c.clusters) - c.accuracy_hungarian)).toBeLessThan(1e-9);
    expect(Math.abs(normalizedMutualInfo(c.labels, c.clusters) - c.nmi_arithmetic)).toBeLessThan(1e-9);
    expect(Math.abs(adjustedRandIndex(c.labels, c.clusters) - c.ari)).toBeLessThan(1e-9);
    expect(Math.abs(auroc(c.binary_labels, c.scores) - c.auroc)).toBeLessThan(1e-9);
  });
});

describe('metrics on hand-made cases (references: scikit-learn 1.2.1, Debian python3-sklearn)', () => {
  it('AUROC gives tied scores half credit like roc_auc_score', () => {
    // roc_auc_score([0,0,1,1,0,1,0,1,1,0], [.1,.4,.4,.8,.8,.8,.3,.1,.9,.5]) = 0.68 = 17/25
    const y = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0];
    const s = [0.1, 0.4, 0.4, 0.8, 0.8, 0.8, 0.3, 0.1, 0.9, 0.5];
    expect(auroc(y, s)).toBeCloseTo(17 / 25, 14);
    expect(auroc([1, 0, 0, 1, 1, 0], [2, 2, 2, 2, 2, 2])).toBe(0.5);
    expect(auroc([true, false], [1, 0])).toBe(1);
    expect(auroc([1, 0], [0, 1])).toBe(0);
  });

  it('NMI and ARI take arbitrary integer ids', () => {
    // normalized_mutual_info_score / adjusted_rand_score([5,5,7,7,9,9,9], [-1,-1,-1,3,3,3,3])
    const a = [5, 5, 7, 7, 9, 9, 9];
    const b = [-1, -1, -1, 3, 3, 3, 3];
    expect(normalizedMutualInfo(a, b)).toBeCloseTo(0.5503898826176471, 14);
    expect(adjustedRandIndex(a, b)).toBeCloseTo(0.38235294117647056, 14);
  });

  it('follows scikit-learn conventions for single-cluster labellings', () => {
    expect(normalizedMutualInfo([1, 1, 1], [2, 2, 2])).toBe(1);
    expect(adjustedRandIndex([1, 1, 1], [2, 2, 2])).toBe(1);
    expect(normalizedMutualInfo([1, 1, 2], [3, 3, 3])).toBe(0);
    expect(adjustedRandIndex([1, 1, 2], [3, 3, 3])).toBe(0);
  });

  it('clustering accuracy is invariant to relabelling and handles more clusters than classes', () => {
    expect(clusteringAccuracy([0, 0, 1, 1, 2, 2], [7, 7, 3, 3, 5, 5])).toBe(1);
    // best matching: class 0↔cluster 0 (2), class 1↔cluster 2 (2); cluster 1 stays unmatched
    expect(clusteringAccuracy([0, 0, 0, 1, 1], [0, 0, 1, 2, 2])).toBeCloseTo(4 / 5, 15);
    // more classes than clusters: 3 classes, 1 cluster → only the largest class can be right
    expect(clusteringAccuracy([0, 0, 0, 1, 2], [4, 4, 4, 4, 4])).toBeCloseTo(3 / 5, 15);
  });

  it('ARI is exact for large n, where pair counts pass 2^53', () => {
    const n = 200_000;
    const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
    expect(adjustedRandIndex(labels, labels)).toBe(1);
    const shifted = Int32Array.from({ length: n }, (_, i) => (i < n / 2 ? i % 10 : (i + 1) % 10));
    const ari = adjustedRandIndex(labels, shifted);
    expect(ari).toBeGreaterThan(0.2);
    expect(ari).toBeLessThan(0.6);
  });
});

describe('metric errors', () => {
  const expectError = (f: () => unknown, pattern: RegExp) => {
    expect(f).toThrow(LatentkitError);
    expect(f).toThrow(pattern);
  };
  it('rejects mismatched lengths', () => {
    expectError(() => clusteringAccuracy([0, 1], [0]), /"labels" and "clusters" must have the same length, got 2 and 1/);
    expectError(() => auroc([0, 1, 1], [0.1, 0.2]), /same length, got 3 and 2/);
  });
  it('rejects AUROC with one class', () => {
    expectError(() => auroc([1, 1, 1], [0.1, 0.2, 0.3]), /must contain both classes/);
  });
  it('rejects NaN scores and non-binary labels', () => {
    expectError(() => auroc([0, 1, 1], [0.1, Number.NaN, 0.3]), /"scores\[1\]" must be a finite number, got NaN/);
    expectError(() => auroc([0, 2], [0.1, 0.3]), /"binaryLabels\[1\]" must be 0, 1, true or false/);
  });
  it('rejects non-integer and empty labels', () => {
    expectError(() => normalizedMutualInfo([0, 1.5], [0, 1]), /"labels\[1\]" must be an integer label/);
    expectError(() => adjustedRandIndex([], []), /non-empty/);
  });
});
