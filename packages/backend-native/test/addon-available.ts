/**
 * Whether the compiled kernels loaded. They are built at install; where there is no C++ compiler they are absent
 * by design (the backend then uses onnxruntime and wasm kernels), and the suites that test them say so and skip.
 */
import { nativeAddon } from '../src/addon.js';
import { addonStatus } from '../src/index.js';
import { nativeAvailable } from './available.js';

function check(): boolean {
  if (!nativeAvailable) return false;
  const status = addonStatus();
  if (!status.loaded) console.warn(`skipping tests of the compiled kernels: ${status.reason}`);
  return status.loaded;
}

export const addonAvailable = check();

function checkBlas(): boolean {
  if (!addonAvailable) return false;
  const status = addonStatus();
  if (!status.blas) console.warn(`skipping tests of products on a system BLAS: ${status.blasReason}`);
  return status.blas !== undefined;
}

/** Whether the addon found a system BLAS (OpenBLAS: Debian's libopenblas0) for matrix products. */
export const blasAvailable = checkBlas();

/**
 * The implementations of matrix products, for suites that run once per implementation: the system BLAS, onnxruntime's
 * MLAS (LATENTKIT_BLAS=none, as on a machine without OpenBLAS) and, where given, onnxruntime graphs without the
 * addon (LATENTKIT_NATIVE_ADDON=0, as on a machine without a compiler).
 */
export interface ProductMode {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly skip: boolean;
}

export const PRODUCT_MODES: readonly ProductMode[] = [
  { name: 'system BLAS', env: {}, skip: !blasAvailable },
  { name: "onnxruntime's MLAS", env: { LATENTKIT_BLAS: 'none' }, skip: !nativeAvailable },
];

export const NO_ADDON_MODE: ProductMode = { name: 'onnxruntime graphs without the addon', env: { LATENTKIT_NATIVE_ADDON: '0' }, skip: !nativeAvailable };

/** Sets a mode's environment for the suite it is called in, and clears it afterwards. */
export function useMode(mode: ProductMode, hooks: { beforeAll: (f: () => void) => void; afterAll: (f: () => void) => void }): void {
  hooks.beforeAll(() => Object.assign(process.env, mode.env));
  hooks.afterAll(() => {
    for (const key of Object.keys(mode.env)) delete process.env[key];
  });
}

type InstructionSet = 'avx512' | 'avx2' | 'generic';

const addon = addonAvailable ? nativeAddon() : undefined;
const best = addon?.instructionSet() as InstructionSet | undefined;

/**
 * Every compiled variant of the loops this CPU runs, widest first (the widest is what users here get; the narrower
 * ones are what other CPUs get), or ['none'] without the addon.
 */
export const INSTRUCTION_SETS: readonly (InstructionSet | 'none')[] = (() => {
  const runnable = (['avx512', 'avx2', 'generic'] as const).filter((isa) => addon?.useInstructionSet(isa));
  if (best) addon?.useInstructionSet(best);
  return runnable.length ? runnable : ['none'];
})();

/** Runs the enclosing suite on the given variant of the loops, and restores the widest afterwards. */
export function useInstructionSet(isa: InstructionSet | 'none', hooks: { beforeAll: (f: () => void) => void; afterAll: (f: () => void) => void }): void {
  hooks.beforeAll(() => {
    if (isa !== 'none') addon?.useInstructionSet(isa);
  });
  hooks.afterAll(() => {
    if (best) addon?.useInstructionSet(best);
  });
}
