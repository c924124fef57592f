/** What a kernel patch declares: the kernel, why, on which backends, and the function (which may wrap the original). */
import type { KernelFunc } from './backend-kernels.js';
import { NATIVE_TFJS_BACKEND } from '../backend-names.js';

export interface KernelPatch {
  readonly kernelName: string;
  /** One line for reports and the README: the gap this closes. */
  readonly why: string;
  /** Whether to register on `backendName`, given the kernel it already has (undefined when none). */
  appliesTo(backendName: string, existing: KernelFunc | undefined): boolean;
  /** The kernel to register; `original` is the backend's own, when it has one. */
  kernelFunc(backendName: string, original: KernelFunc | undefined): KernelFunc;
}

/** The tfjs backend `@latentkit/backend-native` registers: a wasm backend instance running wasm's kernels but its own heavy ones. */
export { NATIVE_TFJS_BACKEND };

/** Backends that run tfjs-backend-wasm's kernels, and so share its bugs. */
export function runsWasmKernels(backendName: string): boolean {
  return backendName === 'wasm' || backendName === NATIVE_TFJS_BACKEND;
}
