/** Which reader a path needs, from its name (or `format` when given), and one entry point for every table format. */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { LatentkitError, invalidArgument } from '@latentkit/core/base';
import { buildTable, columnRows } from '../tabular/build.js';
import type { Cell } from '../tabular/cells.js';
import { type CsvOptions, readCsv } from '../tabular/csv.js';
import type { Table } from '../tabular/types.js';
import { readArrow } from './arrow.js';
import { readJsonLines } from './jsonl.js';
import { matVariable, readMat } from './mat.js';
import { ndarrayTable } from './ndarray.js';
import { readNpy } from './npy.js';
import { readParquet } from './parquet.js';

export const TABLE_FORMATS = ['csv', 'tsv', 'jsonl', 'npy', 'mat', 'arrow', 'parquet'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];
export const DATA_FORMATS = [...TABLE_FORMATS, 'idx', 'image-folder', 'text'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

const BY_EXTENSION: Record<string, DataFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  npy: 'npy',
  mat: 'mat',
  arrow: 'arrow',
  arrows: 'arrow',
  feather: 'arrow',
  ipc: 'arrow',
  parquet: 'parquet',
  pq: 'parquet',
  idx: 'idx',
  txt: 'text',
};

/** The format of a path: a folder is an image folder; files go by extension (a trailing `.gz` is looked through). */
export function detectFormat(path: string): DataFormat {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw new LatentkitError(
      'FILE_NOT_FOUND',
      `${path}: cannot read (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message})`,
      { file: path },
      { cause: e },
    );
  }
  if (isDir) return 'image-folder';
  const name = basename(path).toLowerCase().replace(/\.gz$/, '');
  if (/-idx\d-ubyte$/.test(name)) return 'idx';
  const ext = name.includes('.') ? (name.split('.').pop() as string) : '';
  const format = BY_EXTENSION[ext];
  if (format === undefined) {
    throw new LatentkitError(
      'UNSUPPORTED',
      `${path}: cannot tell the format from the name (known extensions: ${Object.keys(BY_EXTENSION).join(', ')}); pass format explicitly`,
      { file: path },
    );
  }
  return format;
}

export interface ReadTableOptions extends CsvOptions {
  /** Override the format detected from the path. */
  readonly format?: TableFormat;
  /** `.mat` files: the variables holding the features and the labels. Default `X` and `y` (as in ODDS); `y` is optional. */
  readonly matVariables?: { readonly x?: string; readonly y?: string };
}

async function readMatTable(file: string, options: ReadTableOptions): Promise<Table> {
  const mat = await readMat(file);
  const xName = options.matVariables?.x ?? 'X';
  const yName = options.matVariables?.y ?? 'y';
  const x = matVariable(mat, xName, file);
  const y = mat.variables.get(yName);
  if (y === undefined) return ndarrayTable(x, file, options);
  const [rows = 0, cols = 1] = x.dims;
  if (y.data.length !== rows) throw invalidArgument(yName, `${rows} labels, one per row of ${xName} in ${file}`, `${y.data.length}`);
  const names = [...Array.from({ length: cols }, (_, c) => `x${c}`), yName];
  const columns: ArrayLike<Cell>[] = names.map((_, c) => (c === cols ? y.data : Float64Array.from({ length: rows }, (_, r) => x.data[r * cols + c] as number)));
  return buildTable(file, names, columnRows(columns, rows), { ...options, labelColumn: options.labelColumn ?? yName });
}

/** Reads any table file: CSV/TSV, JSON Lines, .npy (1-D/2-D), .mat (X and y), Arrow IPC or Parquet. */
export async function readTable(path: string, options: ReadTableOptions = {}): Promise<Table> {
  const format = options.format ?? detectFormat(path);
  if (!(TABLE_FORMATS as readonly string[]).includes(format)) {
    throw invalidArgument('format', `a table format (${TABLE_FORMATS.join(', ')}) for readTable`, `${format} for ${path}`);
  }
  switch (format as TableFormat) {
    case 'csv':
      return readCsv(path, options);
    case 'tsv':
      return readCsv(path, { ...options, delimiter: options.delimiter ?? '\t' });
    case 'jsonl':
      return readJsonLines(path, options);
    case 'npy':
      return ndarrayTable(await readNpy(path), path, options);
    case 'mat':
      return readMatTable(path, options);
    case 'arrow':
      return readArrow(path, options);
    case 'parquet':
      return readParquet(path, options);
  }
}
