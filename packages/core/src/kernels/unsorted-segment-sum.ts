/**
 * UnsortedSegmentSum as one scatter-add pass: out[ids[i]] += x[i].
 *
 * It is the gradient of gather, so every embedding layer needs it. The wasm backend has no kernel for it, and the
 * cpu backend's builds one mask per segment (O(segments · N)), which for a 10k-word vocabulary is most of a training
 * step. Ids outside [0, numSegments) contribute nothing, as in the cpu kernel.
 */
import type { KernelPatch } from './patch.js';
import type { KernelBackend, KernelFunc, TensorInfo } from './backend-kernels.js';

export function scatterAddSegments(x: ArrayLike<number>, ids: ArrayLike<number>, numSegments: number, out: Float32Array | Int32Array): void {
  const inner = ids.length === 0 ? 0 : x.length / ids.length;
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i] as number;
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * inner;
    const to = segment * inner;
    for (let j = 0; j < inner; j++) out[to + j] = (out[to + j] as number) + (x[from + j] as number);
  }
}

const unsortedSegmentSum: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = attrs?.numSegments as number;
  const backend = anyBackend as KernelBackend;
  // Segment ids index the leading axes of x; whatever follows is summed as one block.
  const shape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const size = shape.reduce((a, b) => a * b, 1);
  const out = x.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  scatterAddSegments(backend.readSync(x.dataId) as Float32Array | Int32Array, backend.readSync(segmentIds.dataId) as Int32Array, numSegments, out);
  return { dataId: backend.write(out, shape, x.dtype), shape, dtype: x.dtype };
};

export const unsortedSegmentSumPatch: KernelPatch = {
  kernelName: 'UnsortedSegmentSum',
  why: 'gradient of gather/embedding: missing on wasm, O(segments·N) on cpu',
  appliesTo: (backendName, existing) => existing === undefined || backendName === 'cpu',
  kernelFunc: () => unsortedSegmentSum,
};
