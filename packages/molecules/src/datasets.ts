/**
 * The dataset kinds of this package: `smiles`, the user's molecule files (`.smi`, `.smi.gz`, or a CSV with a SMILES
 * column given as `format: 'smiles'`), and `moses`, the MOSES corpus in the shared data with a seeded 10,000 held out.
 */
import path from 'node:path';
import { type SmilesTable, loadChemistry, loadMosesSmiles, readSmilesFile, skippedSummary } from '@latentkit/chem';
import { LatentkitError, parseError } from '@latentkit/core';
import { schemas, z } from '@latentkit/core/schema';
import { DATA_DIR_HINT, type DataSpec, type DatasetKind, defaultDataDir } from '@latentkit/data';
import { smilesData } from './smiles-data.js';

/** MOSES's own protocol holds out its test set; here the seeded 10,000 of `test.csv.gz`. */
export const MOSES_HELD_OUT = 10_000;

const optionsSchema = z.strictObject({
  /** CSV: the SMILES column (default: the one named "smiles" in any letter case). */
  column: z.string().min(1).optional(),
  /** CSV: a column of class labels (class numbers 0, 1, … or names), for `--condition` and the probes. */
  labelColumn: z.string().min(1).optional(),
  /** Molecules held out for testing, a count; default `testFraction` of them. */
  heldOut: schemas.positiveInt().optional(),
  /** Randomised SMILES of each training molecule per epoch, seeded by (seed, epoch). */
  augment: z.boolean().default(false),
  /** `rdkit` (default for files): skip and count SMILES RDKit cannot parse; `none` (default for MOSES): trust the file. */
  validate: z.enum(['rdkit', 'none']).optional(),
});

type SmilesOptions = z.output<typeof optionsSchema>;

const log = (line: string) => process.stderr.write(`${line}\n`);

function optionsOf(spec: DataSpec): SmilesOptions {
  return optionsSchema.parse(spec.options ?? {});
}

const isCsv = (file: string) => /\.(csv|tsv)(\.gz)?$/i.test(file);

/**
 * The class of each kept molecule from a CSV's label column: class numbers as written when every cell is a whole
 * number ≥ 0, else the distinct names in sorted order (0, 1, … with `labelNames`). An empty cell names its line.
 */
export function moleculeClasses(
  table: SmilesTable,
  column: string,
  /** The training file's class names: a new file's names map onto them (an unknown one names its line). */
  known?: readonly string[],
): { labels: Int32Array; labelNames?: string[] } {
  if (!table.header || !table.records)
    throw new LatentkitError(
      'INVALID_CONFIG',
      `data.options.labelColumn: ${table.file} is a .smi file, which has no columns; give a CSV with a smiles and a "${column}" column`,
      {
        path: 'data.options.labelColumn',
      },
    );
  const at = table.header.indexOf(column);
  if (at < 0) throw parseError(table.file, 1, `a label column "${column}" in the header`, `the columns ${JSON.stringify(table.header)}`);
  const cells = table.records.map((record, i) => {
    const cell = (record[at] ?? '').trim();
    if (cell === '') throw parseError(table.file, table.lines[i], `a class in column "${column}"`, 'an empty cell');
    return cell;
  });
  if (!known && cells.every((c) => /^\d+$/.test(c))) return { labels: Int32Array.from(cells, Number) };
  const names = known ? [...known] : [...new Set(cells)].sort();
  const index = new Map(names.map((name, i) => [name, i]));
  const labels = Int32Array.from(cells, (c, i) => {
    const k = index.get(c);
    if (k === undefined)
      throw parseError(table.file, table.lines[i], `one of the training classes ${JSON.stringify(names)} in column "${column}"`, JSON.stringify(c));
    return k;
  });
  return { labels, labelNames: names };
}

export const smilesFiles: DatasetKind = {
  name: 'smiles',
  summary: 'molecules as SMILES: a .smi / .smi.gz file (SMILES [name] per line), or a CSV with a smiles column (--format smiles)',
  needsDataDir: false,
  claims: (file, format) => format === 'smiles' || (format === undefined && /\.smi(\.gz)?$/i.test(file)),
  optionsSchema: optionsSchema as unknown as z.ZodType<Record<string, unknown>>,
  load: async (spec) => {
    if (!spec.path) throw new LatentkitError('INVALID_CONFIG', 'data.path: the smiles dataset reads a file; give --data <file.smi>', { path: 'data.path' });
    const options = optionsOf(spec);
    const chemistry = await loadChemistry();
    const file = path.resolve(spec.path);
    // readSmilesFile throws PARSE_ERROR (exit 3) when no line holds a valid molecule.
    const table = await readSmilesFile(file, { format: isCsv(file) ? 'csv' : 'smi', column: options.column, validate: options.validate ?? 'rdkit', chemistry });
    const summary = skippedSummary(table);
    if (summary) log(summary);
    const classes = options.labelColumn === undefined ? undefined : moleculeClasses(table, options.labelColumn);
    return smilesData(spec, table.smiles, {
      heldOut: options.heldOut,
      augment: options.augment,
      chemistry,
      skipped: table.skipped,
      summary,
      ...classes,
      // New files (encode/eval --input) read their classes through the training names.
      ...(options.labelColumn !== undefined && {
        inputLabels: (input: SmilesTable) =>
          input.header?.includes(options.labelColumn as string) ? moleculeClasses(input, options.labelColumn as string, classes?.labelNames).labels : undefined,
      }),
    });
  },
};

export const moses: DatasetKind = {
  name: 'moses',
  summary: `MOSES drug-like SMILES in <data-dir>/moses-smiles/test.csv.gz (176,074), a seeded ${MOSES_HELD_OUT.toLocaleString('en')} held out`,
  needsDataDir: true,
  optionsSchema: optionsSchema as unknown as z.ZodType<Record<string, unknown>>,
  load: async (spec) => {
    const dir = spec.dir ?? defaultDataDir();
    if (!dir) throw new LatentkitError('FILE_NOT_FOUND', `dataset "moses" needs a data folder: ${DATA_DIR_HINT} (and moses-smiles/)`);
    const options = optionsOf(spec);
    // MOSES's strings are RDKit output: checking all 176,074 in wasm takes minutes, so only on request.
    const validate = options.validate ?? 'none';
    const chemistry = await loadChemistry();
    const table = await loadMosesSmiles(path.resolve(dir), { validate, chemistry });
    return smilesData(spec, table.smiles, {
      heldOut: options.heldOut ?? MOSES_HELD_OUT,
      augment: options.augment,
      chemistry,
      skipped: table.skipped,
      summary: skippedSummary(table),
    });
  },
};
