/** Values from columnar formats (Arrow, Parquet) as table cells: dates become epoch milliseconds, nesting is an error. */
import { parseError } from '@latentkit/core/base';
import type { Cell } from '../tabular/cells.js';

export function toCell(value: unknown, file: string, column: string, row: number): Cell {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'bigint':
      return value;
    default:
      if (value instanceof Date) return value.getTime();
      throw Object.assign(parseError(file, undefined, `a number, string or boolean in column "${column}"`, `a nested value at row ${row}`), {});
  }
}
