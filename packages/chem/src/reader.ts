/**
 * Reading molecules from files: `.smi` (one SMILES per line, optionally followed by a name) and `.csv` with a SMILES
 * column, either possibly gzipped. Lines whose SMILES RDKit cannot parse are skipped and counted with their line
 * numbers, so one bad line in a large training file costs one molecule, not the run; a file with no valid molecule
 * at all is a PARSE_ERROR.
 */
import { LatentkitError, invalidArgument, parseError } from '@latentkit/core/base';
import { parse } from 'csv-parse/sync';
import { type Chemistry, loadChemistry } from './chemistry.js';
import { readMaybeGzippedText } from './io.js';

export type SmilesFileFormat = 'smi' | 'csv';

export interface ReadSmilesOptions {
  /** Default: from the file name (.smi/.txt → smi, .csv → csv, a trailing .gz ignored). */
  readonly format?: SmilesFileFormat;
  /** CSV only: the SMILES column's header. Default: the column named "smiles" in any letter case. */
  readonly column?: string;
  /**
   * `rdkit` (default): keep only SMILES MinimalLib parses. `none`: keep every non-empty SMILES unchecked, for trusted
   * files where parsing every molecule (≈ 0.4 ms each in wasm) is not worth it.
   */
  readonly validate?: 'rdkit' | 'none';
  /** The Chemistry to validate with; default the shared one from `loadChemistry()`. */
  readonly chemistry?: Chemistry;
}

/** Records that were not kept, by 1-based line number in the file. */
export interface SkippedRecords {
  readonly count: number;
  readonly lines: readonly number[];
}

/** The molecules of a file, in file order, with the rest of their record. */
export interface SmilesTable {
  readonly file: string;
  readonly format: SmilesFileFormat;
  /** Kept SMILES, as written (surrounding whitespace removed). */
  readonly smiles: readonly string[];
  /** 1-based line number of each kept SMILES. */
  readonly lines: Int32Array;
  /** smi: the name after the SMILES ('' when a line has none). csv: absent. */
  readonly names?: readonly string[];
  /** csv: the header, the SMILES column's index in it, and every kept record's fields. */
  readonly header?: readonly string[];
  readonly smilesColumn?: number;
  readonly records?: readonly (readonly string[])[];
  /** Number of records read (kept + skipped); blank lines and a header are not records. */
  readonly recordCount: number;
  /** Records with an invalid or empty SMILES. */
  readonly skipped: SkippedRecords;
}

/** The format a file name implies, or undefined. */
export function smilesFormatOf(file: string): SmilesFileFormat | undefined {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.smi') || name.endsWith('.smiles') || name.endsWith('.txt')) return 'smi';
  if (name.endsWith('.csv')) return 'csv';
  return undefined;
}

interface RawRecord {
  readonly smiles: string;
  readonly line: number;
  readonly name?: string;
  readonly fields?: readonly string[];
}

