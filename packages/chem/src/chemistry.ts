/**
 * One handle on RDKit MinimalLib with the molecule operations latentkit needs. Every method parses its SMILES,
 * works on the molecule and deletes it before returning, so callers never hold wasm objects and thousands of calls
 * leave wasm memory where it was. Invalid SMILES give `null` (or `false`), never an exception.
 */
import { type Rng, check, invalidArgument } from '@latentkit/core/base';
import { type Fingerprint, fingerprintFromWords } from './fingerprint.js';
import { type QedDescriptorInputs, type QedProperties, type QedQueries, compileQedQueries, qedFromProperties, qedProperties } from './qed.js';
import { renumberMolblock } from './randomize.js';
import { loadRDKit } from './rdkit.js';
import type { RDKitMol, RDKitModule } from './rdkit-types.js';

/** Descriptors of one molecule, from MinimalLib's `get_descriptors` plus QED. */
export interface MolecularDescriptors {
  /** Average molecular weight (RDKit `Descriptors.MolWt`), g/mol. */
  readonly molecularWeight: number;
  /** Monoisotopic mass (RDKit `Descriptors.ExactMolWt`). */
  readonly exactMolecularWeight: number;
  /** Wildman–Crippen logP (RDKit `Crippen.MolLogP`). */
  readonly logP: number;
  /** Wildman–Crippen molar refractivity. */
  readonly molarRefractivity: number;
  /** Topological polar surface area (Ertl; RDKit `TPSA`, N and O only). */
  readonly tpsa: number;
  /** QED with RDKit's mean weights. */
  readonly qed: number;
  readonly heavyAtoms: number;
  /** Hydrogen-bond donors and acceptors (RDKit `CalcNumHBD` / `CalcNumHBA`). */
  readonly hbd: number;
  readonly hba: number;
  /** Lipinski's donor (NH + OH) and acceptor (N + O) counts. */
  readonly lipinskiHbd: number;
  readonly lipinskiHba: number;
  readonly rotatableBonds: number;
  readonly rings: number;
  readonly aromaticRings: number;
  readonly fractionCsp3: number;
}

export interface MorganOptions {
  /** Default 2 (ECFP4-like), as MOSES. */
  readonly radius?: number;
  /** Default 1024, as MOSES. */
  readonly nBits?: number;
}

export interface SvgOptions {
  readonly width?: number;
  readonly height?: number;
  /** Text drawn under the molecule. */
  readonly legend?: string;
}

/** Strings MinimalLib would read as another format (molblock, JSON) or the empty molecule: never valid SMILES here. */
function isSmilesShaped(smiles: string): boolean {
  return typeof smiles === 'string' && smiles.trim() !== '' && !smiles.includes('\n') && !smiles.trimStart().startsWith('{');
}

export class Chemistry {
  private readonly rdkit: RDKitModule;
  private queries: QedQueries | undefined;

  constructor(rdkit: RDKitModule) {
    this.rdkit = rdkit;
  }

  /** MinimalLib's RDKit version, e.g. "2026.09.1". */
  get rdkitVersion(): string {
    return this.rdkit.version();
  }

  /**
   * Runs `fn` on the parsed molecule and deletes it afterwards, also when `fn` throws. `null` when RDKit cannot
   * parse or sanitize the SMILES, or it is empty (MOSES counts the empty string as invalid).
   */
  withMol<T>(smiles: string, fn: (mol: RDKitMol) => T): T | null {
    if (!isSmilesShaped(smiles)) return null;
    let mol: RDKitMol | null = null;
    try {
      mol = this.rdkit.get_mol(smiles);
    } catch {
      mol = null;
    }
    if (mol === null) return null;
    try {
      if (!mol.is_valid() || mol.get_num_atoms() === 0) return null;
      return fn(mol);
    } finally {
      mol.delete();
    }
  }

  isValidSmiles(smiles: string): boolean {
    return this.withMol(smiles, () => true) ?? false;
  }

  /** RDKit's canonical isomeric SMILES, or null when the input is not a valid molecule. */
  canonicalSmiles(smiles: string): string | null {
    return this.withMol(smiles, (mol) => mol.get_smiles());
  }

  descriptors(smiles: string): MolecularDescriptors | null {
    return this.withMol(smiles, (mol) => {
      const d = parseDescriptors(mol);
      return {
        molecularWeight: d.amw,
        exactMolecularWeight: d.exactmw,
        logP: d.CrippenClogP,
        molarRefractivity: d.CrippenMR,
        tpsa: d.tpsa,
        qed: qedFromProperties(qedProperties(mol, d, this.qedQueries())),
        heavyAtoms: d.NumHeavyAtoms,
        hbd: d.NumHBD,
        hba: d.NumHBA,
        lipinskiHbd: d.lipinskiHBD,
        lipinskiHba: d.lipinskiHBA,
        rotatableBonds: d.NumRotatableBonds,
        rings: d.NumRings,
        aromaticRings: d.NumAromaticRings,
        fractionCsp3: d.FractionCSP3,
      };
    });
  }

  /** QED (RDKit's `QED.qed`, mean weights), or null for an invalid SMILES. */
  qed(smiles: string): number | null {
    return this.withMol(smiles, (mol) => qedFromProperties(qedProperties(mol, parseDescriptors(mol), this.qedQueries())));
  }

