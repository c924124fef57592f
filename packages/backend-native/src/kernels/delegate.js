/**
 * Cases a native kernel does not cover (other dtypes or layouts, tensors too small to pay for a session call) run
 * the wasm backend's own kernel on the same backend instance, which shares the memory.
 */
import { tf } from '@latentkit/core';
export function wasmKernel(kernelName) {
    const config = tf.getKernel(kernelName, 'wasm');
    if (!config)
        throw new Error(`the wasm backend has no ${kernelName} kernel to fall back to`);
    return config.kernelFunc;
}
//# sourceMappingURL=delegate.js.map