/**
 * The tabular model's per-cell predictive distribution p(x_j | z), read from its decoder output (see `tabularLayout`):
 * what imputation needs on top of `tabularNll`. Plain arrays in, plain arrays out, so the imputation methods can
 * average and resample rows without tensors.
 *
 * An "expectation" row holds, per column: numeric → its mean; binary → P(x = 1); categorical → the K + 1 slot
 * probabilities. Averaging expectation rows under weights is averaging the predictive distributions (a mixture), and
 * `tabularPoints` turns a row into one value per column: the mean, the more likely of the two values, the most
 * likely training category.
 */
import type { Rng } from '@latentkit/core';
import type { TabularColumn } from '../types.js';
import { TABULAR_LOG_VAR_LIMIT, tabularLayout } from './tabular.js';

/** Per column: offset and width of its entries in an expectation row; `width` the row's length. */
export interface ExpectationLayout {
  readonly cells: readonly { readonly offset: number; readonly width: number }[];
  readonly width: number;
}

export function tabularExpectationLayout(columns: readonly TabularColumn[]): ExpectationLayout {
  let at = 0;
  const cells = columns.map((c) => {
    const width = c.type === 'categorical' ? (c.categories?.length ?? 0) + 1 : 1;
    const entry = { offset: at, width };
    at += width;
    return entry;
  });
  return { cells, width: at };
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Softmax of params[from, from + width) into out[to, to + width). */
function softmaxInto(params: ArrayLike<number>, from: number, width: number, out: Float32Array | Float64Array, to: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < width; k++) max = Math.max(max, params[from + k] as number);
  let sum = 0;
  for (let k = 0; k < width; k++) {
    const e = Math.exp((params[from + k] as number) - max);
    out[to + k] = e;
    sum += e;
  }
  for (let k = 0; k < width; k++) out[to + k] = (out[to + k] as number) / sum;
}

/** Expectation rows [size, layout.width] from decoder outputs `params` [size, outputWidth]. */
export function tabularExpectations(columns: readonly TabularColumn[], params: ArrayLike<number>, size: number): Float64Array {
  const layout = tabularLayout(columns);
  const exp = tabularExpectationLayout(columns);
  const out = new Float64Array(size * exp.width);
  for (let r = 0; r < size; r++) {
    const p = r * layout.outputWidth;
    const e = r * exp.width;
    columns.forEach((c, j) => {
      const { offset, width } = layout.output[j] as { offset: number; width: number };
      const to = e + (exp.cells[j] as { offset: number }).offset;
      if (c.type === 'numeric') out[to] = params[p + offset] as number;
      else if (c.type === 'binary') out[to] = sigmoid(params[p + offset] as number);
      else softmaxInto(params, p + offset, width, out, to);
    });
  }
  return out;
}

/** One value per column from expectation rows: numeric mean, binary 0/1 (P ≥ 0.5 → 1), categorical
 * the most likely training category (never the unknown slot). */
export function tabularPoints(columns: readonly TabularColumn[], expectations: ArrayLike<number>, size: number): Float32Array {
  const exp = tabularExpectationLayout(columns);
  const n = columns.length;
  const out = new Float32Array(size * n);
  for (let r = 0; r < size; r++) {
    columns.forEach((c, j) => {
      const { offset, width } = exp.cells[j] as { offset: number; width: number };
      const at = r * exp.width + offset;
      if (c.type === 'numeric') out[r * n + j] = expectations[at] as number;
      else if (c.type === 'binary') out[r * n + j] = (expectations[at] as number) >= 0.5 ? 1 : 0;
      else {
        // The unknown slot stands for categories never seen in training: never an imputed value.
        let best = 0;
        for (let k = 1; k < width - 1; k++) if ((expectations[at + k] as number) > (expectations[at + best] as number)) best = k;
        out[r * n + j] = best;
      }
    });
  }
  return out;
}

/**
 * One draw x ~ p(x | z) per row [size, columns] from decoder outputs `params`: a numeric cell from its Gaussian (the
 * log-variance clipped as in the loss), a binary one from its Bernoulli, a categorical one from its softmax.
 */
export function sampleTabularCells(columns: readonly TabularColumn[], params: ArrayLike<number>, size: number, rng: Rng): Float32Array {
  const layout = tabularLayout(columns);
  const n = columns.length;
  const out = new Float32Array(size * n);
  const probs = new Float64Array(Math.max(1, ...layout.output.map((o) => o.width)));
  for (let r = 0; r < size; r++) {
    const p = r * layout.outputWidth;
    columns.forEach((c, j) => {
      const { offset, width } = layout.output[j] as { offset: number; width: number };
      if (c.type === 'numeric') {
        const logVar = Math.min(TABULAR_LOG_VAR_LIMIT, Math.max(-TABULAR_LOG_VAR_LIMIT, params[p + offset + 1] as number));
        out[r * n + j] = (params[p + offset] as number) + Math.exp(0.5 * logVar) * rng.normal();
      } else if (c.type === 'binary') out[r * n + j] = rng.uniform() < sigmoid(params[p + offset] as number) ? 1 : 0;
      else {
        softmaxInto(params, p + offset, width, probs, 0);
        let u = rng.uniform();
        let k = 0;
        while (k < width - 1 && u >= (probs[k] as number)) u -= probs[k++] as number;
        out[r * n + j] = k;
      }
    });
  }
  return out;
}
