/**
 * Loading RDKit MinimalLib (`@rdkit/rdkit`, WebAssembly) once per process. The wasm module takes a few hundred
 * milliseconds to instantiate, so the first `loadChemistry()` starts it and every later call gets the same instance.
 */
import { LatentkitError } from '@latentkit/core/base';
import type { RDKitModule } from './rdkit-types.js';

let loading: Promise<RDKitModule> | undefined;

/** The MinimalLib module, instantiated on first use and cached; a failed load is not cached, so a retry can succeed. */
export function loadRDKit(): Promise<RDKitModule> {
  loading ??= instantiate().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

async function instantiate(): Promise<RDKitModule> {
  let factory: (options?: unknown) => Promise<RDKitModule>;
  try {
    factory = (await import('@rdkit/rdkit')).default as unknown as typeof factory;
  } catch (e) {
    throw new LatentkitError(
      'UNSUPPORTED',
      'chemistry needs RDKit MinimalLib: install @rdkit/rdkit (npm i @rdkit/rdkit) to read and score molecules',
      {},
      { cause: e },
    );
  }
  try {
    return await factory();
  } catch (e) {
    throw new LatentkitError(
      'UNSUPPORTED',
      `RDKit MinimalLib (@rdkit/rdkit) failed to start its WebAssembly module: ${(e as Error).message}`,
      {},
      { cause: e },
    );
  }
}
