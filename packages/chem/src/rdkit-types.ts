/**
 * The part of MinimalLib's embind interface latentkit uses, typed here so that the rest of the package does not
 * depend on the shape of `@rdkit/rdkit`'s generated declarations (which change between releases).
 */

/** A molecule or query living in wasm memory: it must be `delete()`d, or that memory is never returned. */
export interface RDKitMol {
  is_valid(): boolean;
  delete(): void;
  get_smiles(details?: string): string;
  get_smarts(): string;
  get_molblock(details?: string): string;
  get_json(): string;
  get_descriptors(): string;
  get_morgan_fp_as_uint8array(details: string): Uint8Array;
  get_substruct_match(query: RDKitMol): string;
  get_substruct_matches(query: RDKitMol): string;
  get_svg_with_highlights(details: string): string;
  get_num_atoms(heavyOnly?: boolean): number;
}

export interface RDKitModule {
  version(): string;
  get_mol(input: string, details?: string): RDKitMol | null;
  get_qmol(input: string): RDKitMol | null;
}
