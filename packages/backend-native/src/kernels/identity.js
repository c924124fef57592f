/**
 * `Identity` without the copy: wasm's kernel copies the whole tensor, and gradients pass many large tensors through
 * Identity (1 300 calls per LSTM-VAE step). Sharing the buffer with one more reference is what the cpu backend does.
 */
import { tf } from '@latentkit/core';
import { wasmKernel } from './delegate.js';
function identity(params) {
    const { x } = params.inputs;
    if (x.dtype === 'string')
        return wasmKernel(tf.Identity)(params);
    params.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
export const identityConfig = { kernelName: tf.Identity, kernelFunc: identity };
//# sourceMappingURL=identity.js.map