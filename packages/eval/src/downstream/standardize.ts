import type { DenseMatrix } from '../validate.js';

/** Per-feature mean and standard deviation (population, as scikit-learn's StandardScaler); constant features get scale 1. */
export interface Standardizer {
  readonly mean: Float64Array;
  readonly scale: Float64Array;
}

export function fitStandardizer(x: DenseMatrix): Standardizer {
  const mean = new Float64Array(x.cols);
  const scale = new Float64Array(x.cols);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) mean[j] = (mean[j] as number) + (x.data[i * x.cols + j] as number);
  for (let j = 0; j < x.cols; j++) mean[j] = (mean[j] as number) / x.rows;
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) {
      const v = (x.data[i * x.cols + j] as number) - (mean[j] as number);
      scale[j] = (scale[j] as number) + v * v;
    }
  }
  for (let j = 0; j < x.cols; j++) {
    const sd = Math.sqrt((scale[j] as number) / x.rows);
    scale[j] = sd > 1e-12 ? sd : 1;
  }
  return { mean, scale };
}

export function standardize(x: DenseMatrix, s: Standardizer): DenseMatrix {
  const data = new Float64Array(x.data.length);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) {
      const p = i * x.cols + j;
      data[p] = ((x.data[p] as number) - (s.mean[j] as number)) / (s.scale[j] as number);
    }
  }
  return { rows: x.rows, cols: x.cols, data };
}

/** The rows at `indices`, in that order. */
export function selectRows(x: DenseMatrix, indices: ArrayLike<number>): DenseMatrix {
  const data = new Float64Array(indices.length * x.cols);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r] as number;
    data.set(x.data.subarray(i * x.cols, (i + 1) * x.cols), r * x.cols);
  }
  return { rows: indices.length, cols: x.cols, data };
}
