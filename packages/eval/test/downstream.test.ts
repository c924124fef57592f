import { LatentkitError } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import {
  adjustedRandIndex,
  clusteringScores,
  fitLinearProbe,
  fitSoftmaxRegression,
  kMeans,
  knnClassifier,
  knnPredict,
  linearProbe,
  minimizeLbfgs,
  predictLinearProbe,
  softmaxProbabilities,
  toDense,
} from '../src/index.js';
import { gaussianBlobs } from './synthetic.js';

describe('L-BFGS', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const result = minimizeLbfgs(
      (x, g) => {
        const [a, b] = [x[0] as number, x[1] as number];
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.from([-1.2, 1]),
      { maxIterations: 500, gradientTolerance: 1e-10 },
    );
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
  });
});

describe('softmax regression', () => {
  // X[i][j] = sin(0.37·i·(j+1) + j) + [j = i mod 3], y = i mod 3. References on Debian's python3: `objective` from
  // scikit-learn 1.2.1 LogisticRegression(C=1/(n·l2), multi_class='multinomial', tol=1e-12) (which stops ~2e-11 above
  // the optimum); `probabilities` (rows 0, 1, 2, 50) from scipy 1.10.1 BFGS on the same objective to gradient 1e-10.
  const n = 90;
  const codes = Array.from({ length: n }, (_, i) => Array.from({ length: 3 }, (_, j) => Math.sin(0.37 * i * (j + 1) + j) + (j === i % 3 ? 1 : 0)));
  const y = Int32Array.from({ length: n }, (_, i) => i % 3);
  const x = toDense(codes, 'codes');
  const reference = {
    0.01: {
      objective: 0.6310851581002284,
      probabilities: [
        0.39856797454201454, 0.2328822437736195, 0.3685497816843662, 0.05389164748633853, 0.9179723578391629, 0.028135994674498576, 0.4543670341382152,
        0.36579041917558136, 0.17984254668620359, 0.021144699669255043, 0.05140402486903402, 0.927451275461711,
      ],
    },
    0.1: {
      objective: 0.7869809702323158,
      probabilities: [
        0.3647459863613105, 0.29090025588793395, 0.3443537577507556, 0.15040922427439904, 0.7461580922493715, 0.10343268347622943, 0.3991790376750917,
        0.36586899913643417, 0.23495196318847414, 0.08765327868076404, 0.15714164523416277, 0.7552050760850731,
      ],
    },
  };
  it.each([0.01, 0.1] as const)('matches scikit-learn LogisticRegression at l2=%s', (l2) => {
    const model = fitSoftmaxRegression(x, y, 3, { l2, tolerance: 1e-10, maxIterations: 2000 });
    expect(model.converged).toBe(true);
    expect(Math.abs(model.objective - reference[l2].objective)).toBeLessThan(1e-9);
    const p = softmaxProbabilities(model, x);
    const rows = [0, 1, 2, 50].flatMap((i) => [p[3 * i], p[3 * i + 1], p[3 * i + 2]] as number[]);
    for (const [i, v] of rows.entries()) expect(Math.abs(v - (reference[l2].probabilities[i] as number))).toBeLessThan(1e-8);
  });
});

