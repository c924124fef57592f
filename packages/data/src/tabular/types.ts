/**
 * The in-memory form of a table of mixed columns, shared by every tabular reader (CSV, JSON Lines, Arrow, Parquet,
 * .npy, .mat): one Float32 matrix plus a missing-mask, and a schema that says how to read each column's numbers.
 */

/**
 * How a column's cells become numbers. `numeric`: the value itself. `categorical`: the index of the cell in
 * `categories`. `binary`: a categorical column of exactly two categories, index 0 or 1.
 */
export type ColumnType = 'numeric' | 'categorical' | 'binary';

/** A column as inferred (or declared): its name, its type and, for categorical and binary columns, the categories. */
export interface ColumnSchema {
  readonly name: string;
  readonly type: ColumnType;
  /** Category names by index (code-point order when inferred); present for categorical and binary columns. */
  readonly categories?: readonly string[];
}

/** One column's values for the rows of a table, with its own missing-mask: used for the label column. */
export interface TableColumn {
  readonly schema: ColumnSchema;
  /** One value per row: the number, or the category index; 0 where missing. */
  readonly values: Float32Array;
  /** 1 where the cell is missing. */
  readonly missing: Uint8Array;
}

/** A column that was read but is not in the matrix, and why (e.g. free text with too many distinct values). */
export interface SkippedColumn {
  readonly name: string;
  readonly reason: string;
}

export interface Table {
  /** The file it was read from, for messages. */
  readonly source: string;
  readonly rowCount: number;
  /** The feature columns, in file order (label, id, ignored and skipped columns are not among them). */
  readonly columns: readonly ColumnSchema[];
  /** [rowCount, columns.length] row-major: numbers, category indices or 0/1; 0 where missing (never NaN). */
  readonly values: Float32Array;
  /** [rowCount, columns.length] row-major: 1 where the cell is missing. */
  readonly missing: Uint8Array;
  /** The label column, when one was named. */
  readonly label?: TableColumn;
  /** The id column's cells as text, when one was named. */
  readonly ids?: readonly string[];
  /** Columns that were neither features, label, id nor ignored on purpose. */
  readonly skipped: readonly SkippedColumn[];
}

/** What a column is used for. */
export type ColumnRole = 'feature' | 'label' | 'id' | 'ignore';

/** A column's declared type and role (every field optional: what is not given is inferred). */
export interface ColumnConfig {
  readonly type?: ColumnType;
  readonly role?: ColumnRole;
  /** Fixed categories (categorical or binary): a cell outside them is a parse error. */
  readonly categories?: readonly string[];
}

/** Per-column settings by column name: a type, `ignore`, or a full ColumnConfig. */
export type ColumnsConfig = Readonly<Record<string, ColumnType | 'ignore' | 'label' | 'id' | ColumnConfig>>;

/** How cells are read, whatever the format. */
export interface CellOptions {
  /**
   * Cell texts (exact, after trimming) or numbers that mean "missing", on top of the empty cell, `NA` and `NaN`.
   * A number (or a string that is a number, such as `-200`) matches numerically, so `-200` also matches `-200,0`.
   */
  readonly missing?: readonly (string | number)[];
  /**
   * The decimal mark of numbers in text: `.`, `,`, or `auto` (default): `.` when the delimiter is a comma, either
   * mark otherwise (the UCI Air Quality file writes `2,6` in `;`-separated fields).
   */
  readonly decimal?: '.' | ',' | 'auto';
}

/** How a table's columns are chosen and typed, whatever the format. */
export interface TableOptions extends CellOptions {
  readonly columns?: ColumnsConfig;
  readonly labelColumn?: string;
  readonly idColumn?: string;
  readonly ignoreColumns?: readonly string[];
  /**
   * A text column with more distinct values than this is not inferred categorical: it is skipped (and listed in
   * `skipped`) unless its type is declared. Default 100.
   */
  readonly maxCategories?: number;
}
