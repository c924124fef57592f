/**
 * Whether onnxruntime-node loads here. Where it does not (a platform without its prebuilt binary), the native
 * backend is unavailable by design and core falls back to wasm; the suites say so and skip.
 */
import { checkNativeBackend } from '../src/index.js';

function check(): boolean {
  try {
    checkNativeBackend();
    return true;
  } catch (e) {
    console.warn(`skipping latentkit-native tests: ${(e as Error).message}`);
    return false;
  }
}

export const nativeAvailable = check();
