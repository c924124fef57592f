/**
 * Argument checks shared by every metric: they turn bad input (ragged arrays, NaN, one class) into a
 * `LatentkitError` that names the argument, instead of a silent NaN in a report.
 */
import { LatentkitError, invalidArgument } from '@latentkit/core';

/** Integer labels or cluster ids, one per example. Any integers: they need not be 0..k-1. */
export type Labels = ArrayLike<number>;

/** Latent codes, one row per example. */
export type Codes = ArrayLike<ArrayLike<number>>;

/** Row-major float64 matrix, the layout the downstream tasks compute on. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export function checkLabels(labels: Labels, name: string): void {
  if (labels == null || typeof labels.length !== 'number') throw invalidArgument(name, 'an array of integer labels', labels);
  if (labels.length === 0) throw invalidArgument(name, 'a non-empty array of integer labels', '[]');
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] as number;
    if (!Number.isInteger(v)) throw invalidArgument(`${name}[${i}]`, 'an integer label', v);
  }
}

export function checkSameLength(a: ArrayLike<unknown>, aName: string, b: ArrayLike<unknown>, bName: string): void {
  if (a.length !== b.length) {
    throw new LatentkitError('INVALID_ARGUMENT', `arguments "${aName}" and "${bName}" must have the same length, got ${a.length} and ${b.length}`, {
      argument: bName,
      expected: a.length,
      got: b.length,
    });
  }
}

export function checkFiniteArray(values: ArrayLike<number>, name: string): void {
  if (values == null || typeof values.length !== 'number') throw invalidArgument(name, 'an array of finite numbers', values);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidArgument(`${name}[${i}]`, 'a finite number', v);
  }
}

/** Copies codes into a dense matrix, checking that every row has the same width and only finite values. */
export function toDense(codes: Codes, name: string): DenseMatrix {
  if (codes == null || typeof codes.length !== 'number' || codes.length === 0) {
    throw invalidArgument(name, 'a non-empty array of code vectors', codes);
  }
  const first = codes[0] as ArrayLike<number>;
  const cols = first?.length;
  if (typeof cols !== 'number' || cols === 0) throw invalidArgument(`${name}[0]`, 'a non-empty vector', first);
  const rows = codes.length;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = codes[i] as ArrayLike<number>;
    if (row?.length !== cols) throw invalidArgument(`${name}[${i}]`, `a vector of length ${cols} like ${name}[0]`, row?.length);
    for (let j = 0; j < cols; j++) {
      const v = row[j] as number;
      if (!Number.isFinite(v)) throw invalidArgument(`${name}[${i}][${j}]`, 'a finite number', v);
      data[i * cols + j] = v;
    }
  }
  return { rows, cols, data };
}

/** Maps arbitrary integer labels to 0..k-1 in ascending label order; `values[index]` is the original label. */
export function encodeLabels(labels: Labels): { readonly index: Int32Array; readonly values: number[] } {
  const values = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  const lookup = new Map(values.map((v, i) => [v, i]));
  const index = Int32Array.from(Array.from(labels), (v) => lookup.get(v) as number);
  return { index, values };
}
