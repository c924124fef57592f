/** A numeric n-dimensional array as the binary formats (.npy, .mat, IDX) give it, and its Table view. */
import { invalidArgument } from '@latentkit/core/base';
import { buildTable, columnRows } from '../tabular/build.js';
import type { Cell } from '../tabular/cells.js';
import type { Table, TableOptions } from '../tabular/types.js';

export interface NdArray {
  /** Sizes, outermost first (C order: the last index varies fastest in `data`). */
  readonly dims: readonly number[];
  /** The values in C (row-major) order. */
  readonly data: Float64Array | Float32Array;
  /** The element type in the file, e.g. `float64`, `uint8`, `bool`. */
  readonly dtype: string;
}

/** Column-major (Fortran) values to row-major, for any rank. */
export function fortranToC<T extends Float64Array | Float32Array>(data: T, dims: readonly number[]): T {
  const n = data.length;
  const out = new (data.constructor as new (n: number) => T)(n);
  const rank = dims.length;
  const index = new Array<number>(rank).fill(0);
  // Walk the Fortran order (first index fastest) and write each value at its C position.
  const cStrides = new Array<number>(rank);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    cStrides[d] = s;
    s *= dims[d] as number;
  }
  for (let k = 0; k < n; k++) {
    let at = 0;
    for (let d = 0; d < rank; d++) at += (index[d] as number) * (cStrides[d] as number);
    out[at] = data[k] as number;
    for (let d = 0; d < rank; d++) {
      index[d] = (index[d] as number) + 1;
      if ((index[d] as number) < (dims[d] as number)) break;
      index[d] = 0;
    }
  }
  return out;
}

/**
 * A 1-D or 2-D array as a Table: a 2-D array's columns are named `x0`, `x1`, … (or `names`), a 1-D array is one
 * column `x0`. NaN cells are missing. Types are inferred as for any table (a 0/1 column is binary).
 */
export function ndarrayTable(array: NdArray, source: string, options: TableOptions = {}, names?: readonly string[]): Table {
  const [rows, cols = 1, ...rest] = array.dims;
  if (rows === undefined || rest.some((d) => d !== 1))
    throw invalidArgument('array', 'a 1-D or 2-D array to read as a table', `dims ${array.dims.join('×')} in ${source}`);
  const columnNames = names ?? Array.from({ length: cols }, (_, c) => `x${c}`);
  if (columnNames.length !== cols) throw invalidArgument('names', `${cols} column names`, names);
  const strided: ArrayLike<Cell>[] = columnNames.map((_, c) => {
    const col = new Float64Array(rows);
    for (let r = 0; r < rows; r++) col[r] = array.data[r * cols + c] as number;
    return col;
  });
  return buildTable(source, columnNames, columnRows(strided, rows), options);
}
