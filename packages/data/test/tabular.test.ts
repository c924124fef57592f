import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Table, formatInspection, inspectFile, readCsv, readTable } from '../src/index.js';
import { csvRecords } from '../src/tabular/csv-records.js';
import { sharedData, tempFiles } from './helpers.js';

const reference = JSON.parse(readFileSync(new URL('./fixtures/reference.json', import.meta.url), 'utf8'));
const dataDir = sharedData('air-quality-uci');
const airQuality = dataDir && join(dataDir, 'air-quality-uci', 'AirQualityUCI.csv');

function columnMissing(t: { missing: Uint8Array; columns: readonly unknown[] }): number[] {
  const w = t.columns.length;
  const out = new Array(w).fill(0);
  for (let i = 0; i < t.missing.length; i++) out[i % w] += t.missing[i] as number;
  return out;
}

describe.skipIf(airQuality === undefined)('UCI Air Quality (real file)', () => {
  const file = airQuality as string;
  let table: Table;
  beforeAll(() => {
    table = readCsv(file, { missing: [-200], ignoreColumns: ['Date', 'Time'] });
  });

  it('has 9,357 rows and the 13 measurement columns (the trailing ;; columns and empty rows dropped)', () => {
    expect(table.rowCount).toBe(reference.airQuality.rows);
    expect(table.columns.map((c) => c.name)).toEqual(Object.keys(reference.airQuality.missing));
    expect(table.columns.every((c) => c.type === 'numeric')).toBe(true);
    expect(table.skipped.map((s) => s.name)).toEqual(['column_16', 'column_17']);
  });

  it('masks exactly the cells Python counts as -200 (16,701 in all, -200,0 included)', () => {
    const counts = columnMissing(table);
    expect(counts).toEqual(Object.values(reference.airQuality.missing));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(16_701);
    // Masked cells hold 0, never NaN or the sentinel.
    expect(table.values.some((v, i) => table.missing[i] === 1 && v !== 0)).toBe(false);
    expect(table.values.some(Number.isNaN)).toBe(false);
  });

  it('reads decimal commas: the column means of the observed cells match Python within float32 rounding', () => {
    const w = table.columns.length;
    table.columns.forEach((c, j) => {
      let sum = 0;
      let n = 0;
      for (let r = 0; r < table.rowCount; r++) {
        if (table.missing[r * w + j] === 0) {
          sum += table.values[r * w + j] as number;
          n++;
        }
      }
      expect(sum / n).toBeCloseTo(reference.airQuality.means[c.name], 3);
    });
    expect(table.values[0]).toBeCloseTo(2.6, 6); // "2,6"
  });

  it('inspectFile reports the schema, row count and missing cells per column', async () => {
    const inspection = await inspectFile(file, { missing: ['-200'] });
    expect(inspection.rowCount).toBe(9357);
    expect(inspection.missingCells).toBe(16_701);
    const byName = new Map(inspection.columns.map((c) => [c.name, c]));
    expect(byName.get('NMHC(GT)')?.missing).toBe(8443);
    expect(byName.get('Time')).toMatchObject({ role: 'feature', type: 'categorical', categories: 24 });
    expect(byName.get('Date')?.role).toBe('skipped'); // 391 dates > maxCategories 100
    const text = formatInspection(inspection);
    expect(text).toContain('9,357 rows');
    expect(text).toMatch(/NMHC\(GT\)\s+feature\s+numeric\s+8,443\s+90\.23/);
  });
});

