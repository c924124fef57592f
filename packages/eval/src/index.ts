// Everything in @latentkit/eval/metrics (no model stack), then the report builders.
export * from './metrics.js';

// Whole-dataset evaluation and the report
export { evaluateLikelihood } from './report/evaluate-likelihood.js';
export { evaluateLayers } from './report/evaluate-layers.js';
export type { LikelihoodBatch, LikelihoodEvalOptions, LikelihoodEvaluation, LikelihoodReport } from './report/evaluate-likelihood.js';
export type { LayerBatch, LayerReport } from './report/evaluate-layers.js';
export { evaluateCodes } from './report/evaluate-codes.js';
export type { ClusteringReport, CodesEvalOptions, CodesReport } from './report/evaluate-codes.js';
export { report } from './report/report.js';
export type {
  AnomalyReport,
  EvalDataset,
  EvaluableModel,
  EvaluationReport,
  LabelledBatch,
  ReconstructionReport,
  ReportOptions,
} from './report/report.js';
export { fromModel } from './report/from-model.js';
export { formatNumber, formatReport, reportEntries, writeReport } from './report/format.js';
export type { ReportEntry } from './report/format.js';

// Imputation of missing cells (tables, image inpainting) is '@latentkit/eval/impute': it runs the models' own
// likelihoods, so it needs @latentkit/models installed, which the rest of this entry does not.

// Anomaly detection: per-record scores, calibrated thresholds, series windows
export * from './anomaly/index.js';
