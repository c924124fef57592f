/**
 * k-nearest-neighbour classification by exhaustive search: one distance product per tile of queries (on a backend
 * with fast products in float32, see products.ts, otherwise in float64) picks candidates, and exact float64
 * distances rank them, so every backend finds the same neighbours. (ml-knn's k-d tree degenerates to a slower
 * brute force in the 16–512 dimensions of latent codes: about 8 ms per query on 8,000 × 50 codes, 16 s for 2,000
 * queries.)
 */
import { check, checkPositiveInt } from '@latentkit/core';
import { type Codes, type DenseMatrix, encodeLabels, toDense } from '../validate.js';
import { type LabelledCodes, accuracyOf, checkWidth, denseLabelled } from './labelled.js';
import { BackendMatrix, useBackendProducts } from './products.js';
import { rowDots } from './row-dots.js';
import { squaredDistanceBelow } from './squared-distance.js';

export type KnnMetric = 'euclidean' | 'cosine';

export interface KnnOptions {
  /** Neighbours that vote. Default 5. */
  readonly k?: number;
  /** `cosine` compares directions only, the natural choice for codes on the sphere (vMF, Power Spherical). Default euclidean. */
  readonly metric?: KnnMetric;
}

export interface KnnReport {
  readonly k: number;
  readonly metric: KnnMetric;
  readonly testAccuracy: number;
}

function normalizeRows(x: DenseMatrix, name: string): DenseMatrix {
  const data = Float64Array.from(x.data);
  for (let i = 0; i < x.rows; i++) {
    let norm = 0;
    for (let j = 0; j < x.cols; j++) norm += (data[i * x.cols + j] as number) ** 2;
    norm = Math.sqrt(norm);
    check(norm > 0, `${name}[${i}]`, 'a non-zero vector for the cosine metric', 'a zero vector');
    for (let j = 0; j < x.cols; j++) data[i * x.cols + j] = (data[i * x.cols + j] as number) / norm;
  }
  return { rows: x.rows, cols: x.cols, data };
}

/** Entries of the product tile: 8 MB of float32 on a backend, 2 MB of float64 (cache-sized) in JavaScript. */
const TILE = 1 << 21;

/**
 * The k nearest training rows of every query row, nearest first, ties to the earlier training row: k × q.rows
 * indices, by exact float64 distances (`squaredDistanceBelow`). One product [−2q, 1]·[x, ‖x‖²]ᵀ per tile of queries
 * gives ‖x‖² − 2q·x, the squared distance less the query's own ‖q‖², of the centred codes (centring removes any
 * common offset before rounding; distances do not change). It runs on the backend in float32 when `onBackend`, else
 * as float64 dot products, and only picks candidates, which are then ranked by their exact distances. A dot
 * product of d + 1 terms is off by at most (d + 1)·u·Σ|terms| (u = 2⁻²⁴ in float32, 2⁻⁵³ in float64; Higham,
 * Accuracy and Stability, §3.1) and the rounding of the inputs adds about 2u(‖q‖ + ‖x‖)²; with `slack` a bound on
 * both (and on the float64 round-off of the exact distances), every row whose exact distance is within the k-th
 * smallest lies within 2·slack of the k-th smallest approximate one, so taking all rows up to there as candidates
 * loses none.
 */
