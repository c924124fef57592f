/**
 * Preprocessing fitted on the training rows only and saved with a model: the mean and standard deviation of each
 * numeric column, and the category list of each categorical or binary column. Applied again to new data (another
 * file, read with the same column types), it gives the same numbers the model was trained on.
 *
 * A category the training rows never had goes to an extra "unknown" slot (index = categories.length) of a
 * categorical column, or becomes missing in a binary column, and is reported through `onWarning`, not thrown.
 */
import { LatentkitError, check, invalidArgument } from '@latentkit/core/base';
import type { ColumnSchema, ColumnType, ColumnsConfig, Table } from './types.js';

export const PREPROCESSING_FORMAT = 'latentkit-preprocessing';

export type ColumnTransform =
  | { readonly name: string; readonly type: 'numeric'; readonly mean: number; readonly std: number }
  | { readonly name: string; readonly type: 'categorical'; readonly categories: readonly string[] }
  | { readonly name: string; readonly type: 'binary'; readonly categories: readonly [string, string] };

export interface PreprocessingJSON {
  readonly format: typeof PREPROCESSING_FORMAT;
  readonly version: 1;
  readonly columns: readonly ColumnTransform[];
}

/** A table after preprocessing: what a model reads. */
export interface PreparedTable {
  readonly rowCount: number;
  readonly columns: readonly ColumnTransform[];
  /** [rowCount, columns.length]: standardised numbers; category index (unknown = categories.length); 0/1. 0 where missing. */
  readonly values: Float32Array;
  readonly missing: Uint8Array;
}

export interface ApplyOptions {
  /** Called once per column and unseen category (default: console.warn). */
  readonly onWarning?: (message: string) => void;
}

/** Number of classes a model must output for a column: a categorical column has one more, the unknown slot. */
export function classCount(column: ColumnTransform): number {
  return column.type === 'numeric' ? 1 : column.type === 'binary' ? 2 : column.categories.length + 1;
}

function categoriesUsed(table: Table, j: number, rows: ArrayLike<number>): string[] {
  const schema = table.columns[j] as ColumnSchema;
  const all = schema.categories ?? [];
  const used = new Uint8Array(all.length);
  const w = table.columns.length;
  for (let k = 0; k < rows.length; k++) {
    const at = (rows[k] as number) * w + j;
    if (table.missing[at] === 0) used[table.values[at] as number] = 1;
  }
  return all.filter((_, i) => used[i] === 1);
}

export class Preprocessing {
  readonly columns: readonly ColumnTransform[];

  private constructor(columns: readonly ColumnTransform[]) {
    this.columns = columns;
  }

  /** Fits on `rows` of `table` (default all; pass the training split's indices). Missing cells are left out. */
  static fit(table: Table, rows?: ArrayLike<number>): Preprocessing {
    const use = rows ?? Int32Array.from({ length: table.rowCount }, (_, i) => i);
    const w = table.columns.length;
    for (let k = 0; k < use.length; k++) {
      const r = use[k] as number;
      if (!(Number.isInteger(r) && r >= 0 && r < table.rowCount)) throw invalidArgument('rows', `row indices in [0, ${table.rowCount})`, r);
    }
    const columns = table.columns.map((schema, j): ColumnTransform => {
      if (schema.type !== 'numeric') {
        const categories = schema.type === 'binary' ? [...(schema.categories ?? [])] : categoriesUsed(table, j, use);
        return schema.type === 'binary'
          ? { name: schema.name, type: 'binary', categories: categories as [string, string] }
          : { name: schema.name, type: 'categorical', categories };
      }
      let n = 0;
      let mean = 0;
      let m2 = 0;
      for (let k = 0; k < use.length; k++) {
        const at = (use[k] as number) * w + j;
        if (table.missing[at] === 1) continue;
        const x = table.values[at] as number;
        n++;
        const d = x - mean;
        mean += d / n;
        m2 += d * (x - mean);
      }
      const std = n > 1 ? Math.sqrt(m2 / n) : 0;
      // A constant (or empty) column keeps its scale: dividing by 0 would make NaN.
      return { name: schema.name, type: 'numeric', mean: n > 0 ? mean : 0, std: std > 0 ? std : 1 };
    });
    return new Preprocessing(columns);
  }

  static fromJSON(json: unknown): Preprocessing {
    const j = json as Partial<PreprocessingJSON> | null;
    if (j?.format !== PREPROCESSING_FORMAT || j.version !== 1 || !Array.isArray(j.columns)) {
      throw invalidArgument('json', `a preprocessing object {format: "${PREPROCESSING_FORMAT}", version: 1, columns: [...]}`, json);
    }
    j.columns.forEach((c: ColumnTransform, i) => {
      const where = `json.columns[${i}]`;
      check(typeof c?.name === 'string', `${where}.name`, 'a string', c?.name);
      if (c.type === 'numeric') {
        check(Number.isFinite(c.mean), `${where}.mean`, 'a finite number', c.mean);
        check(Number.isFinite(c.std) && c.std > 0, `${where}.std`, 'a positive number', c.std);
      } else if (c.type === 'categorical' || c.type === 'binary') {
        const ok = Array.isArray(c.categories) && c.categories.every((s) => typeof s === 'string') && (c.type === 'categorical' || c.categories.length === 2);
        check(ok, `${where}.categories`, c.type === 'binary' ? 'two strings' : 'an array of strings', c.categories);
      } else throw invalidArgument(`${where}.type`, 'numeric, categorical or binary', (c as { type?: unknown })?.type);
    });
    return new Preprocessing(j.columns);
  }

