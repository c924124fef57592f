/** What a data file holds, as `latentkit data inspect` prints it: columns, inferred types, rows and missing cells. */
import { type ReadTableOptions, TABLE_FORMATS, detectFormat, readTable } from '../formats/detect.js';
import type { DataFormat, TableFormat } from '../formats/detect.js';
import { readIdxArray } from '../images/idx-array.js';
import { listImageFolder } from '../images/folder.js';
import { readTokenizedText } from '../text/corpus.js';
import { scanCsv } from './csv.js';
import { isSkipped } from './infer.js';
import type { ColumnRole, ColumnType } from './types.js';

export interface ColumnInspection {
  readonly name: string;
  /** `skipped`: not used (the reason is in `note`). */
  readonly role: ColumnRole | 'skipped';
  readonly type?: ColumnType;
  /** Number of categories of a categorical or binary column. */
  readonly categories?: number;
  /** Missing cells; undefined for id and ignored columns, which are not read. */
  readonly missing?: number;
  readonly note?: string;
}

export interface Inspection {
  readonly file: string;
  readonly format: DataFormat;
  readonly rowCount: number;
  readonly columns: readonly ColumnInspection[];
  /** Missing cells over the feature and label columns. */
  readonly missingCells: number;
  /** For formats that are not tables (image folders, IDX, text): what they hold, one line each. */
  readonly notes?: readonly string[];
}

/** Image folders, IDX files and text files: counts without decoding every image. */
async function inspectOther(path: string, format: DataFormat): Promise<Inspection> {
  const base = { file: path, format, columns: [], missingCells: 0 };
  if (format === 'image-folder') {
    const { files, labels, classes } = listImageFolder(path);
    const perClass = classes?.map((name, k) => `class ${k} "${name}": ${count(labels?.filter((l) => l === k).length ?? 0)} images`);
    return { ...base, rowCount: files.length, notes: perClass ?? ['no class sub-folders: one unlabelled set'] };
  }
  if (format === 'idx') {
    const a = await readIdxArray(path);
    return { ...base, rowCount: a.dims[0] ?? 0, notes: [`${a.dtype} array of shape ${a.dims.join('×')}`] };
  }
  const text = await readTokenizedText(path, { emptyLines: 'skip' });
  const tokens = text.sentences.reduce((n, s) => n + s.length, 0);
  const types = new Set(text.sentences.flat()).size;
  return { ...base, rowCount: text.sentences.length, notes: [`${count(tokens)} tokens, ${count(types)} distinct`] };
}

/**
 * Inspects a data file or folder. CSV/TSV files are scanned as a stream (constant memory); other tables are read
 * whole; image folders are listed (not decoded), IDX and text files counted.
 */
export async function inspectFile(path: string, options: Omit<ReadTableOptions, 'format'> & { readonly format?: DataFormat } = {}): Promise<Inspection> {
  const format = options.format ?? detectFormat(path);
  if (!(TABLE_FORMATS as readonly string[]).includes(format)) return inspectOther(path, format);
  if (format === 'csv' || format === 'tsv') {
    const { scanner } = scanCsv(path, format === 'tsv' ? { ...options, delimiter: options.delimiter ?? '\t' } : options);
    const tallies = new Map(scanner.tallies.map((t) => [t.plan.index, t]));
    const columns = scanner.plans.map((p): ColumnInspection => {
      const t = tallies.get(p.index);
      if (t === undefined) return { name: p.name, role: p.role };
      const s = t.schema(path);
      if (isSkipped(s)) return { name: p.name, role: 'skipped', missing: t.missing, note: s.reason };
      return { name: p.name, role: p.role, type: s.type, ...(s.categories && { categories: s.categories.length }), missing: t.missing };
    });
    return { file: path, format, rowCount: scanner.rowCount, columns, missingCells: sum(columns) };
  }
  const table = await readTable(path, { ...options, format: format as TableFormat });
  const w = table.columns.length;
  const missing = new Float64Array(w);
  for (let i = 0; i < table.missing.length; i++) missing[i % w] = (missing[i % w] as number) + (table.missing[i] as number);
  const columns: ColumnInspection[] = table.columns.map((c, j) => ({
    name: c.name,
    role: 'feature',
    type: c.type,
    ...(c.categories && { categories: c.categories.length }),
    missing: missing[j] as number,
  }));
  if (table.label) {
    const l = table.label;
    columns.push({
      name: l.schema.name,
      role: 'label',
      type: l.schema.type,
      ...(l.schema.categories && { categories: l.schema.categories.length }),
      missing: l.missing.reduce((a, b) => a + b, 0),
    });
  }
  for (const s of table.skipped) columns.push({ name: s.name, role: 'skipped', note: s.reason });
  return { file: path, format, rowCount: table.rowCount, columns, missingCells: sum(columns) };
}

function sum(columns: readonly ColumnInspection[]): number {
  return columns.reduce((n, c) => n + (c.role === 'feature' || c.role === 'label' ? (c.missing ?? 0) : 0), 0);
}

const count = (n: number) => n.toLocaleString('en-US');

/** A plain-text report: a summary line, then one line per column (name, role, type, missing cells and share). */
export function formatInspection(inspection: Inspection): string {
  const { rowCount, columns } = inspection;
  const nameWidth = Math.max(6, ...columns.map((c) => c.name.length));
  if (inspection.notes !== undefined) {
    const unit = inspection.format === 'image-folder' ? 'images' : inspection.format === 'text' ? 'lines' : 'items';
    return [`${inspection.file}: ${inspection.format}, ${count(rowCount)} ${unit}`, ...inspection.notes.map((n) => `  ${n}`)].join('\n');
  }
  const lines = [
    `${inspection.file}: ${inspection.format}, ${count(rowCount)} rows, ${columns.length} columns, ${count(inspection.missingCells)} missing cells`,
    `${'column'.padEnd(nameWidth)}  ${'role'.padEnd(8)} ${'type'.padEnd(16)} ${'missing'.padStart(9)} ${'%'.padStart(6)}`,
  ];
  for (const c of columns) {
    const type = c.type === undefined ? '' : c.categories !== undefined ? `${c.type} (${c.categories})` : c.type;
    const missing = c.missing === undefined ? '' : count(c.missing);
    const share = c.missing === undefined || rowCount === 0 ? '' : ((100 * c.missing) / rowCount).toFixed(2);
    const note = c.note === undefined ? '' : `  ${c.note}`;
    lines.push(`${c.name.padEnd(nameWidth)}  ${c.role.padEnd(8)} ${type.padEnd(16)} ${missing.padStart(9)} ${share.padStart(6)}${note}`.trimEnd());
  }
  return lines.join('\n');
}
