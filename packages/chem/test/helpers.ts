import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared data folder: LATENTKIT_DATA_DIR, else <repo>/../shared/data (a checkout next to it), else the
 * machine-wide /work/shared/data; undefined, with a printed skip notice, when `folder` is in none of them.
 */
export function sharedData(folder: string): string | undefined {
  const env = process.env['LATENTKIT_DATA_DIR'];
  const candidates = env ? [env] : [fileURLToPath(new URL('../../../../shared/data', import.meta.url)), '/work/shared/data'];
  const dir = candidates.find((d) => existsSync(join(d, folder)));
  if (dir === undefined) console.warn(`skipping tests that need ${folder} in ${candidates.join(' or ')}: not present (set LATENTKIT_DATA_DIR to run them)`);
  return dir;
}

/** Writes files into a new temporary directory and returns their paths by name. */
export function tempFiles<K extends string>(files: Record<K, string | Uint8Array>): Record<K | 'dir', string> {
  const dir = mkdtempSync(join(tmpdir(), 'latentkit-chem-'));
  const paths: Record<string, string> = { dir };
  for (const [name, content] of Object.entries<string | Uint8Array>(files)) {
    paths[name] = join(dir, name);
    writeFileSync(join(dir, name), content);
  }
  return paths as Record<K | 'dir', string>;
}

export interface ReferenceMolecule {
  readonly source: 'moses' | 'esol' | 'tox21';
  readonly smiles: string;
  readonly canonical: string;
  readonly logP: number;
  readonly molWt: number;
  readonly exactMolWt: number;
  readonly tpsa: number;
  readonly heavyAtoms: number;
  readonly hbd: number;
  readonly rotatableBondsStrict: number;
  readonly qed: number;
  readonly qedProperties: Record<string, number>;
  readonly morganOnBits: number[];
}

export interface Reference {
  readonly rdkitVersion: string;
  readonly molecules: readonly ReferenceMolecule[];
  readonly qedSmarts: { readonly acceptors: string[]; readonly alerts: string[]; readonly aliphaticRings: string };
  readonly mosesMetrics: {
    readonly generated: string[];
    readonly train: string[];
    readonly reference: string[];
    readonly ks: number[];
    readonly expected: { valid: number; unique: Record<string, number>; novelty: number; intDiv1: number; intDiv2: number; snn: number };
  };
}

/** Values computed by Python RDKit with test/fixtures/make-fixtures.py. */
export const reference: Reference = JSON.parse(readFileSync(new URL('./fixtures/rdkit-reference.json', import.meta.url), 'utf8'));