function nearestByProducts(x: DenseMatrix, q: DenseMatrix, k: number, onBackend: boolean): Int32Array {
  const { rows: n, cols: d } = x;
  const width = d + 1;
  const round = onBackend ? Math.fround : (v: number) => v;
  const mean = new Float64Array(d);
  for (let b = 0; b < n; b++) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (x.data[b * d + j] as number);
  for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) / n;
  // Rows [scale·(m − mean), last] in float32; returns each row's squared norm (of the unscaled centred row) too.
  const augmented = (m: DenseMatrix, scale: number, last: (norm: number) => number): { values: Float64Array; norms: Float64Array } => {
    const values = new Float64Array(m.rows * width);
    const norms = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = round((m.data[i * d + j] as number) - (mean[j] as number));
        values[i * width + j] = scale * v;
        s += v * v;
      }
      values[i * width + d] = last(s);
      norms[i] = s;
    }
    return { values, norms };
  };
  const rawNorm = (m: DenseMatrix, i: number): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += (m.data[i * d + j] as number) ** 2;
    return s;
  };
  const train = augmented(x, 1, (norm) => norm);
  let largestNorm = 0;
  let largestRawNorm = 0;
  for (let b = 0; b < n; b++) {
    largestNorm = Math.max(largestNorm, train.norms[b] as number);
    largestRawNorm = Math.max(largestRawNorm, rawNorm(x, b));
  }
  const unit = onBackend ? 2 ** -24 : 2 ** -53;
  const trainOnBackend = onBackend ? new BackendMatrix(Float32Array.from(train.values), n, width) : undefined;
  const tile = Math.max(1, Math.floor((onBackend ? TILE : TILE / 8) / n));
  const float64Tile = onBackend ? undefined : new Float64Array(tile * n);
  const nearest = new Int32Array(q.rows * k);
  const approx = new Float64Array(k);
  const candidates: number[] = [];
  const candidateValues: number[] = [];
  const exact = new Float64Array(k);
  try {
    for (let first = 0; first < q.rows; first += tile) {
      const count = Math.min(tile, q.rows - first);
      const block: DenseMatrix = { rows: count, cols: d, data: q.data.subarray(first * d, (first + count) * d) };
      const query = augmented(block, -2, () => 1);
      let products: ArrayLike<number>;
      if (trainOnBackend) products = trainOnBackend.leftTimesTransposed(Float32Array.from(query.values), count);
      else {
        rowDots(query.values, count, train.values, n, width, float64Tile as Float64Array);
        products = float64Tile as Float64Array;
      }
      for (let r = 0; r < count; r++) {
        const reach = (Math.sqrt(query.norms[r] as number) + Math.sqrt(largestNorm)) ** 2;
        const slack = 4 * (d + 2) * unit * reach + 1e-12 * (Math.sqrt(rawNorm(block, r)) + Math.sqrt(largestRawNorm)) ** 2;
        const row = r * n;
        // One pass: the k smallest approximate values, and every row within 2·slack of the k-th smallest so far.
        approx.fill(Number.POSITIVE_INFINITY);
        let kth = Number.POSITIVE_INFINITY;
        let limit = Number.POSITIVE_INFINITY;
        candidates.length = 0;
        candidateValues.length = 0;
        for (let b = 0; b < n; b++) {
          const v = products[row + b] as number;
          if (v > limit) continue;
          candidates.push(b);
          candidateValues.push(v);
          if (v >= kth) continue;
          let p = k - 1;
          while (p > 0 && (approx[p - 1] as number) > v) {
            approx[p] = approx[p - 1] as number;
            p--;
          }
          approx[p] = v;
          kth = approx[k - 1] as number;
          limit = kth + 2 * slack;
        }
        // Exact ranking of the candidates still within reach (in index order: ties keep the earlier row first).
        exact.fill(Number.POSITIVE_INFINITY);
        const list = (first + r) * k;
        for (let c = 0; c < candidates.length; c++) {
          if ((candidateValues[c] as number) > limit) continue;
          const b = candidates[c] as number;
          const dist = squaredDistanceBelow(block.data, r * d, x.data, b * d, d, exact[k - 1] as number);
          if (dist >= (exact[k - 1] as number)) continue;
          let p = k - 1;
          while (p > 0 && (exact[p - 1] as number) > dist) {
            exact[p] = exact[p - 1] as number;
            nearest[list + p] = nearest[list + p - 1] as number;
            p--;
          }
          exact[p] = dist;
          nearest[list + p] = b;
        }
      }
    }
  } finally {
    trainOnBackend?.dispose();
  }
  return nearest;
}

/**
 * Labels predicted for `query` by majority vote of the k nearest training codes. A tie between classes goes to
 * the class of the nearest neighbour among the tied ones.
 */
export function knnPredict(train: LabelledCodes, query: Codes, options: KnnOptions = {}): number[] {
  const k = options.k ?? 5;
  checkPositiveInt(k, 'k');
  const metric = options.metric ?? 'euclidean';
  check(metric === 'euclidean' || metric === 'cosine', 'metric', '"euclidean" or "cosine"', metric);
  const dense = denseLabelled(train, 'train');
  check(k <= dense.x.rows, 'k', `at most the number of training codes (${dense.x.rows})`, k);
  let q = toDense(query, 'query');
  checkWidth(q, dense.x.cols, 'query');
  let x = dense.x;
  if (metric === 'cosine') {
    x = normalizeRows(x, 'train.codes');
    q = normalizeRows(q, 'query');
  }
  const { index: y, values: classes } = encodeLabels(dense.labels);
  const nearest = nearestByProducts(x, q, k, useBackendProducts(q.rows * x.rows * x.cols));
  const votes = new Int32Array(classes.length);
  const predictions: number[] = new Array(q.rows);
  for (let a = 0; a < q.rows; a++) {
    const list = a * k;
    votes.fill(0);
    let most = 0;
    for (let r = 0; r < k; r++) {
      const c = y[nearest[list + r] as number] as number;
      votes[c] = (votes[c] as number) + 1;
      most = Math.max(most, votes[c] as number);
    }
    let r = 0;
    while ((votes[y[nearest[list + r] as number] as number] as number) < most) r++;
    predictions[a] = classes[y[nearest[list + r] as number] as number] as number;
  }
  return predictions;
}

/** Accuracy of kNN on `test` with `train` as the reference set. */
export function knnClassifier(train: LabelledCodes, test: LabelledCodes, options: KnnOptions = {}): KnnReport {
  const { labels } = denseLabelled(test, 'test');
  const predicted = knnPredict(train, test.codes, options);
  return { k: options.k ?? 5, metric: options.metric ?? 'euclidean', testAccuracy: accuracyOf(predicted, labels) };
}
