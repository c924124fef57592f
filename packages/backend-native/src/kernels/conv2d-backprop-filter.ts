/**
 * `Conv2DBackpropFilter`: the filter gradient, dW[i,j,c,o] = Σ_{n,y,x} X[n, y·s+i, x·s+j, c] · dY[n,y,x,o].
 * ONNX has no such op, but the sum is itself a convolution: with channels c as the batch and examples n as the
 * channels, convolve X (padded as the forward pass was) with dY as the filter, dilated by the forward stride.
 * The result can have a few more rows than the filter when the stride does not divide the padded input; they are
 * sliced off.
 */
import { tf } from '@latentkit/core';
import { ints } from '../onnx-graph.js';
import { sessionFor } from '../runtime.js';
import { type WasmBackend, heapView } from '../wasm-memory.js';
import { type ConvAttrs, convInfo, convMacs, onnxPads } from './conv-graph.js';
import { wasmKernel } from './delegate.js';

const CHANNELS_FIRST = [3, 0, 1, 2];
const TO_HWIO = [2, 3, 0, 1];

function conv2DBackpropFilter(params: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x, dy } = params.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = params.attrs as unknown as ConvAttrs & { filterShape: number[] };
  const info = convInfo(x.shape, attrs.filterShape, attrs);
  if (!info || x.dtype !== 'float32' || dy.dtype !== 'float32') return wasmKernel(tf.Conv2DBackpropFilter)(params) as tf.TensorInfo;
  const backend = params.backend as WasmBackend;
  const out = backend.makeOutput(info.filterShape, 'float32');
  const session = sessionFor({
    inputs: ['x', 'dy'],
    outputs: ['dw'],
    nodes: [
      { op: 'Transpose', inputs: ['x'], outputs: ['xc'], attrs: { perm: ints(CHANNELS_FIRST) } },
      { op: 'Transpose', inputs: ['dy'], outputs: ['dyc'], attrs: { perm: ints(CHANNELS_FIRST) } },
      {
        op: 'Conv',
        inputs: ['xc', 'dyc'],
        outputs: ['full'],
        attrs: { dilations: ints([info.strideHeight, info.strideWidth]), pads: ints(onnxPads(info)) },
      },
      { op: 'Constant', inputs: [], outputs: ['starts'], attrs: { value_ints: ints([0, 0]) } },
      { op: 'Constant', inputs: [], outputs: ['ends'], attrs: { value_ints: ints([info.filterHeight, info.filterWidth]) } },
      { op: 'Constant', inputs: [], outputs: ['axes'], attrs: { value_ints: ints([2, 3]) } },
      { op: 'Slice', inputs: ['full', 'starts', 'ends', 'axes'], outputs: ['cut'] },
      { op: 'Transpose', inputs: ['cut'], outputs: ['dw'], attrs: { perm: ints(TO_HWIO) } },
    ],
  }, convMacs(info));
  session.run(
    [
      [heapView(backend, x), x.shape],
      [heapView(backend, dy), dy.shape],
    ],
    [[heapView(backend, out), info.filterShape]],
  );
  return out;
}

export const conv2DBackpropFilterConfig = { kernelName: tf.Conv2DBackpropFilter, kernelFunc: conv2DBackpropFilter as tf.KernelFunc };
