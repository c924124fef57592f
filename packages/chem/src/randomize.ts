/**
 * Seeded atom-order randomisation for randomised-SMILES augmentation (Arús-Pous et al. 2019). MinimalLib's own
 * `get_smiles({doRandom: true})` draws from RDKit's internal generator, which cannot be seeded from JavaScript, so a
 * run would not reproduce. Instead the molecule's V2000 molblock gets its atoms renumbered by a permutation from our
 * seeded Rng and is written back as non-canonical SMILES, which RDKit starts at atom 0 and walks in index order —
 * the same renumber-then-write recipe as Python's `Chem.RenumberAtoms` + `MolToSmiles(canonical=False)`.
 */
import { LatentkitError } from '@latentkit/core/base';

/** Atom-indexed property lines of a V2000 molblock: "M  CHG  n aaa vvv …" and the same layout for ISO and RAD. */
const ATOM_VALUE_PROPERTIES = new Set(['M  CHG', 'M  ISO', 'M  RAD']);

const pad3 = (n: number): string => String(n).padStart(3, ' ');

/**
 * The molblock with its atoms in a new order: atom k of the result is atom `order[k]` of the input (0-based). Bonds
 * and the charge, isotope and radical lines follow their atoms; coordinates and bond directions stay as they are, so
 * stereochemistry is kept.
 */
export function renumberMolblock(molblock: string, order: ArrayLike<number>): string {
  const lines = molblock.split('\n');
  const counts = lines[3] ?? '';
  if (!counts.includes('V2000')) throw new LatentkitError('UNSUPPORTED', 'SMILES randomisation needs a V2000 molblock (molecules of at most 999 atoms)', {});
  const atomCount = Number(counts.slice(0, 3));
  const bondCount = Number(counts.slice(3, 6));
  if (order.length !== atomCount) throw new LatentkitError('INVALID_ARGUMENT', `atom order has ${order.length} entries for ${atomCount} atoms`, {});
  const newIndex = new Int32Array(atomCount);
  for (let k = 0; k < atomCount; k++) newIndex[order[k] as number] = k;
  const renumber = (oneBased: string): string => pad3((newIndex[Number(oneBased) - 1] as number) + 1);

  const atomStart = 4;
  const bondStart = atomStart + atomCount;
  const out = lines.slice(0, atomStart);
  for (let k = 0; k < atomCount; k++) out.push(lines[atomStart + (order[k] as number)] as string);
  for (let b = 0; b < bondCount; b++) {
    const line = lines[bondStart + b] as string;
    out.push(renumber(line.slice(0, 3)) + renumber(line.slice(3, 6)) + line.slice(6));
  }
  for (let i = bondStart + bondCount; i < lines.length; i++) {
    const line = lines[i] as string;
    const tag = line.slice(0, 6);
    if (ATOM_VALUE_PROPERTIES.has(tag)) {
      const n = Number(line.slice(6, 9));
      let rewritten = line.slice(0, 9);
      for (let e = 0; e < n; e++) {
        const at = 9 + e * 8;
        rewritten += ` ${renumber(line.slice(at + 1, at + 4))} ${line.slice(at + 5, at + 8)}`;
      }
      out.push(rewritten);
    } else if (line.startsWith('M  END') || line.trim() === '' || line.startsWith('$$$$')) {
      out.push(line);
    } else {
      throw new LatentkitError('UNSUPPORTED', `SMILES randomisation cannot renumber the molblock line "${line}"`, { line });
    }
  }
  return out.join('\n');
}
