export { IMPUTATION_METHODS, impute, imputableModel, imputeOptionsSchema } from './impute.js';
export type { Imputation, ImputationMethodName, ImputeOptions } from './impute.js';
export { tabularImputable } from './tabular-target.js';
export { imageImputable } from './image-target.js';
export type { ImageImputableOptions } from './image-target.js';
export { importanceSamples, normaliseWeights } from './miwae.js';
export type { ImportanceSamples } from './miwae.js';
export type { ImputableModel, ImputationMethod, MaskedRows, MethodOptions, MethodResult } from './types.js';
