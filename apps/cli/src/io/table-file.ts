/**
 * A completed table back to CSV/TSV in the original units: observed cells as they were read (the number, or the
 * category's own text), imputed numeric cells un-standardised with the run's preprocessing, imputed categories by
 * name. Numbers are written in the shortest form that reads back as the same float32, so 2.6 stays "2.6".
 */
import { invalidArgument } from '@latentkit/core/base';
import type { ColumnTransform, Table } from '@latentkit/data';
import { stringify } from 'csv-stringify/sync';
import type { IgnoredColumns } from '../run/input-data.js';

export function delimiterFor(file: string): ',' | '\t' {
  const ext = file.split('.').pop()?.toLowerCase();
  if (ext === 'csv') return ',';
  if (ext === 'tsv' || ext === 'tab') return '\t';
  throw invalidArgument('--out', 'a file name ending in .csv or .tsv', file);
}

/** The shortest decimal text that parses back to the same float32 as `v`. */
export function float32Text(v: number): string {
  const f = Math.fround(v);
  for (let digits = 1; digits < 9; digits++) {
    const text = String(Number(f.toPrecision(digits)));
    if (Math.fround(Number(text)) === f) return text;
  }
  return String(Number(f.toPrecision(9)));
}

export interface CompletedTable {
  readonly table: Table;
  /** The run's columns, in the order of `values` / `sd`. */
  readonly columns: readonly ColumnTransform[];
  /** [rows, columns] in model units (standardised numbers, category slots, 0/1). */
  readonly values: Float32Array;
  /** [rows, columns] standard deviations in model units, when there were multiple imputations. */
  readonly sd?: Float32Array;
  /** The name of the id column, when the file had one. */
  readonly idColumn?: string;
  /** Columns training left out, written back as they were read, in file order. */
  readonly ignored?: IgnoredColumns;
}

/**
 * The text of the completed file: the id column (if any), the feature and ignored columns in file order, the label
 * column (if any), then `<column>_sd` per numeric column when `sd` is given.
 */
export function completedTableText(c: CompletedTable, delimiter: ',' | '\t'): string {
  const { table, columns } = c;
  const w = columns.length;
  const runIndex = new Map(columns.map((col, j) => [col.name, j]));
  const fileWidth = table.columns.length;
  const fileIndex = new Map(table.columns.map((schema, k) => [schema.name, k]));
  const ignored = c.ignored;
  const middle = ignored ? ignored.order.filter((name) => fileIndex.has(name) || ignored.texts.has(name)) : table.columns.map((s) => s.name);
  const header = [
    ...(table.ids ? [c.idColumn ?? 'id'] : []),
    ...middle,
    ...(table.label ? [table.label.schema.name] : []),
    ...(c.sd ? columns.filter((col) => col.type === 'numeric').map((col) => `${col.name}_sd`) : []),
  ];
  const rows: string[][] = [header];
  for (let r = 0; r < table.rowCount; r++) {
    const row: string[] = table.ids ? [table.ids[r] ?? ''] : [];
    for (const name of middle) {
      const passed = ignored?.texts.get(name);
      if (passed) {
        row.push(passed[r] ?? '');
        continue;
      }
      const k = fileIndex.get(name) as number;
      const schema = table.columns[k] as Table['columns'][number];
      const j = runIndex.get(name) as number;
      const col = columns[j] as ColumnTransform;
      if (table.missing[r * fileWidth + k] === 0) {
        const raw = table.values[r * fileWidth + k] as number;
        row.push(schema.type === 'numeric' ? float32Text(raw) : (schema.categories?.[raw] ?? ''));
        continue;
      }
      const v = c.values[r * w + j] as number;
      row.push(col.type === 'numeric' ? float32Text(v * col.std + col.mean) : (col.categories[v] ?? ''));
    }
    if (table.label) {
      const { schema, values, missing } = table.label;
      const v = values[r] as number;
      row.push(missing[r] === 1 ? '' : schema.type === 'numeric' ? float32Text(v) : (schema.categories?.[v] ?? ''));
    }
    if (c.sd) {
      columns.forEach((col, j) => {
        if (col.type === 'numeric') row.push(float32Text((c.sd?.[r * w + j] as number) * col.std));
      });
    }
    rows.push(row);
  }
  return stringify(rows, { delimiter });
}
