/**
 * Importing this package registers the `latentkit-native` tfjs backend (it starts on `tf.setBackend`).
 */
import { registerNativeBackend } from './backend.js';
registerNativeBackend();
export { NATIVE_BACKEND, checkNativeBackend, registerNativeBackend } from './backend.js';
export { getThreadsCount, setThreadsCount } from './runtime.js';
export { NATIVE_KERNELS } from './kernels/index.js';
export { addonStatus } from './addon.js';
export { FUSED_ADAM } from './adam.js';
//# sourceMappingURL=index.js.map