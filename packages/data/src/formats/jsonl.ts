/**
 * JSON Lines: one JSON object per line, the keys of the first object naming the columns. Values may be numbers,
 * strings, booleans or null (missing); a nested value or a key the first line lacks is a parse error with its line.
 */
import { parseError } from '@latentkit/core/base';
import { readMaybeGzipped } from '../io.js';
import { buildTable } from '../tabular/build.js';
import type { Cell } from '../tabular/cells.js';
import type { Table, TableOptions } from '../tabular/types.js';

export function parseJsonLines(text: string, file: string, options: TableOptions = {}): Table {
  const lines = text.split('\n');
  const rows: { cells: Cell[]; place: { line: number } }[] = [];
  let names: string[] | undefined;
  let index = new Map<string, number>();
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw parseError(file, i + 1, 'a JSON object', `invalid JSON (${(e as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw parseError(file, i + 1, 'a JSON object', Array.isArray(value) ? 'an array' : JSON.stringify(value));
    const entries = Object.entries(value as Record<string, unknown>);
    if (names === undefined) {
      names = entries.map(([k]) => k);
      index = new Map(names.map((n, k) => [n, k]));
    }
    const cells: Cell[] = new Array(names.length).fill(null);
    for (const [key, v] of entries) {
      const k = index.get(key);
      if (k === undefined) throw parseError(file, i + 1, `only the keys of line 1 (${names.join(', ')})`, `key "${key}"`);
      if (v !== null && typeof v === 'object')
        throw parseError(file, i + 1, `a number, string, boolean or null for "${key}"`, Array.isArray(v) ? 'an array' : 'an object');
      cells[k] = v as Cell;
    }
    rows.push({ cells, place: { line: i + 1 } });
  });
  if (names === undefined) throw parseError(file, undefined, 'at least one JSON object', text.trim() === '' ? 'an empty file' : 'only blank lines');
  return buildTable(file, names, () => rows, options);
}

/** Reads a `.jsonl` / `.ndjson` file (gzipped or not) into a Table. */
export async function readJsonLines(file: string, options: TableOptions = {}): Promise<Table> {
  return parseJsonLines((await readMaybeGzipped(file)).toString('utf8'), file, options);
}
