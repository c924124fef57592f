/**
 * k-means on latent codes: ml-kmeans does Lloyd's iterations from a greedy k-means++ start (scikit-learn's variant,
 * 2 + ⌊ln k⌋ candidates per centre); this module adds what it lacks: seeded restarts that keep the lowest inertia,
 * scikit-learn's variance-relative tolerance, and the final assignment to the final centroids.
 */
import { Rng, check, checkPositiveInt } from '@latentkit/core';
import { kmeans as lloyd } from 'ml-kmeans';
import { type Codes, type DenseMatrix, type Labels, toDense } from '../validate.js';
import { adjustedRandIndex } from '../metrics/ari.js';
import { clusteringAccuracy } from '../metrics/clustering-accuracy.js';
import { normalizedMutualInfo } from '../metrics/nmi.js';

export interface KMeansOptions {
  /** Number of clusters. */
  readonly k: number;
  /** Independent k-means++ starts; the one with the lowest inertia is kept. Default 10. */
  readonly restarts?: number;
  /** Lloyd iterations per start. Default 300. */
  readonly maxIterations?: number;
  /** Stop when no centroid moves more (squared) than this times the mean per-feature variance. Default 1e-4. */
  readonly tolerance?: number;
  /** Default 0. */
  readonly seed?: number | string;
}

export interface KMeansResult {
  /** Cluster index in 0..k-1 per code. */
  readonly assignments: number[];
  readonly centroids: number[][];
  /** Sum of squared distances of codes to their centroid. */
  readonly inertia: number;
  /** Inertia of every start, in order. */
  readonly restartInertias: number[];
  readonly iterations: number;
  readonly converged: boolean;
}

export interface ClusteringScores {
  readonly accuracy: number;
  readonly nmi: number;
  readonly ari: number;
}

/** Nearest centroid per row and the total squared distance. */
function assign(x: DenseMatrix, centroids: readonly number[][]): { assignments: number[]; inertia: number } {
  const assignments = new Array<number>(x.rows);
  let inertia = 0;
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    let bestDist = Number.POSITIVE_INFINITY;
    for (let c = 0; c < centroids.length; c++) {
      const centre = centroids[c] as number[];
      let dist = 0;
      for (let j = 0; j < x.cols; j++) {
        const diff = (x.data[i * x.cols + j] as number) - (centre[j] as number);
        dist += diff * diff;
      }
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    assignments[i] = best;
    inertia += bestDist;
  }
  return { assignments, inertia };
}

function meanVariance(x: DenseMatrix): number {
  let total = 0;
  for (let j = 0; j < x.cols; j++) {
    let mean = 0;
    for (let i = 0; i < x.rows; i++) mean += x.data[i * x.cols + j] as number;
    mean /= x.rows;
    let v = 0;
    for (let i = 0; i < x.rows; i++) v += ((x.data[i * x.cols + j] as number) - mean) ** 2;
    total += v / x.rows;
  }
  return total / x.cols;
}

export function kMeans(codes: Codes, options: KMeansOptions): KMeansResult {
  const x = toDense(codes, 'codes');
  checkPositiveInt(options?.k, 'k');
  check(options.k <= x.rows, 'k', `at most the number of codes (${x.rows})`, options.k);
  const restarts = options.restarts ?? 10;
  checkPositiveInt(restarts, 'restarts');
  const maxIterations = options.maxIterations ?? 300;
  checkPositiveInt(maxIterations, 'maxIterations');
  const tolerance = options.tolerance ?? 1e-4;
  check(Number.isFinite(tolerance) && tolerance >= 0, 'tolerance', 'a non-negative number', tolerance);
  const rows = Array.from({ length: x.rows }, (_, i) => Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)));
  const rng = Rng.fromSeed(options.seed ?? 0);
  const absoluteTolerance = tolerance * meanVariance(x);

  let best: KMeansResult | undefined;
  const restartInertias: number[] = [];
  for (let r = 0; r < restarts; r++) {
    const run = lloyd(rows, options.k, {
      initialization: 'kmeans++',
      seed: rng.int(0x7fffffff),
      maxIterations,
      tolerance: absoluteTolerance,
    });
    // ml-kmeans reports the assignment made before its last centroid update; assign to the final centroids instead.
    const { assignments, inertia } = assign(x, run.centroids);
    restartInertias.push(inertia);
    if (!best || inertia < best.inertia) {
      best = { assignments, centroids: run.centroids, inertia, restartInertias, iterations: run.iterations, converged: run.converged };
    }
  }
  return { ...(best as KMeansResult), restartInertias };
}

/** Clustering accuracy (Hungarian), NMI and ARI of a clustering against labels. */
export function clusteringScores(labels: Labels, clusters: Labels): ClusteringScores {
  return {
    accuracy: clusteringAccuracy(labels, clusters),
    nmi: normalizedMutualInfo(labels, clusters),
    ari: adjustedRandIndex(labels, clusters),
  };
}
