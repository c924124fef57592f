/**
 * MaxPoolGrad as one pass over the pooling windows: each window's gradient goes to its first largest input, as in
 * TensorFlow and the tfjs cpu kernel.
 *
 * The wasm backend's kernel drops the gradient of some windows whose values are all negative (tfjs 4.22: input
 * [0, .99, −.26, −.93 | .5, .8, −.7, −.6] in 2×2 windows loses the second window's gradient), which silently
 * stalls the layers below any maxPool that follows a conv without a relu.
 */
import { tf } from '../tf.js';
import type { KernelBackend, KernelFunc, TensorInfo } from './backend-kernels.js';
import { type KernelPatch, runsWasmKernels } from './patch.js';

const maxPoolGrad: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as KernelBackend;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const a = attrs as unknown as Pick<tf.MaxPoolGradAttrs, 'filterSize' | 'strides' | 'pad' | 'dimRoundingMode'>;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight, outWidth } = info;
  const x = backend.readSync(input.dataId) as Float32Array;
  const g = backend.readSync(dy.dataId) as Float32Array;
  const dx = new Float32Array(x.length);
  for (let b = 0; b < batchSize; b++)
    for (let oy = 0; oy < outHeight; oy++)
      for (let ox = 0; ox < outWidth; ox++) {
        const y0 = oy * info.strideHeight - info.padInfo.top;
        const x0 = ox * info.strideWidth - info.padInfo.left;
        for (let c = 0; c < C; c++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let fy = 0; fy < info.effectiveFilterHeight; fy += info.dilationHeight) {
            const y = y0 + fy;
            if (y < 0 || y >= H) continue;
            for (let fx = 0; fx < info.effectiveFilterWidth; fx += info.dilationWidth) {
              const xx = x0 + fx;
              if (xx < 0 || xx >= W) continue;
              const i = ((b * H + y) * W + xx) * C + c;
              if ((x[i] as number) > best) {
                best = x[i] as number;
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] = (dx[at] as number) + (g[((b * outHeight + oy) * outWidth + ox) * C + c] as number);
        }
      }
  return { dataId: backend.write(dx, input.shape, 'float32'), shape: input.shape, dtype: 'float32' };
};

export const maxPoolGradPatch: KernelPatch = {
  kernelName: 'MaxPoolGrad',
  why: "wasm's kernel drops the gradient of pooling windows whose values are all negative; one JavaScript pass over the windows instead",
  appliesTo: (backendName, existing) => runsWasmKernels(backendName) && existing !== undefined,
  kernelFunc: () => maxPoolGrad,
};
