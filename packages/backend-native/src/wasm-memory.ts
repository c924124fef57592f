/**
 * The native backend keeps every tensor where the wasm backend keeps it, in the wasm heap, so the two kinds of kernel
 * share tensors without copies: onnxruntime reads and writes heap views directly.
 */
import type { tf } from '@latentkit/core';

type TensorInfo = tf.TensorInfo;

/** The parts of tfjs-backend-wasm's `BackendWasm` the native kernels use. */
export interface WasmBackend extends tf.KernelBackend {
  readonly wasm: { readonly HEAPU8: Uint8Array };
  readonly dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  incRef(dataId: object): void;
  disposeData(dataId: object, force?: boolean): boolean;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Where a tensor's bytes start in the wasm heap (what the compiled kernels take instead of a view). */
export function heapOffset(backend: WasmBackend, t: TensorInfo): number {
  const entry = backend.dataIdMap.get(t.dataId);
  if (!entry) throw new Error(`tensor ${JSON.stringify(t.shape)} is not in the native backend's memory`);
  return entry.memoryOffset;
}

/**
 * A float32 view of a tensor's bytes. Take views only after the last `makeOutput` of a kernel: allocating may grow
 * the heap, which detaches earlier views.
 */
export function heapView(backend: WasmBackend, t: TensorInfo): Float32Array {
  const entry = backend.dataIdMap.get(t.dataId);
  if (!entry) throw new Error(`tensor ${JSON.stringify(t.shape)} is not in the native backend's memory`);
  return new Float32Array(backend.wasm.HEAPU8.buffer, entry.memoryOffset, size(t.shape));
}
