/**
 * Column types inferred from the cells, in one pass that keeps only counts and a capped set of distinct values per
 * column, so the same code types a small file in memory and a file larger than memory as it streams by.
 */
import { parseError } from '@latentkit/core/base';
import { type Cell, type CellKind, CellReader, MISSING, NON_FINITE, NUMBER, TEXT } from './cells.js';
import type { ColumnPlan } from './layout.js';
import type { ColumnSchema, SkippedColumn, TableOptions } from './types.js';

/** Where a row came from, for messages: a 1-based line of a text file, or a 0-based row of a binary format. */
export type RowPlace = { readonly line: number } | { readonly row: number };

export function describePlace(source: string, place: RowPlace): { where: string; line: number | undefined } {
  return 'line' in place ? { where: `${source}:${place.line}`, line: place.line } : { where: `${source}: row ${place.row}`, line: undefined };
}

function cellError(source: string, place: RowPlace | undefined, column: string, expected: string, got: string) {
  const { where, line } = place === undefined ? { where: source, line: undefined } : describePlace(source, place);
  const e = parseError(source, line, `${expected} in column "${column}"`, got);
  return Object.assign(e, { message: `${where}: expected ${expected} in column "${column}", got ${got}` });
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What one pass saw in one column. */
export class ColumnTally {
  missing = 0;
  numbers = 0;
  texts = 0;
  zeroOne = true;
  /** Distinct category keys with their counts, up to the cap (then `overflow`). */
  readonly distinct = new Map<string, number>();
  overflow = false;
  firstText: { text: string; place: RowPlace } | undefined;
  nonFinite: { value: number; place: RowPlace } | undefined;

  constructor(
    readonly plan: ColumnPlan,
    private readonly cap: number,
  ) {}

  add(kind: CellKind, reader: CellReader, place: RowPlace): void {
    if (kind === MISSING) {
      this.missing++;
      return;
    }
    if (kind === NON_FINITE) {
      this.nonFinite ??= { value: reader.value, place };
      return;
    }
    if (kind === NUMBER) {
      this.numbers++;
      if (reader.value !== 0 && reader.value !== 1) this.zeroOne = false;
    } else {
      this.texts++;
      this.firstText ??= { text: reader.text, place };
    }
    if (this.overflow) return;
    const key = reader.key(kind);
    this.distinct.set(key, (this.distinct.get(key) ?? 0) + 1);
    if (this.distinct.size > this.cap) {
      this.overflow = true;
      // Numbers are counted, not kept: a numeric column needs no category list.
      if (this.texts === 0) this.distinct.clear();
    }
  }

  /** The column's schema, or why it is skipped. Declared settings win; a contradiction is a parse error. */
  schema(source: string): ColumnSchema | SkippedColumn {
    const { name, config } = this.plan;
    const declared = config.type;
    if (declared === 'numeric' || (declared === undefined && this.texts === 0 && !(this.zeroOne && this.distinct.size === 2))) {
      if (this.firstText !== undefined)
        throw cellError(source, this.firstText.place, name, 'a number (the column is numeric)', JSON.stringify(this.firstText.text));
      if (this.nonFinite !== undefined) throw cellError(source, this.nonFinite.place, name, 'a finite number', String(this.nonFinite.value));
      if (declared === undefined && this.numbers === 0) return { name, reason: 'no values (every cell is missing)' };
      return { name, type: 'numeric' };
    }
    if (this.nonFinite !== undefined) throw cellError(source, this.nonFinite.place, name, 'a finite number or a category', String(this.nonFinite.value));
    if (config.categories !== undefined)
      return { name, type: declared ?? (config.categories.length === 2 ? 'binary' : 'categorical'), categories: [...config.categories] };
    if (this.overflow) {
      if (declared === undefined) return { name, reason: `text with more than ${this.cap} distinct values (declare its type to use it)` };
      throw cellError(source, undefined, name, `at most ${this.cap} distinct categories (raise maxCategories)`, 'more');
    }
    const categories = [...this.distinct.keys()].sort(byCodePoint);
    if (declared === 'binary' && categories.length !== 2) {
      throw cellError(
        source,
        undefined,
        name,
        'exactly two distinct values (the column is binary)',
        `${categories.length}: ${categories.slice(0, 5).join(', ')}`,
      );
    }
    const type = declared ?? (categories.length === 2 ? 'binary' : 'categorical');
    return { name, type, categories };
  }
}

export const isSkipped = (s: ColumnSchema | SkippedColumn): s is SkippedColumn => 'reason' in s;

/** Counts per column and the row count, from one pass over the rows. */
export class TableScanner {
  readonly reader: CellReader;
  readonly tallies: ColumnTally[];
  rowCount = 0;

  constructor(
    readonly source: string,
    readonly plans: readonly ColumnPlan[],
    options: TableOptions,
    delimiter?: string,
  ) {
    this.reader = new CellReader(options, delimiter);
    const cap = options.maxCategories ?? 100;
    this.tallies = plans
      .filter((p) => p.role === 'feature' || p.role === 'label')
      .map((p) => new ColumnTally(p, p.config.type === undefined ? cap : Number.MAX_SAFE_INTEGER));
  }

  add(cells: ArrayLike<Cell>, place: RowPlace): void {
    this.rowCount++;
    for (const t of this.tallies) t.add(this.reader.read(cells[t.plan.index]), this.reader, place);
  }
}

/** The schema of a scanned table: its feature columns, label, id and skipped columns, with their file positions. */
export interface TableLayout {
  readonly source: string;
  readonly features: readonly { readonly index: number; readonly schema: ColumnSchema }[];
  readonly label?: { readonly index: number; readonly schema: ColumnSchema };
  readonly id?: number;
  readonly skipped: readonly SkippedColumn[];
}

export function finishLayout(scanner: TableScanner): TableLayout {
  const features: { index: number; schema: ColumnSchema }[] = [];
  const skipped: SkippedColumn[] = [];
  let label: { index: number; schema: ColumnSchema } | undefined;
  for (const t of scanner.tallies) {
    const s = t.schema(scanner.source);
    if (isSkipped(s)) {
      if (t.plan.role === 'label') throw parseError(scanner.source, undefined, `values in the label column "${t.plan.name}"`, s.reason);
      skipped.push(s);
    } else if (t.plan.role === 'label') label = { index: t.plan.index, schema: s };
    else features.push({ index: t.plan.index, schema: s });
  }
  const id = scanner.plans.find((p) => p.role === 'id')?.index;
  return { source: scanner.source, features, ...(label && { label }), ...(id !== undefined && { id }), skipped };
}

/** Turns rows into matrix rows by a layout: numbers, category indices, 0 and a mask bit where missing. */
export class RowDecoder {
  private readonly reader: CellReader;
  private readonly lookups: (ReadonlyMap<string, number> | undefined)[];
  private readonly labelLookup: ReadonlyMap<string, number> | undefined;

  constructor(
    readonly layout: TableLayout,
    options: TableOptions,
    delimiter?: string,
  ) {
    this.reader = new CellReader(options, delimiter);
    const lookup = (s: ColumnSchema) => (s.categories === undefined ? undefined : new Map(s.categories.map((c, i) => [c, i])));
    this.lookups = layout.features.map((f) => lookup(f.schema));
    this.labelLookup = layout.label && lookup(layout.label.schema);
  }

  private cell(cells: ArrayLike<Cell>, index: number, schema: ColumnSchema, lookup: ReadonlyMap<string, number> | undefined, place: RowPlace): number {
    const kind = this.reader.read(cells[index]);
    if (kind === MISSING) return Number.NaN;
    if (lookup === undefined) {
      if (kind !== NUMBER)
        throw cellError(
          this.layout.source,
          place,
          schema.name,
          'a finite number (the column is numeric)',
          JSON.stringify(kind === TEXT ? this.reader.text : String(this.reader.value)),
        );
      return this.reader.value;
    }
    const key = this.reader.key(kind);
    const i = lookup.get(key);
    if (i === undefined)
      throw cellError(
        this.layout.source,
        place,
        schema.name,
        `one of the categories ${(schema.categories ?? []).slice(0, 10).join(', ')}`,
        JSON.stringify(key),
      );
    return i;
  }

  /** Writes row `cells` at row `row` of `values`/`missing` ([rows, features] row-major). */
  decode(cells: ArrayLike<Cell>, place: RowPlace, values: Float32Array, missing: Uint8Array, row: number): void {
    const width = this.layout.features.length;
    const features = this.layout.features;
    for (let j = 0; j < width; j++) {
      const f = features[j] as (typeof features)[number];
      const v = this.cell(cells, f.index, f.schema, this.lookups[j], place);
      const at = row * width + j;
      if (Number.isNaN(v)) {
        values[at] = 0;
        missing[at] = 1;
      } else {
        values[at] = v;
        missing[at] = 0;
      }
    }
  }

  /** The label of a row (NaN when missing). */
  label(cells: ArrayLike<Cell>, place: RowPlace): number {
    const l = this.layout.label;
    return l === undefined ? Number.NaN : this.cell(cells, l.index, l.schema, this.labelLookup, place);
  }

  id(cells: ArrayLike<Cell>): string {
    const cell = cells[this.layout.id as number];
    return cell === null || cell === undefined ? '' : String(cell);
  }
}
