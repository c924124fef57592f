/**
 * Multinomial logistic regression with an L2 penalty on the weights (not the biases), fitted by L-BFGS in float64:
 *
 *   minimise  (1/n) Σ_i −log softmax(W x_i + b)[y_i]  +  (l2/2) ‖W‖²
 *
 * This is scikit-learn's `LogisticRegression(multi_class='multinomial', C=1/(n·l2))` objective. (ml-logistic-regression
 * has no penalty and no intercept, fits one-vs-rest by fixed-step gradient ascent on the summed loss, and so
 * diverges or crawls depending on n: not fit for a probe.)
 */
import { LatentkitError, checkFinite, invalidArgument } from '@latentkit/core';
import type { DenseMatrix } from '../validate.js';
import { minimizeLbfgs } from './lbfgs.js';

export interface SoftmaxRegressionOptions {
  /** L2 strength on the weights, in units of the mean loss. */
  readonly l2: number;
  /** L-BFGS iteration budget. Default 500. */
  readonly maxIterations?: number;
  /** Stop when the largest gradient entry is below this. Default 1e-6. */
  readonly tolerance?: number;
  /** Parameters to start from (a previous fit's `parameters`), e.g. along a regularisation path. */
  readonly warmStart?: Float64Array;
}

export interface SoftmaxRegressionModel {
  readonly numClasses: number;
  readonly numFeatures: number;
  /** Weights row-major [numClasses, numFeatures], then the numClasses biases. */
  readonly parameters: Float64Array;
  /** Penalised mean loss at the solution. */
  readonly objective: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Class probabilities, row-major [rows, numClasses]. */
export function softmaxProbabilities(model: SoftmaxRegressionModel, x: DenseMatrix): Float64Array {
  const { numClasses: k, numFeatures: d, parameters } = model;
  if (x.cols !== d) throw invalidArgument('x', `codes with ${d} features like the training codes`, `${x.cols} features`);
  const out = new Float64Array(x.rows * k);
  const logits = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) {
    logSoftmaxRow(parameters, x.data, i, d, k, logits);
    for (let c = 0; c < k; c++) out[i * k + c] = Math.exp(logits[c] as number);
  }
  return out;
}

/** Most probable class index per row. */
export function softmaxPredict(model: SoftmaxRegressionModel, x: DenseMatrix): Int32Array {
  const p = softmaxProbabilities(model, x);
  const k = model.numClasses;
  const out = new Int32Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if ((p[i * k + c] as number) > (p[i * k + best] as number)) best = c;
    out[i] = best;
  }
  return out;
}

/** Writes log softmax(W x_i + b) into `out`. */
function logSoftmaxRow(params: Float64Array, data: Float64Array, i: number, d: number, k: number, out: Float64Array): void {
  const row = i * d;
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    let z = params[k * d + c] as number;
    const w = c * d;
    for (let j = 0; j < d; j++) z += (params[w + j] as number) * (data[row + j] as number);
    out[c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < k; c++) sum += Math.exp((out[c] as number) - max);
  const lse = max + Math.log(sum);
  for (let c = 0; c < k; c++) out[c] = (out[c] as number) - lse;
}

/** Fits the model to codes `x` and class indices `y` in 0..numClasses-1. */
export function fitSoftmaxRegression(
  x: DenseMatrix,
  y: Int32Array,
  numClasses: number,
  options: SoftmaxRegressionOptions,
): SoftmaxRegressionModel {
  checkFinite(options.l2, 'l2');
  if (options.l2 < 0) throw invalidArgument('l2', 'a non-negative number', options.l2);
  if (y.length !== x.rows) throw invalidArgument('y', `${x.rows} labels, one per row of x`, y.length);
  const n = x.rows;
  const d = x.cols;
  const k = numClasses;
  const size = k * d + k;
  if (options.warmStart && options.warmStart.length !== size) {
    throw invalidArgument('warmStart', `${size} parameters`, options.warmStart.length);
  }
  const logits = new Float64Array(k);
  const objective = (params: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      logSoftmaxRow(params, x.data, i, d, k, logits);
      const yi = y[i] as number;
      loss -= logits[yi] as number;
      const row = i * d;
      for (let c = 0; c < k; c++) {
        const err = Math.exp(logits[c] as number) - (c === yi ? 1 : 0);
        const w = c * d;
        for (let j = 0; j < d; j++) gradient[w + j] = (gradient[w + j] as number) + err * (x.data[row + j] as number);
        gradient[k * d + c] = (gradient[k * d + c] as number) + err;
      }
    }
    let penalty = 0;
    for (let p = 0; p < k * d; p++) {
      const w = params[p] as number;
      penalty += w * w;
      gradient[p] = (gradient[p] as number) / n + options.l2 * w;
    }
    for (let c = 0; c < k; c++) gradient[k * d + c] = (gradient[k * d + c] as number) / n;
    return loss / n + 0.5 * options.l2 * penalty;
  };
  const result = minimizeLbfgs(objective, options.warmStart ?? new Float64Array(size), {
    maxIterations: options.maxIterations ?? 500,
    gradientTolerance: options.tolerance ?? 1e-6,
  });
  if (!Number.isFinite(result.value)) {
    throw new LatentkitError('NUMERIC_ERROR', `softmax regression diverged (objective ${result.value}) at l2=${options.l2}`, {
      l2: options.l2,
    });
  }
  return {
    numClasses: k,
    numFeatures: d,
    parameters: result.x,
    objective: result.value,
    iterations: result.iterations,
    converged: result.converged,
  };
}
