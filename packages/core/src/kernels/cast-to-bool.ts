/**
 * Cast to bool on wasm truncates instead of testing for non-zero: 0.3 becomes false and 2 stays 2, so
 * `tf.cast(x, 'bool')` (and ops built on it, such as masks from float tensors) disagrees with every other backend.
 * A cast to bool is written here as x ≠ 0; every other cast goes to the original kernel.
 */
import type { KernelBackend, KernelFunc, TensorInfo } from './backend-kernels.js';
import type { KernelPatch } from './patch.js';

export function castToBool(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if ((args.attrs as { dtype?: string }).dtype !== 'bool' || x.dtype === 'bool') return original(args);
    const backend = args.backend as KernelBackend;
    const values = backend.readSync(x.dataId) as Float32Array | Int32Array;
    const out = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
    return { dataId: backend.write(out, x.shape, 'bool'), shape: x.shape, dtype: 'bool' };
  };
}

export const castToBoolPatch: KernelPatch = {
  kernelName: 'Cast',
  why: 'wasm truncates a cast to bool (0.3 → false, 2 → 2) instead of testing x ≠ 0',
  // latentkit-native registers its own Cast, which already tests x ≠ 0.
  appliesTo: (backendName, existing) => backendName === 'wasm' && existing !== undefined,
  kernelFunc: (_backendName, original) => castToBool(original as KernelFunc),
};
