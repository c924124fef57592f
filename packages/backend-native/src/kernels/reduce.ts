/**
 * `Sum`, `Max`, `Min` and `Mean` of large float32 tensors on onnxruntime. wasm reduces only along the last axis, so
 * it transposes first for any other: summing dlogits [1120, 10000] over the batch (every bias gradient of a dense
 * layer) costs it ~17× what onnxruntime takes. Both reduce in float32 with pairwise/blocked sums.
 */
import { tf } from '@latentkit/core';
import { type GraphNode, int, ints } from '../onnx-graph.js';
import { sessionFor } from '../runtime.js';
import { type WasmBackend, heapView } from '../wasm-memory.js';
import { wasmKernel } from './delegate.js';

/** Below this many elements wasm's single pass is as fast as a session call. */
const MIN_NATIVE_ELEMENTS = 1 << 16;

const ONNX_OPS = { [tf.Sum]: 'ReduceSum', [tf.Max]: 'ReduceMax', [tf.Min]: 'ReduceMin', [tf.Mean]: 'ReduceMean' } as const;

function reduce(kernelName: keyof typeof ONNX_OPS, params: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x } = params.inputs as { x: tf.TensorInfo };
  // Max names its axes `reductionIndices`; the others `axis`.
  const { axis, reductionIndices, keepDims } = params.attrs as unknown as { axis?: number | number[]; reductionIndices?: number | number[]; keepDims: boolean };
  const axes = tf.util.parseAxisParam((axis ?? reductionIndices) as number | number[], x.shape);
  const size = tf.util.sizeFromShape(x.shape);
  if (x.dtype !== 'float32' || axes.length === 0 || size < MIN_NATIVE_ELEMENTS) return wasmKernel(kernelName)(params) as tf.TensorInfo;
  const [reducedShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
  const outShape = keepDims ? tf.backend_util.expandShapeToKeepDim(reducedShape, axes) : reducedShape;
  const backend = params.backend as WasmBackend;
  const out = backend.makeOutput(outShape, 'float32');
  const op = ONNX_OPS[kernelName];
  // ReduceSum takes its axes as an input since opset 13; the others still as an attribute in opset 17.
  const nodes: GraphNode[] =
    op === 'ReduceSum'
      ? [
          { op: 'Constant', inputs: [], outputs: ['axes'], attrs: { value_ints: ints(axes) } },
          { op, inputs: ['x', 'axes'], outputs: ['y'], attrs: { keepdims: int(0) } },
        ]
      : [{ op, inputs: ['x'], outputs: ['y'], attrs: { axes: ints(axes), keepdims: int(0) } }];
  sessionFor({ inputs: ['x'], outputs: ['y'], nodes }, size).run([[heapView(backend, x), x.shape]], [[heapView(backend, out), reducedShape]]);
  return out;
}

export const reduceConfigs = (Object.keys(ONNX_OPS) as (keyof typeof ONNX_OPS)[]).map((kernelName) => ({
  kernelName,
  kernelFunc: ((p) => reduce(kernelName, p)) as tf.KernelFunc,
}));