  /** The eight properties QED combines, as RDKit's `QED.properties` reports them. */
  qedProperties(smiles: string): QedProperties | null {
    return this.withMol(smiles, (mol) => qedProperties(mol, parseDescriptors(mol), this.qedQueries()));
  }

  /**
   * Morgan (circular) fingerprint as a bit set, RDKit's `GetMorganFingerprintAsBitVect(mol, radius, nBits)` with
   * its defaults (no chirality, bond types used, atom invariants not features).
   */
  morganFingerprint(smiles: string, options: MorganOptions = {}): Fingerprint | null {
    const details = morganDetails(options);
    return this.withMol(smiles, (mol) => morganOf(mol, details));
  }

  /** Canonical SMILES and Morgan fingerprint from one parse (what the MOSES metrics need of each molecule). */
  canonicalWithFingerprint(smiles: string, options: MorganOptions = {}): { readonly canonical: string; readonly fingerprint: Fingerprint } | null {
    const details = morganDetails(options);
    return this.withMol(smiles, (mol) => ({ canonical: mol.get_smiles(), fingerprint: morganOf(mol, details) }));
  }

  /** An SVG drawing of the molecule (RDKit's 2D depiction), or null for an invalid SMILES. */
  svgDepiction(smiles: string, options: SvgOptions = {}): string | null {
    const width = options.width ?? 300;
    const height = options.height ?? 240;
    check(Number.isInteger(width) && width >= 16 && width <= 4096, 'width', 'an integer number of pixels in [16, 4096]', width);
    check(Number.isInteger(height) && height >= 16 && height <= 4096, 'height', 'an integer number of pixels in [16, 4096]', height);
    const details = JSON.stringify({ width, height, ...(options.legend !== undefined && { legend: options.legend }) });
    return this.withMol(smiles, (mol) => mol.get_svg_with_highlights(details));
  }

  /**
   * A random valid SMILES of the same molecule: atoms renumbered by a permutation drawn from `rng`, then written
   * without canonical ordering. Same seed, same output. Null for an invalid SMILES.
   */
  randomSmiles(smiles: string, rng: Rng): string | null {
    // Stereo in a molblock needs 2D coordinates, whose layout is most of the cost; a SMILES without @, / or \\ has no
    // stereo to keep, so it is written without coordinates.
    const details = /[@/\\]/.test(smiles) ? undefined : JSON.stringify({ includeStereo: false });
    const molblock = this.withMol(smiles, (mol) => (details === undefined ? mol.get_molblock() : mol.get_molblock(details)));
    if (molblock === null) return null;
    const atomCount = Number(molblock.split('\n')[3]?.slice(0, 3));
    const shuffled = renumberMolblock(molblock, rng.permutation(atomCount));
    let mol: RDKitMol | null = null;
    try {
      mol = this.rdkit.get_mol(shuffled);
      return mol?.is_valid() ? mol.get_smiles(JSON.stringify({ canonical: false })) : null;
    } finally {
      mol?.delete();
    }
  }

  private qedQueries(): QedQueries {
    this.queries ??= compileQedQueries(this.rdkit);
    return this.queries;
  }
}

interface MorganDetails {
  readonly radius: number;
  readonly nBits: number;
  readonly json: string;
}

function morganDetails(options: MorganOptions): MorganDetails {
  const radius = options.radius ?? 2;
  const nBits = options.nBits ?? 1024;
  check(Number.isInteger(radius) && radius >= 0 && radius <= 8, 'radius', 'an integer in [0, 8]', radius);
  check(Number.isInteger(nBits) && nBits >= 32 && nBits % 32 === 0, 'nBits', 'a positive multiple of 32', nBits);
  return { radius, nBits, json: JSON.stringify({ radius, nBits }) };
}

function morganOf(mol: RDKitMol, details: MorganDetails): Fingerprint {
  const { nBits } = details;
  const bytes = mol.get_morgan_fp_as_uint8array(details.json);
  if (bytes.length * 8 !== nBits) throw invalidArgument('nBits', `a size MinimalLib honours (it returned ${bytes.length * 8} bits)`, nBits);
  // MinimalLib packs bit i into byte ⌊i/8⌋ at position i % 8 (least significant first), as little-endian words do.
  const words = new Uint32Array(nBits / 32);
  for (let w = 0; w < words.length; w++) {
    const o = w * 4;
    words[w] = ((bytes[o] as number) | ((bytes[o + 1] as number) << 8) | ((bytes[o + 2] as number) << 16) | ((bytes[o + 3] as number) << 24)) >>> 0;
  }
  return fingerprintFromWords(words, nBits);
}

interface RawDescriptors extends QedDescriptorInputs {
  readonly exactmw: number;
  readonly CrippenMR: number;
  readonly NumHeavyAtoms: number;
  readonly NumHBA: number;
  readonly lipinskiHBA: number;
  readonly lipinskiHBD: number;
  readonly NumRings: number;
  readonly NumAromaticRings: number;
  readonly FractionCSP3: number;
}

function parseDescriptors(mol: RDKitMol): RawDescriptors {
  return JSON.parse(mol.get_descriptors()) as RawDescriptors;
}

let shared: Promise<Chemistry> | undefined;

/** The process-wide Chemistry: MinimalLib is instantiated on the first call (≈ 0.2 s) and reused afterwards. */
export function loadChemistry(): Promise<Chemistry> {
  shared ??= loadRDKit()
    .then((rdkit) => new Chemistry(rdkit))
    .catch((e: unknown) => {
      shared = undefined;
      throw e;
    });
  return shared;
}