describe('CSV type inference, overrides and roles', () => {
  const files = tempFiles({
    'mixed.csv': 'id,colour,flag,size,answer,score\nr1,red,0,1.5,yes,3\nr2,blue,1,NA,no,\nr3,red,1,2.5,yes,NaN\nr4,green,0,4,no,7\n',
    'quoted.csv': 'name,value\n"a, b",1\n"line\nbreak",2\n',
    'data.tsv': 'x\ty\n1\t2\n3\t4\n',
  });

  it('infers numeric, categorical (sorted) and binary columns, and empty/NA/NaN as missing', () => {
    const t = readCsv(files['mixed.csv'], { idColumn: 'id', labelColumn: 'answer' });
    expect(t.columns).toEqual([
      { name: 'colour', type: 'categorical', categories: ['blue', 'green', 'red'] },
      { name: 'flag', type: 'binary', categories: ['0', '1'] },
      { name: 'size', type: 'numeric' },
      { name: 'score', type: 'numeric' },
    ]);
    expect(Array.from(t.values)).toEqual([2, 0, 1.5, 3, 0, 1, 0, 0, 2, 1, 2.5, 0, 1, 0, 4, 7]);
    expect(Array.from(t.missing)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(t.ids).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(t.label?.schema).toEqual({ name: 'answer', type: 'binary', categories: ['no', 'yes'] });
    expect(Array.from(t.label?.values ?? [])).toEqual([1, 0, 1, 0]);
  });

  it('a columns config overrides the inferred types and roles', () => {
    const t = readCsv(files['mixed.csv'], {
      columns: { id: 'ignore', answer: 'ignore', flag: 'numeric', colour: { type: 'categorical', categories: ['red', 'green', 'blue'] } },
    });
    expect(t.columns.map((c) => [c.name, c.type])).toEqual([
      ['colour', 'categorical'],
      ['flag', 'numeric'],
      ['size', 'numeric'],
      ['score', 'numeric'],
    ]);
    expect(t.values[0]).toBe(0); // red is category 0 of the declared list
  });

  it('reads quoted delimiters and line breaks, and TSV by extension', () => {
    const q = readCsv(files['quoted.csv'], { columns: { name: 'categorical' } });
    expect(q.columns[0]?.categories).toEqual(['a, b', 'line\nbreak']);
    const tsv = readCsv(files['data.tsv']);
    expect(Array.from(tsv.values)).toEqual([1, 2, 3, 4]);
  });

  const moses = sharedData('moses-smiles');
  it.skipIf(moses === undefined)('reads a gzipped CSV (detected by its bytes) and skips a high-cardinality text column', async () => {
    const dir = moses as string;
    const inspection = await inspectFile(join(dir, 'moses-smiles', 'test.csv.gz'));
    expect(inspection.rowCount).toBe(176_074);
    expect(inspection.columns[0]).toMatchObject({ name: 'SMILES', role: 'skipped' });
  });

  const nab = sharedData('nab');
  it.skipIf(nab === undefined)('reads the NAB series (timestamps skipped as text, the value numeric)', async () => {
    const dir = nab as string;
    const t = await readTable(join(dir, 'nab', 'realKnownCause', 'ambient_temperature_system_failure.csv'));
    expect(t.rowCount).toBe(7267);
    expect(t.columns).toEqual([{ name: 'value', type: 'numeric' }]);
    expect(t.skipped.map((s) => s.name)).toEqual(['timestamp']);
  });
});

describe('CSV errors name the file, line, column, what was expected and what was found', () => {
  const files = tempFiles({
    'ragged.csv': 'a,b,c\n1,2,3\n4,5\n',
    'text.csv': 'a,b\n1,2\n3,oops\n',
    'empty.csv': '',
    'header.csv': 'a,b,c\n',
    'dup.csv': 'a,a\n1,2\n',
    'cats.csv': 'c\nx\ny\nz\n',
    'gz.csv.gz': new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x4b, 0x4c]),
  });
  const err = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e as { code: string; message: string };
    }
    throw new Error('expected an error');
  };

  it('a row with the wrong number of fields', () => {
    const e = err(() => readCsv(files['ragged.csv']));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message).toBe(`${files['ragged.csv']}:3: expected 3 fields (as in the header, delimiter ","), got 2`);
  });

  it('text in a column declared numeric', () => {
    const e = err(() => readCsv(files['text.csv'], { columns: { b: 'numeric' } }));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message).toBe(`${files['text.csv']}:3: expected a number (the column is numeric) in column "b", got "oops"`);
  });

  it('an empty file, a header-only file, duplicate names', () => {
    expect(err(() => readCsv(files['empty.csv'])).message).toBe(`${files['empty.csv']}: expected a header line, got an empty file`);
    expect(err(() => readCsv(files['header.csv'])).message).toBe(`${files['header.csv']}: expected at least one data row, got only a header`);
    expect(err(() => readCsv(files['dup.csv'])).message).toContain('column names must be unique, got "a" as columns 1 and 2');
  });

  it('a category outside a declared list, a binary column with three values, an unknown column in the config', () => {
    expect(err(() => readCsv(files['cats.csv'], { columns: { c: { categories: ['x', 'y'] } } })).message).toContain(
      ':4: expected one of the categories x, y in column "c", got "z"',
    );
    expect(err(() => readCsv(files['cats.csv'], { columns: { c: 'binary' } })).message).toContain(
      'expected exactly two distinct values (the column is binary)',
    );
    const e = err(() => readCsv(files['cats.csv'], { labelColumn: 'nope' }));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain('labelColumn names a column "nope" that the file does not have (columns: c)');
  });

  it('a truncated gzip file and a missing file', () => {
    const e = err(() => readCsv(files['gz.csv.gz']));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message).toContain('expected a complete gzip stream, got a truncated or corrupt one');
    expect(err(() => readCsv(join(files.dir, 'absent.csv'))).code).toBe('FILE_NOT_FOUND');
  });
});

describe('csvRecords: the quote-free fast path and csv-parse agree', () => {
  it.skipIf(airQuality === undefined)('on the Air Quality file (CRLF, ;, empty trailing rows)', () => {
    const fast = [...csvRecords(airQuality as string, ';')];
    expect(fast).toEqual([...csvRecords(airQuality as string, ';', 'csv-parse')]);
    expect(fast).toHaveLength(9358);
    expect(fast.at(-1)?.line).toBe(9358);
  });

  it('across 1 MB pieces, with a quoted line break straddling a piece boundary', () => {
    const rows = ['k,text'];
    let size = 7;
    let i = 0;
    // Fill to just under 1 MiB, then a quoted field whose line break falls after the boundary.
    while (size < (1 << 20) - 40) {
      const line = `${i++},plain text number ${i}`;
      rows.push(line);
      size += line.length + 1;
    }
    rows.push(`${i++},"a quoted field that runs over the piece boundary\nand on, ""with quotes"", to here"`);
    for (let k = 0; k < 1000; k++) rows.push(`${i++},after ${k}`);
    const files = tempFiles({ 'big.csv': `${rows.join('\n')}\n` });
    const auto = [...csvRecords(files['big.csv'], ',')];
    expect(auto).toEqual([...csvRecords(files['big.csv'], ',', 'csv-parse')]);
    expect(auto).toHaveLength(i + 1);
    const quoted = auto.find((r) => r.fields[1]?.startsWith('a quoted'));
    expect(quoted?.fields[1]).toBe('a quoted field that runs over the piece boundary\nand on, "with quotes", to here');
    expect(auto.at(-1)?.line).toBe(rows.length + 1); // the quoted record spans two lines
  });
});
