/** CSV and TSV files with a header line, into a Table, or just their layout (for inspection and streaming). */
import { parseError } from '@latentkit/core/base';
import { type RowSource, decodeRows, scanRows } from './build.js';
import { csvRecords, firstLine, sniffDelimiter } from './csv-records.js';
import type { TableLayout, TableScanner } from './infer.js';
import { headerNames } from './layout.js';
import type { Table, TableOptions } from './types.js';

export interface CsvOptions extends TableOptions {
  /** Field delimiter; default: tab for `.tsv`, else the most frequent of `,` `;` tab `|` in the header line. */
  readonly delimiter?: string;
}

/** A CSV file's header, delimiter and a re-readable source of its data rows (field counts checked). */
export interface CsvSource {
  readonly file: string;
  readonly delimiter: string;
  readonly names: readonly string[];
  readonly rows: RowSource;
}

export function openCsv(file: string, options: CsvOptions = {}): CsvSource {
  const delimiter = options.delimiter ?? sniffDelimiter(file, firstLine(file));
  const header = csvRecords(file, delimiter).next();
  if (header.done) throw parseError(file, undefined, 'a header line', 'an empty file');
  const names = headerNames(header.value.fields, file);
  const width = names.length;
  const rows: RowSource = function* () {
    const records = csvRecords(file, delimiter);
    records.next();
    for (const { fields, line } of records) {
      if (fields.length !== width) {
        throw Object.assign(parseError(file, line, `${width} fields (as in the header, delimiter ${JSON.stringify(delimiter)})`, `${fields.length}`), {});
      }
      yield { cells: fields, place: { line } };
    }
  };
  return { file, delimiter, names, rows };
}

/** The column types, categories and counts of a CSV file, in one streaming pass (nothing but counts is kept). */
export function scanCsv(file: string, options: CsvOptions = {}): { csv: CsvSource; layout: TableLayout; scanner: TableScanner } {
  const csv = openCsv(file, options);
  return { csv, ...scanRows(file, csv.names, csv.rows, options, csv.delimiter) };
}

/** Reads a CSV/TSV file (gzipped or not) into a Table: two passes over the file, the second one filling the matrix. */
export function readCsv(file: string, options: CsvOptions = {}): Table {
  const { csv, layout, scanner } = scanCsv(file, options);
  return decodeRows(layout, scanner.rowCount, csv.rows, options, csv.delimiter);
}
