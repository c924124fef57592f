/**
 * Multinomial logistic regression with an L2 penalty on the weights (not the biases), fitted by L-BFGS in float64:
 *
 *   minimise  (1/n) Σ_i −log softmax(W x_i + b)[y_i]  +  (l2/2) ‖W‖²
 *
 * This is scikit-learn's `LogisticRegression(multi_class='multinomial', C=1/(n·l2))` objective. (ml-logistic-regression
 * has no penalty and no intercept, fits one-vs-rest by fixed-step gradient ascent on the summed loss, and so
 * diverges or crawls depending on n: not fit for a probe.) On a backend with fast products the two matrix products
 * per iteration run there in float32 (see `SoftmaxLoss`); small problems and the cpu backend stay in float64.
 */
import { LatentkitError, checkFinite, invalidArgument } from '@latentkit/core';
import type { DenseMatrix } from '../validate.js';
import { type LineObjective, minimizeLbfgs } from './lbfgs.js';
import { BackendMatrix, useBackendProducts } from './products.js';
import { rowDots } from './row-dots.js';

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
  return mostProbable(softmaxProbabilities(model, x), model.numClasses);
}

/** Index of the largest of each row's k probabilities (the first of equals). */
export function mostProbable(p: Float64Array, k: number): Int32Array {
  const out = new Int32Array(p.length / k);
  for (let i = 0; i < out.length; i++) {
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

/** W·Xᵀ and E·X for the fixed codes X (n × d): in float64 loops, or on the backend in float32 (see products.ts). */
interface CodeProducts {
  /** W·Xᵀ for W of k × d (further entries ignored): k × n. */
  times(w: Float64Array): ArrayLike<number>;
  /** E·X for E of k × n: k × d. */
  errorsTimes(e: Float64Array): ArrayLike<number>;
  dispose(): void;
}

function float64Products(x: DenseMatrix, k: number): CodeProducts {
  const { rows: n, cols: d, data } = x;
  // Xᵀ (d × n), so that both products are dot products of contiguous rows.
  const transposed = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) transposed[j * n + i] = data[i * d + j] as number;
  const z = new Float64Array(k * n);
  const g = new Float64Array(k * d);
  return {
    times(w) {
      rowDots(w, k, data, n, d, z);
      return z;
    },
    errorsTimes(e) {
      rowDots(e, k, transposed, d, n, g);
      return g;
    },
    dispose() {},
  };
}

function backendProducts(x: DenseMatrix, k: number): CodeProducts {
  const matrix = BackendMatrix.fromDense(x);
  // Float32 staging copies, reused: every step would otherwise allocate two more arrays for the collector.
  const weights = new Float32Array(k * x.cols);
  const errors = new Float32Array(k * x.rows);
  return {
    times(w) {
      weights.set(w.subarray(0, k * x.cols));
      return matrix.leftTimesTransposed(weights, k);
    },
    errorsTimes(e) {
      errors.set(e);
      return matrix.leftTimes(errors, k);
    },
    dispose: () => matrix.dispose(),
  };
}

/**
 * The penalised mean loss as a line objective. It keeps the logits Z = X·Wᵀ + b of the current point in float64
 * and, for a search direction P, the logits' direction Z_P = X·P_Wᵀ + p_b: along the line the logits are Z + t·Z_P,
 * so each trial step costs O(n·k) and the products (two per iteration: Z_P and the gradient E·X) run once per
 * accepted step. With float32 products the logits carry float32 round-off from each step (relative ~1e-7), but the
 * function the search sees along each line stays exactly smooth in t, so the search and its tolerance behave as in
 * float64; the fit is that of logits perturbed by ~1e-7.
 */
class SoftmaxLoss implements LineObjective {
  private readonly n: number;
  private readonly d: number;
  private logits: Float64Array;
  private trialLogits: Float64Array;
  private readonly lineLogits: Float64Array;
  /** softmax − one-hot at the current point and at the last trial point. All n × k arrays are class-major (k × n). */
  private errors: Float64Array;
  private trialErrors: Float64Array;
  private weightNorm = 0;
  private weightDotDirection = 0;
  private directionNorm = 0;
  private t = 0;
  private readonly rowMax: Float64Array;
  private readonly rowSum: Float64Array;

  constructor(
    private readonly products: CodeProducts,
    x: DenseMatrix,
    private readonly y: Int32Array,
    private readonly k: number,
    private readonly l2: number,
  ) {
    this.n = x.rows;
    this.d = x.cols;
    this.logits = new Float64Array(this.n * k);
    this.trialLogits = new Float64Array(this.n * k);
    this.lineLogits = new Float64Array(this.n * k);
    this.errors = new Float64Array(this.n * k);
    this.trialErrors = new Float64Array(this.n * k);
    this.rowMax = new Float64Array(this.n);
    this.rowSum = new Float64Array(this.n);
  }

  evaluate(params: Float64Array, gradient: Float64Array): number {
    const { n, k, d } = this;
    const z = this.products.times(params);
    for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) this.logits[c * n + i] = (z[c * n + i] as number) + (params[k * d + c] as number);
    let norm = 0;
    for (let p = 0; p < k * d; p++) norm += (params[p] as number) ** 2;
    this.weightNorm = norm;
    const loss = this.lossAndErrors(this.logits, this.errors);
    this.gradientAt(params, gradient);
    return loss + 0.5 * this.l2 * norm;
  }

  beginLine(params: Float64Array, _gradient: Float64Array, direction: Float64Array): number {
    const { n, k, d } = this;
    const z = this.products.times(direction);
    for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) this.lineLogits[c * n + i] = (z[c * n + i] as number) + (direction[k * d + c] as number);
    let wp = 0;
    let pp = 0;
    for (let p = 0; p < k * d; p++) {
      wp += (params[p] as number) * (direction[p] as number);
      pp += (direction[p] as number) ** 2;
    }
    this.weightDotDirection = wp;
    this.directionNorm = pp;
    return this.slopeFrom(this.errors, 0);
  }

  lineValue(t: number): number {
    this.t = t;
    for (let p = 0; p < this.logits.length; p++) this.trialLogits[p] = (this.logits[p] as number) + t * (this.lineLogits[p] as number);
    const loss = this.lossAndErrors(this.trialLogits, this.trialErrors);
    return loss + 0.5 * this.l2 * (this.weightNorm + 2 * t * this.weightDotDirection + t * t * this.directionNorm);
  }

  lineSlope(): number {
    return this.slopeFrom(this.trialErrors, this.t);
  }

  acceptLine(params: Float64Array, gradient: Float64Array): void {
    [this.logits, this.trialLogits] = [this.trialLogits, this.logits];
    [this.errors, this.trialErrors] = [this.trialErrors, this.errors];
    const t = this.t;
    this.weightNorm += 2 * t * this.weightDotDirection + t * t * this.directionNorm;
    this.gradientAt(params, gradient);
  }

  /** d/dt of the objective at x + t·p, given the errors there: (1/n)Σ E ∘ Z_P + l2·(W·P_W + t‖P_W‖²). */
  private slopeFrom(errors: Float64Array, t: number): number {
    let s = 0;
    for (let p = 0; p < errors.length; p++) s += (errors[p] as number) * (this.lineLogits[p] as number);
    return s / this.n + this.l2 * (this.weightDotDirection + t * this.directionNorm);
  }

  /** Mean cross-entropy of the logits; writes softmax − one-hot into `errors`. Loops run along classes' rows. */
  private lossAndErrors(logits: Float64Array, errors: Float64Array): number {
    const { n, k, y, rowMax, rowSum } = this;
    rowMax.set(logits.subarray(0, n));
    for (let c = 1; c < k; c++) {
      const base = c * n;
      for (let i = 0; i < n; i++) {
        const z = logits[base + i] as number;
        if (z > (rowMax[i] as number)) rowMax[i] = z;
      }
    }
    rowSum.fill(0);
    for (let c = 0; c < k; c++) {
      const base = c * n;
      for (let i = 0; i < n; i++) {
        const e = Math.exp((logits[base + i] as number) - (rowMax[i] as number));
        errors[base + i] = e;
        rowSum[i] = (rowSum[i] as number) + e;
      }
    }
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const sum = rowSum[i] as number;
      loss -= (logits[(y[i] as number) * n + i] as number) - (rowMax[i] as number) - Math.log(sum);
      rowSum[i] = 1 / sum;
    }
    for (let c = 0; c < k; c++) {
      const base = c * n;
      for (let i = 0; i < n; i++) errors[base + i] = (errors[base + i] as number) * (rowSum[i] as number);
    }
    for (let i = 0; i < n; i++) {
      const at = (y[i] as number) * n + i;
      errors[at] = (errors[at] as number) - 1;
    }
    return loss / n;
  }

  /** ∇ at `params` from the current errors: (1/n)E·X + l2·W, and the biases' (1/n)Σ_i E. */
  private gradientAt(params: Float64Array, gradient: Float64Array): void {
    const { n, k, d } = this;
    const g = this.products.errorsTimes(this.errors);
    for (let p = 0; p < k * d; p++) gradient[p] = (g[p] as number) / n + this.l2 * (params[p] as number);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += this.errors[c * n + i] as number;
      gradient[k * d + c] = s / n;
    }
  }
}

/** Fits the model to codes `x` and class indices `y` in 0..numClasses-1. */
export function fitSoftmaxRegression(x: DenseMatrix, y: Int32Array, numClasses: number, options: SoftmaxRegressionOptions): SoftmaxRegressionModel {
  checkFinite(options.l2, 'l2');
  if (options.l2 < 0) throw invalidArgument('l2', 'a non-negative number', options.l2);
  if (y.length !== x.rows) throw invalidArgument('y', `${x.rows} labels, one per row of x`, y.length);
  const d = x.cols;
  const k = numClasses;
  const size = k * d + k;
  if (options.warmStart && options.warmStart.length !== size) {
    throw invalidArgument('warmStart', `${size} parameters`, options.warmStart.length);
  }
  const products = useBackendProducts(x.rows * d * k) ? backendProducts(x, k) : float64Products(x, k);
  let result: ReturnType<typeof minimizeLbfgs>;
  try {
    result = minimizeLbfgs(new SoftmaxLoss(products, x, y, k, options.l2), options.warmStart ?? new Float64Array(size), {
      maxIterations: options.maxIterations ?? 500,
      gradientTolerance: options.tolerance ?? 1e-6,
    });
  } finally {
    products.dispose();
  }
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
