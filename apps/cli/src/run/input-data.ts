/**
 * New data for a trained run (`encode`, `eval`, `sample` with `--input <file>`), read the way the training data was
 * and put through the run's saved preprocessing: a table's columns must be the training columns (by name, any
 * order), an unseen category goes to the unknown slot with a warning, and a file whose columns differ is refused,
 * naming the missing and the extra ones.
 */
import { LatentkitError } from '@latentkit/core';
import {
  type ColumnsConfig,
  type FileOptions,
  type LabelledBatch,
  type PreparedTable,
  type Preprocessing,
  type Table,
  type TableFormat,
  TABLE_FORMATS,
  detectFormat,
  loadData,
  readTable,
  labelledTable,
  tableBatches,
} from '@latentkit/data';
import { readRunPreprocessing, type RunSpec } from './run-folder.js';

function tableReadOptions(o: Partial<FileOptions>, columns: ColumnsConfig | undefined) {
  return {
    ...(columns && { columns }),
    ...(o.missing && { missing: o.missing }),
    ...(o.ignoreColumns && { ignoreColumns: o.ignoreColumns }),
    ...(o.delimiter && { delimiter: o.delimiter }),
    ...(o.decimal && { decimal: o.decimal }),
    ...(o.maxCategories && { maxCategories: o.maxCategories }),
    ...(o.matVariables && { matVariables: o.matVariables }),
  };
}

/** The user's `columns` entries that are roles (ignore, label, id), which apply to new files as they did to training. */
function roleColumns(o: Partial<FileOptions>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o.columns ?? {}).filter(([, v]) =>
      typeof v === 'string' ? ['ignore', 'label', 'id'].includes(v) : v.role !== undefined && v.role !== 'feature',
    ),
  );
}

/** A new table file read against the run's schema: the file as read (original units) and as the model reads it. */
export interface InputTable {
  readonly table: Table;
  readonly prepared: PreparedTable;
  readonly preprocessing: Preprocessing;
}

/**
 * Reads a table file for a trained run: the training columns must all be there (by name, any order) and no others
 * (the label and id columns aside); PARSE_ERROR (exit 3) names the missing and the extra ones.
 */
export async function readInputTable(runDir: string, spec: RunSpec, file: string, warn: (m: string) => void): Promise<InputTable> {
  const pre = readRunPreprocessing(runDir);
  if (!pre) throw new LatentkitError('FILE_NOT_FOUND', `${runDir}: the run has no preprocessing.json; it was not trained on a table`, { file: runDir });
  const o = (spec.data.options ?? {}) as Partial<FileOptions>;
  const format = detectFormat(file);
  if (!(TABLE_FORMATS as readonly string[]).includes(format))
    throw new LatentkitError('PARSE_ERROR', `${file}: expected a table file (the run was trained on a table), got ${format}`, { file });
  const roles = roleColumns(o) as ColumnsConfig;
  // First look: which columns the file has, before the training types are forced on them.
  const first = await readTable(file, { format: format as TableFormat, ...tableReadOptions(o, roles) });
  const present = new Set([...first.columns.map((c) => c.name), ...first.skipped.map((s) => s.name)]);
  const trained = pre.columns.map((c) => c.name);
  const notFeatures = new Set([o.labelColumn, o.idColumn].filter((c): c is string => c !== undefined));
  const missing = trained.filter((name) => !present.has(name));
  const extra = first.columns.map((c) => c.name).filter((name) => !trained.includes(name) && !notFeatures.has(name));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      missing.length > 0 && `missing ${missing.map((c) => `"${c}"`).join(', ')}`,
      extra.length > 0 && `extra ${extra.map((c) => `"${c}"`).join(', ')}`,
    ].filter(Boolean);
    throw new LatentkitError(
      'PARSE_ERROR',
      `${file}: expected the training columns (${trained.join(', ')}), got ${parts.join('; ')}${extra.length > 0 ? ' (leave extra columns out with --ignore-columns when training, or delete them)' : ''}`,
      { file },
    );
  }
  const label = o.labelColumn !== undefined && present.has(o.labelColumn) ? o.labelColumn : undefined;
  const id = o.idColumn !== undefined && present.has(o.idColumn) ? o.idColumn : undefined;
  const table = await readTable(file, {
    format: format as TableFormat,
    ...tableReadOptions(o, { ...roles, ...pre.columnsConfig() }),
    ...(label && { labelColumn: label }),
    ...(id && { idColumn: id }),
  });
  return { table, prepared: pre.apply(table, { onWarning: warn }), preprocessing: pre };
}

