/**
 * The `latentkit-native` tfjs backend: a wasm backend instance whose heavy kernels are replaced by onnxruntime's
 * (MLAS: packed, multi-threaded GEMM and convolutions). Tensors live in the wasm heap; native kernels read and write
 * it in place, so mixing the two kinds of kernel costs no copies.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { LatentkitError, tf } from '@latentkit/core';
import { NATIVE_KERNELS } from './kernels/index.js';
import { loadRuntime } from './runtime.js';

export const NATIVE_BACKEND = 'latentkit-native';

/** Above wasm (2) and cpu (1): importing this package is opting in. */
const PRIORITY = 3;

/** Throws `BACKEND_UNAVAILABLE`, saying why, unless onnxruntime-node loads on this machine. */
export function checkNativeBackend(): void {
  try {
    loadRuntime();
  } catch (e) {
    const reason = (e as Error).message.split('\n')[0];
    throw new LatentkitError('BACKEND_UNAVAILABLE', `${NATIVE_BACKEND}: onnxruntime-node does not load here (${reason})`, {}, { cause: e });
  }
}

/**
 * Registers the wasm backend if nothing has yet, by importing the very tfjs-backend-wasm that `@latentkit/core`
 * depends on (and imports itself for its `wasm` choice), so there is one copy of it and of tfjs-core.
 */
async function ensureWasmRegistered(): Promise<void> {
  if (tf.findBackendFactory('wasm')) return;
  const fromCore = createRequire(import.meta.resolve('@latentkit/core'));
  await import(pathToFileURL(fromCore.resolve('@tensorflow/tfjs-backend-wasm')).href);
}

/** wasm's kernels under our name, then ours over the ones we replace. Kernels are looked up by name at run time. */
function registerKernels(): void {
  const native = new Set<string>(NATIVE_KERNELS.map((k) => k.kernelName));
  const existing = new Set(tf.getKernelsForBackend(NATIVE_BACKEND).map((k) => k.kernelName));
  for (const config of tf.getKernelsForBackend('wasm')) {
    if (!native.has(config.kernelName) && !existing.has(config.kernelName)) tf.registerKernel({ ...config, backendName: NATIVE_BACKEND });
  }
  for (const config of NATIVE_KERNELS) {
    if (!existing.has(config.kernelName)) tf.registerKernel({ ...config, backendName: NATIVE_BACKEND });
  }
}

/**
 * A fresh wasm backend made by wasm's own factory (not the engine's `wasm` instance), so removing or switching
 * either backend never disturbs the other. Tensors crossing between them are copied by tfjs as for any two backends.
 */
async function createBackend(): Promise<tf.KernelBackend> {
  checkNativeBackend();
  await ensureWasmRegistered();
  registerKernels();
  const wasmFactory = tf.findBackendFactory('wasm') as () => tf.KernelBackend | Promise<tf.KernelBackend>;
  return await wasmFactory();
}

/** Registers the backend factory with tfjs (idempotent; done on import). `tf.setBackend('latentkit-native')` starts it. */
export function registerNativeBackend(): void {
  if (!tf.findBackendFactory(NATIVE_BACKEND)) tf.registerBackend(NATIVE_BACKEND, createBackend, PRIORITY);
}
