/**
 * One cell of any format read as missing, a number or a piece of text. Called once per cell of files that may be
 * gigabytes long, so it returns a kind code and leaves the value in a reused scratch object instead of allocating.
 */
import type { CellOptions } from './types.js';

/** A raw cell as a reader hands it over: CSV gives text, JSON and Arrow give numbers, booleans and nulls too. */
export type Cell = string | number | boolean | bigint | null | undefined;

export const MISSING = 0;
export const NUMBER = 1;
export const TEXT = 2;
export const NON_FINITE = 3;
export type CellKind = typeof MISSING | typeof NUMBER | typeof TEXT | typeof NON_FINITE;

const DEFAULT_MISSING = ['', 'NA', 'NaN'];
const DOT_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const COMMA_NUMBER = /^[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?$/;

/** Reads cells by one table's rules: its missing tokens and numeric sentinels, and its decimal mark. */
export class CellReader {
  /** The number (kind NUMBER) or trimmed text (kind TEXT) of the cell last read. */
  value = 0;
  text = '';
  private readonly missingTexts: ReadonlySet<string>;
  private readonly missingNumbers: ReadonlySet<number>;
  private readonly dot: boolean;
  private readonly comma: boolean;

  constructor(options: CellOptions, delimiter = ',') {
    const texts = new Set(DEFAULT_MISSING);
    const numbers = new Set<number>();
    for (const m of options.missing ?? []) {
      if (typeof m === 'number') numbers.add(m);
      else {
        texts.add(m.trim());
        const n = Number(m.trim().replace(',', '.'));
        if (m.trim() !== '' && Number.isFinite(n)) numbers.add(n);
      }
    }
    this.missingTexts = texts;
    this.missingNumbers = numbers;
    const decimal = options.decimal ?? 'auto';
    this.dot = decimal !== ',';
    this.comma = decimal === ',' || (decimal === 'auto' && delimiter !== ',');
  }

  /** Parses a text as a number by this table's decimal mark; NaN when it is not one. */
  parseNumber(text: string): number {
    if (this.dot && DOT_NUMBER.test(text)) return Number(text);
    if (this.comma && COMMA_NUMBER.test(text)) return Number(text.replace(',', '.'));
    return Number.NaN;
  }

  read(cell: Cell): CellKind {
    switch (typeof cell) {
      case 'number':
        return this.number(cell);
      case 'bigint':
        return this.number(Number(cell));
      case 'boolean':
        this.text = cell ? 'true' : 'false';
        return TEXT;
      case 'string': {
        const text = cell.trim();
        if (this.missingTexts.has(text)) return MISSING;
        const n = this.parseNumber(text);
        if (!Number.isNaN(n)) return this.number(n);
        this.text = text;
        return TEXT;
      }
      default:
        return MISSING;
    }
  }

  private number(n: number): CellKind {
    if (Number.isNaN(n) || this.missingNumbers.has(n)) return MISSING;
    this.value = n;
    this.text = '';
    return Number.isFinite(n) ? NUMBER : NON_FINITE;
  }

  /** The category key of the cell last read: the text, or the canonical text of the number. */
  key(kind: CellKind): string {
    return kind === NUMBER ? String(this.value) : this.text;
  }
}