export async function readSmilesFile(file: string, options: ReadSmilesOptions = {}): Promise<SmilesTable> {
  const format = options.format ?? smilesFormatOf(file);
  if (format === undefined) {
    throw new LatentkitError(
      'UNSUPPORTED',
      `${file}: cannot tell the molecule file format from the name; expected .smi, .smiles, .txt or .csv (optionally .gz), or pass format "smi" or "csv"`,
      { file },
    );
  }
  if (format !== 'smi' && format !== 'csv') throw invalidArgument('format', '"smi" or "csv"', format);
  const validate = options.validate ?? 'rdkit';
  if (validate !== 'rdkit' && validate !== 'none') throw invalidArgument('validate', '"rdkit" or "none"', validate);
  const text = await readMaybeGzippedText(file);
  const parsed: ParsedRecords = format === 'smi' ? readSmi(text) : readCsv(file, text, options.column);
  const chem = validate === 'rdkit' ? (options.chemistry ?? (await loadChemistry())) : undefined;

  const kept: RawRecord[] = [];
  const skippedLines: number[] = [];
  for (const r of parsed.records) {
    const ok = r.smiles !== '' && (chem === undefined || chem.isValidSmiles(r.smiles));
    if (ok) kept.push(r);
    else skippedLines.push(r.line);
  }
  const skipped = { count: skippedLines.length, lines: skippedLines };
  if (kept.length === 0) {
    const what = parsed.records.length === 0 ? 'no records' : `${parsed.records.length} record(s), none valid (${describeLines(skippedLines)})`;
    throw parseError(file, undefined, 'at least one valid SMILES', what);
  }
  return {
    file,
    format,
    smiles: kept.map((r) => r.smiles),
    lines: Int32Array.from(kept, (r) => r.line),
    ...(format === 'smi' && { names: kept.map((r) => r.name ?? '') }),
    ...(format === 'csv' && { header: parsed.header ?? [], smilesColumn: parsed.smilesColumn ?? 0, records: kept.map((r) => r.fields ?? []) }),
    recordCount: parsed.records.length,
    skipped,
  };
}

/** "lines 3, 17 and 40" / "lines 3, 17, … (120 in all)": at most `max` numbers. */
export function describeLines(lines: readonly number[], max = 20): string {
  if (lines.length === 0) return 'no lines';
  if (lines.length === 1) return `line ${lines[0]}`;
  if (lines.length <= max) return `lines ${lines.slice(0, -1).join(', ')} and ${lines.at(-1)}`;
  return `lines ${lines.slice(0, max).join(', ')}, … (${lines.length} in all)`;
}

/** The one-line summary for a run log, or undefined when nothing was skipped. */
export function skippedSummary(table: SmilesTable): string | undefined {
  if (table.skipped.count === 0) return undefined;
  return `${table.file}: skipped ${table.skipped.count} of ${table.recordCount} SMILES that RDKit cannot parse (${describeLines(table.skipped.lines)})`;
}

/** smi: whitespace-separated "SMILES [name…]"; blank lines and '#' comment lines are ignored, a "smiles" header too. */
interface ParsedRecords {
  readonly records: readonly RawRecord[];
  readonly header?: readonly string[];
  readonly smilesColumn?: number;
}

function readSmi(text: string): ParsedRecords {
  const records: RawRecord[] = [];
  const lines = text.split('\n');
  let first = true;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const space = line.search(/\s/);
    const smiles = space < 0 ? line : line.slice(0, space);
    const name = space < 0 ? '' : line.slice(space).trim();
    if (first && smiles.toLowerCase() === 'smiles') {
      first = false;
      return;
    }
    first = false;
    records.push({ smiles, line: i + 1, name });
  });
  return { records };
}

interface CsvRow {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

function readCsv(file: string, text: string, column: string | undefined): ParsedRecords {
  let rows: CsvRow[];
  try {
    rows = parse(text, { info: true, skip_empty_lines: true, bom: true, trim: true }) as unknown as CsvRow[];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw parseError(file, line, 'well-formed CSV', (e as Error).message.replace(/^Invalid [^:]*: /, ''));
  }
  const [head, ...body] = rows;
  if (head === undefined) throw parseError(file, undefined, 'a CSV header and at least one record', 'an empty file');
  const header = head.record;
  const smilesColumn = column === undefined ? header.findIndex((h) => h.toLowerCase() === 'smiles') : header.indexOf(column);
  if (smilesColumn < 0) {
    const wanted = column === undefined ? 'a column named "smiles" (any letter case)' : `a column named "${column}"`;
    throw parseError(file, head.info.lines, `${wanted} in the header`, `the columns ${JSON.stringify(header)}`);
  }
  const records = body.map((r) => ({ smiles: r.record[smilesColumn] ?? '', line: r.info.lines, fields: r.record }));
  return { records, header, smilesColumn };
}
