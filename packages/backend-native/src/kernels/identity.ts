/**
 * `Identity` without the copy: wasm's kernel copies the whole tensor, and gradients pass many large tensors through
 * Identity (1 300 calls per LSTM-VAE step). Sharing the buffer with one more reference is what the cpu backend does.
 */
import { tf } from '@latentkit/core';
import type { WasmBackend } from '../wasm-memory.js';
import { wasmKernel } from './delegate.js';

function identity(params: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x } = params.inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string') return wasmKernel(tf.Identity)(params) as tf.TensorInfo;
  (params.backend as WasmBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig = { kernelName: tf.Identity, kernelFunc: identity as tf.KernelFunc };