  toJSON(): PreprocessingJSON {
    return { format: PREPROCESSING_FORMAT, version: 1, columns: this.columns };
  }

  /**
   * The `columns` option to read new data with: numeric columns stay numeric (so a 0/1-only file is not re-typed
   * binary), the others are read as categorical, whatever categories they have, for `apply` to map.
   */
  columnsConfig(): ColumnsConfig {
    const out: Record<string, ColumnType> = {};
    for (const c of this.columns) out[c.name] = c.type === 'numeric' ? 'numeric' : 'categorical';
    return out;
  }

  /**
   * Applies the transforms to a table with the same columns (matched by name, any order; extra columns ignored).
   * Missing cells stay missing (value 0, mask 1).
   */
  apply(table: Table, options: ApplyOptions = {}): PreparedTable {
    const mapper = this.mapper(table.columns, table.source, options);
    const n = table.rowCount;
    const width = this.columns.length;
    const values = new Float32Array(n * width);
    const missing = new Uint8Array(n * width);
    for (let r = 0; r < n; r++) mapper(table.values, table.missing, r * table.columns.length, values, missing, r * width);
    return { rowCount: n, columns: this.columns, values, missing };
  }

  /**
   * A function that maps one source row (at `from` in `src`/`srcMissing`, laid out by `schema`) to one prepared row
   * (at `to`). Used by `apply` and by streaming sources, row by row.
   */
  mapper(
    schema: readonly ColumnSchema[],
    source: string,
    options: ApplyOptions = {},
  ): (src: Float32Array, srcMissing: Uint8Array, from: number, out: Float32Array, outMissing: Uint8Array, to: number) => void {
    const warn = options.onWarning ?? ((m: string) => console.warn(m));
    const byName = new Map(schema.map((s, j) => [s.name, j]));
    const plan = this.columns.map((c) => {
      const j = byName.get(c.name);
      if (j === undefined) {
        throw new LatentkitError(
          'PARSE_ERROR',
          `${source}: expected a column "${c.name}" (the model was trained on it), got columns ${schema.map((s) => s.name).join(', ')}`,
          {
            file: source,
            column: c.name,
          },
        );
      }
      const s = schema[j] as ColumnSchema;
      if ((s.type === 'numeric') !== (c.type === 'numeric')) {
        throw new LatentkitError(
          'PARSE_ERROR',
          `${source}: expected column "${c.name}" to be ${c.type} (as in training), got ${s.type}; read the file with columns: preprocessing.columnsConfig()`,
          {
            file: source,
            column: c.name,
          },
        );
      }
      if (c.type === 'numeric') return { j, numeric: c, lookup: undefined };
      const index = new Map(c.categories.map((cat, i) => [cat, i]));
      const unknown = c.type === 'binary' ? -1 : c.categories.length;
      const lookup = Int32Array.from(s.categories ?? [], (cat) => index.get(cat) ?? unknown);
      const warned = new Uint8Array(lookup.length);
      return { j, numeric: undefined, lookup, warned, unknown, column: c, source: s };
    });
    return (src, srcMissing, from, out, outMissing, to) => {
      for (let k = 0; k < plan.length; k++) {
        const p = plan[k] as (typeof plan)[number];
        const at = from + p.j;
        if (srcMissing[at] === 1) {
          out[to + k] = 0;
          outMissing[to + k] = 1;
          continue;
        }
        const v = src[at] as number;
        if (p.numeric !== undefined) {
          out[to + k] = (v - p.numeric.mean) / p.numeric.std;
          outMissing[to + k] = 0;
          continue;
        }
        const mapped = p.lookup?.[v] as number;
        if (p.lookup !== undefined && 'warned' in p && mapped === p.unknown) {
          if (p.warned?.[v] === 0) {
            (p.warned as Uint8Array)[v] = 1;
            const name = p.source?.categories?.[v];
            warn(
              `${source}: column "${p.column?.name}" has category ${JSON.stringify(name)}, not seen in training; ${p.unknown < 0 ? 'treated as missing' : 'mapped to the unknown slot'}`,
            );
          }
        }
        if (mapped < 0) {
          out[to + k] = 0;
          outMissing[to + k] = 1;
        } else {
          out[to + k] = mapped;
          outMissing[to + k] = 0;
        }
      }
    };
  }
}
