/**
 * Kinds that live in packages above the CLI's own layers: importing `@latentkit/molecules` registers the `smiles`
 * and `moses` datasets and the `smiles-vae` model. Loaded on first use (RDKit's wasm starts only when a molecule is
 * read), once per process.
 */
let registered: Promise<unknown> | undefined;

export function registerPackageKinds(): Promise<unknown> {
  registered ??= import('@latentkit/molecules');
  return registered;
}
