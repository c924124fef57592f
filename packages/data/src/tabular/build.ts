/** A Table from any row source in two passes: one to type the columns, one to fill the matrix. */
import { parseError } from '@latentkit/core/base';
import type { Cell } from './cells.js';
import { type RowPlace, RowDecoder, type TableLayout, TableScanner, finishLayout } from './infer.js';
import { planColumns } from './layout.js';
import type { Table, TableOptions } from './types.js';

/** A row's cells (indexed like the header) and where it came from. */
export interface SourceRow {
  readonly cells: ArrayLike<Cell>;
  readonly place: RowPlace;
}

/** Rows that can be walked more than once (an array, or a function that re-reads a file). */
export type RowSource = () => Iterable<SourceRow>;

/** Scans the rows once and returns the layout (schema) and the row count. */
export function scanRows(
  source: string,
  names: readonly string[],
  rows: RowSource,
  options: TableOptions,
  delimiter?: string,
): { layout: TableLayout; scanner: TableScanner } {
  const scanner = new TableScanner(source, planColumns(names, options, source), options, delimiter);
  for (const { cells, place } of rows()) scanner.add(cells, place);
  if (scanner.rowCount === 0) throw parseError(source, undefined, 'at least one data row', names.length > 0 ? 'only a header' : 'no rows');
  return { layout: finishLayout(scanner), scanner };
}

/** Fills a Table from rows already scanned into `layout`. */
export function decodeRows(layout: TableLayout, rowCount: number, rows: RowSource, options: TableOptions, delimiter?: string): Table {
  const decoder = new RowDecoder(layout, options, delimiter);
  const width = layout.features.length;
  const values = new Float32Array(rowCount * width);
  const missing = new Uint8Array(rowCount * width);
  const label = layout.label && { values: new Float32Array(rowCount), missing: new Uint8Array(rowCount) };
  const ids: string[] | undefined = layout.id === undefined ? undefined : [];
  let r = 0;
  for (const { cells, place } of rows()) {
    decoder.decode(cells, place, values, missing, r);
    if (label !== undefined) {
      const v = decoder.label(cells, place);
      label.values[r] = Number.isNaN(v) ? 0 : v;
      label.missing[r] = Number.isNaN(v) ? 1 : 0;
    }
    ids?.push(decoder.id(cells));
    r++;
  }
  return {
    source: layout.source,
    rowCount,
    columns: layout.features.map((f) => f.schema),
    values,
    missing,
    ...(label && layout.label && { label: { schema: layout.label.schema, ...label } }),
    ...(ids && { ids }),
    skipped: layout.skipped,
  };
}

/** Scan then decode: the whole Table of a source whose rows fit in memory (or can be re-read). */
export function buildTable(source: string, names: readonly string[], rows: RowSource, options: TableOptions, delimiter?: string): Table {
  const { layout, scanner } = scanRows(source, names, rows, options, delimiter);
  return decodeRows(layout, scanner.rowCount, rows, options, delimiter);
}

/** Rows of a column-major source (Arrow, Parquet, a matrix) as SourceRows, reusing one cells array. */
export function columnRows(columns: readonly ArrayLike<Cell>[], rowCount: number): RowSource {
  return function* () {
    const cells: Cell[] = new Array(columns.length);
    for (let r = 0; r < rowCount; r++) {
      for (let c = 0; c < columns.length; c++) cells[c] = (columns[c] as ArrayLike<Cell>)[r];
      yield { cells, place: { row: r } };
    }
  };
}
