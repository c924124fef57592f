/**
 * `@latentkit/eval/metrics`: the metrics, downstream tasks and likelihood bounds on plain arrays and tensors, without
 * the report builders. Nothing here imports @latentkit/models, @latentkit/data or @latentkit/bottlenecks, so a
 * project that only scores codes it already has installs core, distributions and munkres-js, and no model stack.
 */
export { toDense } from './validate.js';
export type { Codes, DenseMatrix, Labels } from './validate.js';

export { contingency } from './metrics/contingency.js';
export type { Contingency } from './metrics/contingency.js';
export { clusteringAccuracy } from './metrics/clustering-accuracy.js';
export { normalizedMutualInfo } from './metrics/nmi.js';
export { adjustedRandIndex } from './metrics/ari.js';
export { auroc } from './metrics/auroc.js';
export { auprc, rocCurve } from './metrics/auprc.js';
export type { RocCurve } from './metrics/auprc.js';

export type { LabelledCodes } from './downstream/labelled.js';
export { DEFAULT_PROBE_STRENGTHS, fitLinearProbe, linearProbe, predictLinearProbe } from './downstream/linear-probe.js';
export type { LinearProbe, LinearProbeOptions, LinearProbeReport, ProbeSelectionStep } from './downstream/linear-probe.js';
export { fitSoftmaxRegression, softmaxPredict, softmaxProbabilities } from './downstream/softmax-regression.js';
export type { SoftmaxRegressionModel, SoftmaxRegressionOptions } from './downstream/softmax-regression.js';
export { minimizeLbfgs } from './downstream/lbfgs.js';
export type { LbfgsOptions, LbfgsResult, Objective } from './downstream/lbfgs.js';
export { knnClassifier, knnPredict } from './downstream/knn.js';
export type { KnnMetric, KnnOptions, KnnReport } from './downstream/knn.js';
export { clusteringScores, kMeans } from './downstream/kmeans.js';
export type { ClusteringScores, KMeansOptions, KMeansResult } from './downstream/kmeans.js';

export type { LikelihoodPieces } from './likelihood/pieces.js';
export { elboTerms } from './likelihood/elbo.js';
export type { ElboOptions, ElboTerms } from './likelihood/elbo.js';
export { importanceWeightedBound } from './likelihood/importance-weighted.js';
export type { ImportanceWeightedOptions } from './likelihood/importance-weighted.js';
export { logMeanExpColumns } from './likelihood/log-mean-exp.js';
export { perplexity } from './likelihood/perplexity.js';
export { ACTIVE_UNIT_THRESHOLD, LatentStatisticsAccumulator, mutualInformationBatch } from './likelihood/latent-statistics.js';
export type { LatentStatistics } from './likelihood/latent-statistics.js';
