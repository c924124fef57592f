/**
 * OneHot on the wasm kernels ignores the requested dtype: it always writes int32, so
 * `tf.oneHot(i, K, 1, 0, 'float32')` reads back as the float32 bit pattern of integer 1 (1.4e-45) and a one-hot
 * matmul (VQ's codeword lookup) silently returns zeros. It also truncates fractional on/off values. Writing the
 * one-hot in JavaScript in the requested dtype is exact and, for the sizes models use, as fast.
 */
import type { KernelBackend, KernelFunc, TensorInfo } from './backend-kernels.js';
import { type KernelPatch, runsWasmKernels } from './patch.js';

export function fillOneHot(indices: ArrayLike<number>, depth: number, onValue: number, offValue: number, out: Float32Array | Int32Array): void {
  out.fill(offValue);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i] as number;
    // Out-of-range indices give an all-off row, as in TensorFlow.
    if (k >= 0 && k < depth) out[i * depth + k] = onValue;
  }
}

const oneHot: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const { indices } = inputs as { indices: TensorInfo };
  const { depth, onValue, offValue, dtype } = attrs as { depth: number; onValue: number; offValue: number; dtype: 'float32' | 'int32' };
  const backend = anyBackend as KernelBackend;
  const shape = [...indices.shape, depth];
  const size = shape.reduce((a, b) => a * b, 1);
  const out = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  fillOneHot(backend.readSync(indices.dataId) as Int32Array, depth, onValue, offValue, out);
  return { dataId: backend.write(out, shape, dtype), shape, dtype };
};

export const oneHotPatch: KernelPatch = {
  kernelName: 'OneHot',
  why: 'wasm writes int32 whatever the dtype, so a float32 one-hot reads as 1.4e-45 (VQ lookups return zeros)',
  appliesTo: (backendName, existing) => runsWasmKernels(backendName) && existing !== undefined,
  kernelFunc: () => oneHot,
};