/** The columns training left out (`--ignore-columns`) as the text of their cells, and the file's column order. */
export interface IgnoredColumns {
  /** Every column the reader kept, in file order (the label and id columns aside). */
  readonly order: readonly string[];
  readonly texts: ReadonlyMap<string, readonly string[]>;
}

/**
 * Reads the run's ignored columns of a table file once more, as text, so that a command writing the file back (e.g.
 * `impute`) can carry them through unchanged: a sensor file keeps its timestamps. Undefined when none were ignored.
 */
export async function readIgnoredColumns(runDir: string, spec: RunSpec, file: string): Promise<IgnoredColumns | undefined> {
  const o = (spec.data.options ?? {}) as Partial<FileOptions>;
  const ignored = o.ignoreColumns ?? [];
  const pre = readRunPreprocessing(runDir);
  if (ignored.length === 0 || !pre) return undefined;
  const asText = Object.fromEntries(ignored.map((name) => [name, 'categorical'])) as ColumnsConfig;
  const table = await readTable(file, {
    format: detectFormat(file) as TableFormat,
    ...tableReadOptions({ ...o, ignoreColumns: undefined }, { ...(roleColumns(o) as ColumnsConfig), ...pre.columnsConfig(), ...asText }),
  });
  const w = table.columns.length;
  const texts = new Map<string, string[]>();
  table.columns.forEach((c, k) => {
    if (!ignored.includes(c.name)) return;
    texts.set(
      c.name,
      Array.from({ length: table.rowCount }, (_, r) => (table.missing[r * w + k] === 1 ? '' : (c.categories?.[table.values[r * w + k] as number] ?? ''))),
    );
  });
  return { order: table.columns.map((c) => c.name), texts };
}

/** A new file's batches; `examples` is its record count when known before they are read (a table's), for a progress bar. */
export type InputBatches = Iterable<LabelledBatch<unknown>> & { readonly examples?: number };

async function tableInput(runDir: string, spec: RunSpec, file: string, batchSize: number, warn: (m: string) => void): Promise<InputBatches> {
  const { table, prepared } = await readInputTable(runDir, spec, file, warn);
  const batches = labelledTable(tableBatches(prepared, { batchSize, shuffle: false }, table.label));
  return { [Symbol.iterator]: () => batches[Symbol.iterator](), examples: prepared.rowCount };
}

/** Batches of `batchSize` in `batches`, when its record count is known. */
export function batchCount(batches: InputBatches, batchSize: number): number | undefined {
  return batches.examples === undefined ? undefined : Math.ceil(batches.examples / batchSize);
}

/** Labelled batches of a new file, in file order, prepared as the run's training data was. */
export async function inputBatches(runDir: string, spec: RunSpec, file: string, batchSize: number, warn: (m: string) => void): Promise<InputBatches> {
  // A table goes through the run's saved preprocessing, without loading the training file (it may be huge).
  if (readRunPreprocessing(runDir)) return tableInput(runDir, spec, file, batchSize, warn);
  // Images, text, bags of words, SMILES: read as the training data was (its size, its vocabulary), which loading the
  // run's data rebuilds.
  const data = await loadData(spec.data);
  if (data.readInput) return data.readInput(file, batchSize);
  throw new LatentkitError('UNSUPPORTED', `--input: new data for a run on ${spec.data.name} is not supported (its dataset kind has no readInput)`);
}