describe('linear probe', () => {
  it('reads well-separated Gaussian classes with over 99% accuracy', () => {
    const train = gaussianBlobs(5, 200, 10, 6, 1);
    const test = gaussianBlobs(5, 100, 10, 6, 2);
    const report = linearProbe(train, test, { seed: 3 });
    expect(report.testAccuracy).toBeGreaterThan(0.99);
    expect(report.path).toHaveLength(7);
    expect(report.path.map((s) => s.strength)).toContain(report.strength);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('chooses a strong penalty when the labels are noise and keeps label values', () => {
    const train = gaussianBlobs(2, 100, 20, 0, 4);
    const labels = train.labels.map((_, i) => ((i * 7919) % 13 < 6 ? 10 : 20));
    const probe = fitLinearProbe({ codes: train.codes, labels }, { seed: 1 });
    expect(new Set(predictLinearProbe(probe, train.codes.slice(0, 20)))).toSatisfy((s: Set<number>) => [...s].every((v) => v === 10 || v === 20));
    // With nothing to learn, validation accuracy stays near chance.
    expect(probe.validationAccuracy).toBeLessThan(0.8);
  });

  it('rejects one class, mismatched widths and NaN codes', () => {
    const train = gaussianBlobs(2, 20, 3, 4, 5);
    expect(() => fitLinearProbe({ codes: train.codes, labels: train.labels.map(() => 1) })).toThrow(/at least 2 classes/);
    const probe = fitLinearProbe(train);
    expect(() => predictLinearProbe(probe, [[1, 2]])).toThrow(/"codes" must have 3 features like the training codes, got 2/);
    const bad = train.codes.map((r) => [...r]);
    (bad[3] as number[])[1] = Number.NaN;
    expect(() => fitLinearProbe({ codes: bad, labels: train.labels })).toThrow(/"train.codes\[3\]\[1\]" must be a finite number, got NaN/);
    expect(() => fitLinearProbe({ codes: train.codes, labels: train.labels.slice(1) })).toThrow(LatentkitError);
  });
});

describe('kNN', () => {
  it('classifies separated classes', () => {
    const report = knnClassifier(gaussianBlobs(4, 100, 6, 6, 6), gaussianBlobs(4, 50, 6, 6, 7), { k: 5 });
    expect(report.testAccuracy).toBeGreaterThan(0.99);
  });

  it('finds the same neighbours as a full sort of all distances', () => {
    const train = gaussianBlobs(3, 60, 13, 1, 11);
    const query = gaussianBlobs(3, 20, 13, 1, 12).codes;
    const k = 7;
    const naive = query.map((q) => {
      const order = train.codes
        .map((c, i) => ({ i, d: c.reduce((s, v, j) => s + (v - (q[j] as number)) ** 2, 0) }))
        .sort((a, b) => a.d - b.d || a.i - b.i)
        .slice(0, k);
      const votes = new Map<number, number>();
      for (const { i } of order) votes.set(train.labels[i] as number, (votes.get(train.labels[i] as number) ?? 0) + 1);
      const most = Math.max(...votes.values());
      return train.labels[(order.find(({ i }) => votes.get(train.labels[i] as number) === most) as { i: number }).i];
    });
    expect(knnPredict(train, query, { k })).toEqual(naive);
  });

  it('votes by majority and breaks ties by the nearest neighbour', () => {
    const train = { codes: [[0], [1], [2], [3], [10]], labels: [7, 8, 8, 7, 9] };
    expect(knnPredict(train, [[0.9]], { k: 3 })).toEqual([8]); // neighbours 1 (8), 0 (7), 2 (8)
    expect(knnPredict(train, [[-0.1]], { k: 2 })).toEqual([7]); // 0 (7) and 1 (8) tie: nearest wins
    expect(knnPredict(train, [[1.6]], { k: 4 })).toEqual([8]); // 2 (8), 1 (8), 3 (7), 0 (7): 2-2, nearest is 8
    expect(knnPredict(train, [[9]], { k: 1 })).toEqual([9]);
  });

  it('compares directions only with the cosine metric', () => {
    const train = {
      codes: [
        [10, 0],
        [0, 1],
      ],
      labels: [0, 1],
    };
    expect(
      knnPredict(
        train,
        [
          [100, 1],
          [8, 9],
        ],
        { k: 1, metric: 'cosine' },
      ),
    ).toEqual([0, 1]);
    expect(
      knnPredict(
        train,
        [
          [100, 1],
          [8, 9],
        ],
        { k: 1 },
      ),
    ).toEqual([0, 0]);
  });

  it('rejects bad arguments', () => {
    const train = { codes: [[0], [1]], labels: [0, 1] };
    expect(() => knnPredict(train, [[0]], { k: 3 })).toThrow(/"k" must be at most the number of training codes \(2\)/);
    expect(() => knnPredict(train, [[0, 1]], { k: 1 })).toThrow(/"query" must have 1 features/);
    expect(() => knnPredict({ codes: [[0], [0]], labels: [0, 1] }, [[1]], { k: 1, metric: 'cosine' })).toThrow(/non-zero vector/);
  });
});

describe('k-means', () => {
  it('recovers planted clusters', () => {
    const { codes, labels } = gaussianBlobs(6, 150, 8, 8, 8);
    const result = kMeans(codes, { k: 6, seed: 1 });
    const scores = clusteringScores(labels, result.assignments);
    expect(scores.accuracy).toBeGreaterThan(0.995);
    expect(scores.ari).toBeGreaterThan(0.99);
    expect(scores.nmi).toBeGreaterThan(0.98);
    expect(result.restartInertias).toHaveLength(10);
    expect(result.inertia).toBe(Math.min(...result.restartInertias));
    // Inertia is the within-cluster sum of squares: about n·d for unit-variance blobs.
    expect(result.inertia / (900 * 8)).toBeGreaterThan(0.9);
    expect(result.inertia / (900 * 8)).toBeLessThan(1.1);
  });

  it('matches scikit-learn: best inertia over 100 starts, and the spread of single starts', () => {
    // X[i][j] = 0.8·sin(1.7i + 0.3j) + m_(i mod 5)·(j even ? 1 : −0.5) + cos(0.9·i·(j+1)), m = [0, 3, −3, 1.5, −1.5].
    // References, scikit-learn 1.2.1 (Debian python3-sklearn), tol=1e-10, max_iter=1000: `best` is
    // KMeans(k, n_init=100, random_state=0).inertia_; `median` is the median inertia of 100 single k-means++ starts.
    const m = [0, 3, -3, 1.5, -1.5];
    const codes = Array.from({ length: 300 }, (_, i) =>
      Array.from({ length: 4 }, (_, j) => Math.sin(1.7 * i + 0.3 * j) * 0.8 + (m[i % 5] as number) * (j % 2 === 0 ? 1 : -0.5) + Math.cos(0.9 * i * (j + 1))),
    );
    const reference = [
      { k: 3, best: 1173.0474363890098, median: 1176.5968003399698 },
      { k: 5, best: 871.3128940720399, median: 880.2259507923758 },
      { k: 8, best: 634.5260816406517, median: 654.3010728983086 },
    ];
    for (const { k, best, median } of reference) {
      const result = kMeans(codes, { k, restarts: 100, tolerance: 0, seed: 2 });
      // At least as good as scikit-learn's best of 100 (ties to round-off; k = 8 finds a lower optimum).
      expect(result.inertia).toBeLessThan(best * (1 + 1e-9));
      // Single starts end in optima spread like scikit-learn's (medians within 3%): Lloyd's iterations converge alike.
      const sorted = [...result.restartInertias].sort((a, b) => a - b);
      const ours = ((sorted[49] as number) + (sorted[50] as number)) / 2;
      expect(Math.abs(ours / median - 1)).toBeLessThan(0.03);
    }
  });

  it('is reproducible from its seed', () => {
    const { codes } = gaussianBlobs(3, 40, 4, 1.5, 9);
    const a = kMeans(codes, { k: 5, seed: 'x', restarts: 3 });
    const b = kMeans(codes, { k: 5, seed: 'x', restarts: 3 });
    expect(a.restartInertias).toEqual(b.restartInertias);
    expect(adjustedRandIndex(a.assignments, b.assignments)).toBe(1);
  });

  it('rejects k larger than the data', () => {
    expect(() => kMeans([[0], [1]], { k: 3 })).toThrow(/"k" must be at most the number of codes \(2\)/);
    expect(() => kMeans([[0], [1]], { k: 0 })).toThrow(/"k" must be a positive integer/);
  });
});
