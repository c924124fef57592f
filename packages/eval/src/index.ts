export type { Codes, DenseMatrix, Labels } from './validate.js';
export { contingency } from './metrics/contingency.js';
export type { Contingency } from './metrics/contingency.js';
export { clusteringAccuracy } from './metrics/clustering-accuracy.js';
export { normalizedMutualInfo } from './metrics/nmi.js';
export { adjustedRandIndex } from './metrics/ari.js';
export { auroc } from './metrics/auroc.js';
