/**
 * Calling a backend's own kernels from inside another kernel, below the engine: no tape, no Tensor objects, just
 * TensorInfos the caller disposes. This is how tfjs backends compose their kernels, and what lets a patch reuse the
 * fast kernels a backend already has.
 */
import { tf } from '../tf.js';

export type TensorInfo = tf.TensorInfo;
export type KernelFunc = tf.KernelFunc;
export type NamedAttrMap = tf.NamedAttrMap;
export type KernelBackend = tf.KernelBackend;

export interface BackendKernels {
  readonly backend: KernelBackend;
  /** Runs the kernel `kernelName` registered for this backend and returns its single output. (Concat takes a list.) */
  run(kernelName: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs?: NamedAttrMap): TensorInfo;
  /** Frees intermediates returned by `run`. */
  dispose(...infos: TensorInfo[]): void;
}

export function backendKernels(backendName: string, backend: KernelBackend): BackendKernels {
  return {
    backend,
    run(kernelName, inputs, attrs = {}) {
      const kernel = tf.getKernel(kernelName, backendName) as tf.KernelConfig | undefined;
      if (!kernel) throw new Error(`kernel '${kernelName}' is not registered for backend '${backendName}'`);
      const out = kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs });
      if (Array.isArray(out)) throw new Error(`kernel '${kernelName}' returned ${out.length} outputs, expected one`);
      return out;
    },
    dispose(...infos) {
      for (const info of infos) backend.disposeData(info.dataId);
    },
  };
}

/** A permutation that swaps the last two axes of a rank-`rank` tensor. */
export function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}
