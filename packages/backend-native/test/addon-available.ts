/**
 * Whether the compiled kernels loaded. They are built at install; where there is no C++ compiler they are absent
 * by design (the backend then uses onnxruntime and wasm kernels), and the suites that test them say so and skip.
 */
import { addonStatus } from '../src/index.js';
import { nativeAvailable } from './available.js';

function check(): boolean {
  if (!nativeAvailable) return false;
  const status = addonStatus();
  if (!status.loaded) console.warn(`skipping tests of the compiled kernels: ${status.reason}`);
  return status.loaded;
}

export const addonAvailable = check();
