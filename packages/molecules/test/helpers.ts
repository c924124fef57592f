import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The shared data folder holding `folder` (LATENTKIT_DATA_DIR, else /work/shared/data), or undefined with a printed skip notice. */
export function sharedData(folder: string): string | undefined {
  const candidates = process.env['LATENTKIT_DATA_DIR']
    ? [process.env['LATENTKIT_DATA_DIR']]
    : [join(__dirname, '../../../../shared/data'), '/work/shared/data'];
  const dir = candidates.find((d) => existsSync(join(d, folder)));
  if (dir === undefined) console.warn(`skipping tests that need ${folder} in ${candidates.join(' or ')}: not present (set LATENTKIT_DATA_DIR to run them)`);
  return dir;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'latentkit-molecules-'));
}

export function writeTemp(name: string, content: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, content);
  return file;
}

/** Hand-picked valid molecules covering two-letter atoms, bracket atoms, charges, stereo and rings. */
export const MOLECULES = [
  'CCO',
  'c1ccccc1Cl',
  'CC(=O)Oc1ccccc1C(=O)O',
  'c1ccc2[nH]ccc2c1',
  'C[C@@H](N)C(=O)O',
  'BrCCBr',
  'O=C([O-])c1ccccc1',
  'CN1CCC[C@H]1c1cccnc1',
  'FC(F)(F)c1ccccc1',
  'CCN(CC)CC',
  'C1CCCCC1',
  'OCC(O)CO',
  'CC(C)Cc1ccc(C(C)C(=O)O)cc1',
  'Clc1ccc(Cl)cc1',
  'COc1ccccc1',
  'NC(=O)c1ccccc1',
  'CCCCCCCC',
  'c1ccncc1',
  'S=C=S',
  'CC#N',
] as const;
