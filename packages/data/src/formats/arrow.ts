/** Apache Arrow IPC files and streams (`.arrow`, `.feather` v2, `.arrows`), through the official apache-arrow package. */
import { parseError } from '@latentkit/core/base';
import { readBytes } from '../io.js';
import { loadOptional } from '../optional.js';
import { buildTable, columnRows } from '../tabular/build.js';
import type { Cell } from '../tabular/cells.js';
import type { Table, TableOptions } from '../tabular/types.js';
import { toCell } from './columnar.js';

export async function readArrow(file: string, options: TableOptions = {}): Promise<Table> {
  const arrow = await loadOptional('apache-arrow', 'read Arrow IPC files', () => import('apache-arrow'));
  const bytes = await readBytes(file);
  let table: import('apache-arrow').Table;
  try {
    table = arrow.tableFromIPC(bytes);
  } catch (e) {
    throw parseError(file, undefined, 'an Arrow IPC file or stream', `unreadable bytes (apache-arrow: ${(e as Error).message})`);
  }
  const names = table.schema.fields.map((f) => f.name);
  if (names.length === 0) throw parseError(file, undefined, 'an Arrow table with at least one column', 'none');
  const columns = names.map((name, c) => {
    const vector = table.getChildAt(c);
    const cells: Cell[] = new Array(table.numRows);
    for (let r = 0; r < table.numRows; r++) cells[r] = toCell(vector?.get(r), file, name, r);
    return cells;
  });
  return buildTable(file, names, columnRows(columns, table.numRows), options);
}
