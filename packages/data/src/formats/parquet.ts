/** Apache Parquet files through hyparquet (pure JavaScript, no native build): flat columns only. */
import { parseError } from '@latentkit/core/base';
import { readBytes } from '../io.js';
import { loadOptional } from '../optional.js';
import { buildTable, columnRows } from '../tabular/build.js';
import type { Cell } from '../tabular/cells.js';
import type { Table, TableOptions } from '../tabular/types.js';
import { toCell } from './columnar.js';

export async function readParquet(file: string, options: TableOptions = {}): Promise<Table> {
  const hp = await loadOptional('hyparquet', 'read Parquet files', () => import('hyparquet'));
  const bytes = await readBytes(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let names: string[];
  let rows: unknown[][];
  try {
    const metadata = hp.parquetMetadata(buffer);
    names = hp.parquetSchema(metadata).children.map((c) => c.element.name);
    rows = await new Promise<unknown[][]>((resolve, reject) => {
      hp.parquetRead({ file: buffer, metadata, rowFormat: 'array', onComplete: (r) => resolve(r as unknown[][]) }).catch(reject);
    });
  } catch (e) {
    throw parseError(file, undefined, 'a Parquet file', `unreadable bytes (hyparquet: ${(e as Error).message})`);
  }
  const columns = names.map((name, c) => rows.map((row, r) => toCell(row[c], file, name, r)) as Cell[]);
  return buildTable(file, names, columnRows(columns, rows.length), options);
}
