/** The downstream half of the report: probe, kNN and k-means on codes with labels, each optional. */
import type { LabelledCodes } from '../downstream/labelled.js';
import { type KnnOptions, type KnnReport, knnClassifier } from '../downstream/knn.js';
import { type KMeansOptions, clusteringScores, kMeans } from '../downstream/kmeans.js';
import { type LinearProbeOptions, type LinearProbeReport, linearProbe } from '../downstream/linear-probe.js';

export interface CodesEvalOptions {
  /** `false` skips the probe. */
  readonly probe?: LinearProbeOptions | false;
  readonly knn?: KnnOptions | false;
  /** k defaults to the number of test classes. */
  readonly kmeans?: Partial<KMeansOptions> | false;
}

export interface ClusteringReport {
  readonly k: number;
  readonly restarts: number;
  readonly inertia: number;
  readonly accuracy: number;
  readonly nmi: number;
  readonly ari: number;
}

export interface CodesReport {
  readonly probe: LinearProbeReport | null;
  readonly knn: KnnReport | null;
  /** k-means on the test codes, scored against the test labels. */
  readonly clustering: ClusteringReport | null;
}

/** Without `train`, only the clustering of the test codes is done. */
export function evaluateCodes(data: { readonly train?: LabelledCodes; readonly test: LabelledCodes }, options: CodesEvalOptions = {}): CodesReport {
  const { train, test } = data;
  const probe = options.probe === false || !train ? null : linearProbe(train, test, options.probe);
  const knn = options.knn === false || !train ? null : knnClassifier(train, test, options.knn);
  let clustering: ClusteringReport | null = null;
  if (options.kmeans !== false) {
    const k = options.kmeans?.k ?? new Set(Array.from(test.labels)).size;
    const result = kMeans(test.codes, { ...options.kmeans, k });
    clustering = {
      k,
      restarts: result.restartInertias.length,
      inertia: result.inertia,
      ...clusteringScores(test.labels, result.assignments),
    };
  }
  return { probe, knn, clustering };
}
