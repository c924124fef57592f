/**
 * The dataset kinds of this package: `smiles`, the user's molecule files (`.smi`, `.smi.gz`, or a CSV with a SMILES
 * column given as `format: 'smiles'`), and `moses`, the MOSES corpus in the shared data with a seeded 10,000 held out.
 */
import path from 'node:path';
import { loadChemistry, loadMosesSmiles, readSmilesFile, skippedSummary } from '@latentkit/chem';
import { LatentkitError } from '@latentkit/core';
import { schemas, z } from '@latentkit/core/schema';
import { DATA_DIR_HINT, type DataSpec, type DatasetKind, defaultDataDir } from '@latentkit/data';
import { smilesData } from './smiles-data.js';

/** MOSES's own protocol holds out its test set; here the seeded 10,000 of `test.csv.gz`. */
export const MOSES_HELD_OUT = 10_000;

const optionsSchema = z.strictObject({
  /** CSV: the SMILES column (default: the one named "smiles" in any letter case). */
  column: z.string().min(1).optional(),
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
    return smilesData(spec, table.smiles, { heldOut: options.heldOut, augment: options.augment, chemistry, skipped: table.skipped, summary });
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
