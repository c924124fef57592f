/**
 * The `latentkit-native` tfjs backend: a wasm backend instance whose heavy kernels are replaced by onnxruntime's
 * (MLAS: packed, multi-threaded GEMM and convolutions). Tensors live in the wasm heap; native kernels read and write
 * it in place, so mixing the two kinds of kernel costs no copies.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { LatentkitError, tf } from '@latentkit/core';
import { fusedAdamConfig, installFusedAdam } from './adam.js';
import { NATIVE_KERNELS } from './kernels/index.js';
import { lstmCellConfig, lstmCellGradConfig } from './kernels/lstm-cell.js';
import { nativeAddon } from './addon.js';
import { NATIVE_BACKEND } from './names.js';
import { loadRuntime } from './runtime.js';
export { NATIVE_BACKEND };
/** Above wasm (2) and cpu (1): importing this package is opting in. */
const PRIORITY = 3;
/** Throws `BACKEND_UNAVAILABLE`, saying why, unless onnxruntime-node loads on this machine. */
export function checkNativeBackend() {
    try {
        loadRuntime();
    }
    catch (e) {
        const reason = e.message.split('\n')[0];
        throw new LatentkitError('BACKEND_UNAVAILABLE', `${NATIVE_BACKEND}: onnxruntime-node does not load here (${reason})`, {}, { cause: e });
    }
}
/**
 * Registers the wasm backend if nothing has yet, by importing the very tfjs-backend-wasm that `@latentkit/core`
 * depends on (and imports itself for its `wasm` choice), so there is one copy of it and of tfjs-core.
 */
async function ensureWasmRegistered() {
    if (tf.findBackendFactory('wasm'))
        return;
    const fromCore = createRequire(import.meta.resolve('@latentkit/core'));
    await import(pathToFileURL(fromCore.resolve('@tensorflow/tfjs-backend-wasm')).href);
}
/**
 * wasm's kernels under our name, then ours over the ones we replace, each keeping the wasm kernel's setup (which
 * binds the wasm functions our fallbacks call). Kernels are looked up by name at run time.
 */
function registerKernels() {
    const existing = new Set(tf.getKernelsForBackend(NATIVE_BACKEND).map((k) => k.kernelName));
    const native = new Map(NATIVE_KERNELS.map((k) => [k.kernelName, { ...k, backendName: NATIVE_BACKEND }]));
    for (const config of tf.getKernelsForBackend('wasm')) {
        const own = native.get(config.kernelName);
        if (own)
            own.setupFunc = config.setupFunc;
        else if (!existing.has(config.kernelName))
            tf.registerKernel({ ...config, backendName: NATIVE_BACKEND });
    }
    for (const config of native.values())
        if (!existing.has(config.kernelName))
            tf.registerKernel(config);
    if (!existing.has(fusedAdamConfig.kernelName))
        tf.registerKernel(fusedAdamConfig);
    installFusedAdam();
    // core's lstmSequence runs its tf-ops cell wherever these are not registered.
    if (nativeAddon()) {
        for (const config of [lstmCellConfig, lstmCellGradConfig]) {
            if (!existing.has(config.kernelName))
                tf.registerKernel({ ...config, backendName: NATIVE_BACKEND });
        }
    }
}
/**
 * The engine's wasm backend instance, created (and given to the engine as its `wasm`) if nobody has yet. Sharing
 * one instance matters: wasm kernels bind their WebAssembly functions to one module at setup, and tensors then
 * move between `wasm` and `latentkit-native` without copies. (So `tf.removeBackend` of either disposes both.)
 */
async function createBackend() {
    checkNativeBackend();
    await ensureWasmRegistered();
    registerKernels();
    const engine = tf.engine();
    if (!engine.registry.wasm) {
        const wasmFactory = tf.findBackendFactory('wasm');
        const instance = await wasmFactory();
        engine.registry.wasm ??= instance;
    }
    return engine.registry.wasm;
}
/** Registers the backend factory with tfjs (idempotent; done on import). `tf.setBackend('latentkit-native')` starts it. */
export function registerNativeBackend() {
    if (!tf.findBackendFactory(NATIVE_BACKEND))
        tf.registerBackend(NATIVE_BACKEND, createBackend, PRIORITY);
}
//# sourceMappingURL=backend.js.map