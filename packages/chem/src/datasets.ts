/**
 * The molecule datasets in the shared data folder (see its README): MOSES SMILES, ESOL aqueous solubility and the
 * Tox21 assays, read into typed arrays. Invalid SMILES are skipped and counted, as for any molecule file.
 */
import { join } from 'node:path';
import { Rng, check, parseError } from '@latentkit/core/base';
import { type ReadSmilesOptions, type SkippedRecords, type SmilesTable, readSmilesFile } from './reader.js';

export type MosesSplit = 'test' | 'test_scaffolds';

/**
 * MOSES's `test.csv.gz` (176,074 SMILES) or `test_scaffolds.csv.gz` (176,225) under `<dataDir>/moses-smiles/`.
 * Checking every SMILES with RDKit (the default) takes minutes in wasm; MOSES's files are RDKit output, so
 * `validate: 'none'` is safe for them.
 */
export function loadMosesSmiles(
  dataDir: string,
  options: { readonly split?: MosesSplit } & Pick<ReadSmilesOptions, 'validate' | 'chemistry'> = {},
): Promise<SmilesTable> {
  const split = options.split ?? 'test';
  check(split === 'test' || split === 'test_scaffolds', 'split', '"test" or "test_scaffolds"', split);
  return readSmilesFile(join(dataDir, 'moses-smiles', `${split}.csv.gz`), { format: 'csv', column: 'SMILES', ...options });
}

export interface HeldOutSplit {
  /** Indices of the training molecules, ascending. */
  readonly train: Int32Array;
  /** Indices of the held-out molecules, in the seeded random order they were drawn. */
  readonly heldOut: Int32Array;
}

/** A seeded split of `n` molecules into `heldOut` random ones and the rest (the 10,000 held out of MOSES). */
export function holdOut(n: number, options: { readonly heldOut: number; readonly seed: number | string }): HeldOutSplit {
  const { heldOut, seed } = options;
  check(Number.isInteger(heldOut) && heldOut > 0 && heldOut < n, 'heldOut', `an integer in [1, ${n - 1}] (there are ${n} molecules)`, heldOut);
  const order = Rng.fromSeed(seed).permutation(n);
  return { heldOut: order.slice(0, heldOut), train: order.slice(heldOut).sort() };
}

/** A molecule property table: one row per kept molecule, values as typed arrays. */
export interface PropertyTable {
  readonly file: string;
  readonly smiles: readonly string[];
  /** 1-based line of each molecule in the file. */
  readonly lines: Int32Array;
  readonly skipped: SkippedRecords;
}

export interface EsolData extends PropertyTable {
  readonly names: readonly string[];
  /** Measured log10 solubility in mol/L (the regression target). */
  readonly logS: Float64Array;
  /** Delaney's ESOL equation's prediction, a baseline. */
  readonly esolPredicted: Float64Array;
}

/** ESOL (Delaney 2004, MoleculeNet): `<dataDir>/esol-delaney/delaney-processed.csv`, 1,128 molecules with logS. */
export async function loadEsol(dataDir: string, options: Pick<ReadSmilesOptions, 'chemistry'> = {}): Promise<EsolData> {
  const table = await readSmilesFile(join(dataDir, 'esol-delaney', 'delaney-processed.csv'), { format: 'csv', column: 'smiles', ...options });
  const measured = columnIndex(table, 'measured log solubility in mols per litre');
  const predicted = columnIndex(table, 'ESOL predicted log solubility in mols per litre');
  const name = columnIndex(table, 'Compound ID');
  const records = table.records ?? [];
  return {
    ...base(table),
    names: records.map((r) => r[name] ?? ''),
    logS: Float64Array.from(records, (r, i) => finiteField(table, i, r, measured)),
    esolPredicted: Float64Array.from(records, (r, i) => finiteField(table, i, r, predicted)),
  };
}

/** The twelve Tox21 assays, in the file's column order. */
export const TOX21_ASSAYS = [
  'NR-AR',
  'NR-AR-LBD',
  'NR-AhR',
  'NR-Aromatase',
  'NR-ER',
  'NR-ER-LBD',
  'NR-PPAR-gamma',
  'SR-ARE',
  'SR-ATAD5',
  'SR-HSE',
  'SR-MMP',
  'SR-p53',
] as const;

export interface Tox21Data extends PropertyTable {
  readonly ids: readonly string[];
  readonly assays: readonly string[];
  /** Row-major [molecule, assay]: 1 active, 0 inactive, NaN not measured (then `mask` is 0). */
  readonly labels: Float32Array;
  /** Row-major [molecule, assay]: 1 where the label was measured. Losses must multiply by it. */
  readonly mask: Uint8Array;
}

/** Tox21 (MoleculeNet): `<dataDir>/tox21/tox21.csv`, 7,831 molecules × 12 binary assays, labels partly missing. */
export async function loadTox21(dataDir: string, options: Pick<ReadSmilesOptions, 'chemistry'> = {}): Promise<Tox21Data> {
  const table = await readSmilesFile(join(dataDir, 'tox21', 'tox21.csv'), { format: 'csv', column: 'smiles', ...options });
  const columns = TOX21_ASSAYS.map((a) => columnIndex(table, a));
  const id = columnIndex(table, 'mol_id');
  const records = table.records ?? [];
  const k = columns.length;
  const labels = new Float32Array(records.length * k);
  const mask = new Uint8Array(records.length * k);
  records.forEach((r, i) => {
    columns.forEach((c, j) => {
      const v = r[c] ?? '';
      if (v === '') {
        labels[i * k + j] = Number.NaN;
      } else if (v === '0' || v === '1' || v === '0.0' || v === '1.0') {
        labels[i * k + j] = Number(v);
        mask[i * k + j] = 1;
      } else {
        throw parseError(table.file, table.lines[i], `0, 1 or an empty cell in column "${TOX21_ASSAYS[j]}"`, JSON.stringify(v));
      }
    });
  });
  return { ...base(table), ids: records.map((r) => r[id] ?? ''), assays: [...TOX21_ASSAYS], labels, mask };
}

function base(table: SmilesTable): PropertyTable {
  return { file: table.file, smiles: table.smiles, lines: table.lines, skipped: table.skipped };
}

function columnIndex(table: SmilesTable, name: string): number {
  const i = table.header?.indexOf(name) ?? -1;
  if (i < 0) throw parseError(table.file, 1, `a column "${name}" in the header`, `the columns ${JSON.stringify(table.header)}`);
  return i;
}

function finiteField(table: SmilesTable, row: number, record: readonly string[], column: number): number {
  const text = record[column] ?? '';
  const v = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(v)) throw parseError(table.file, table.lines[row], `a number in column "${table.header?.[column]}"`, JSON.stringify(text));
  return v;
}
