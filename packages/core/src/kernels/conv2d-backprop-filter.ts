/**
 * Conv2DBackpropFilter (the gradient of every conv2d and conv2dTranspose filter) as one forward conv2d.
 *
 * dW[i, j, c, k] = Σ_{b, y, x} in[b, y·s + i·d − top, x·s + j·d − left, c] · dy[b, y, x, k]
 *
 * is a convolution of the input, with batch and channel swapped, by dy used as the filter: the forward stride s
 * becomes the filter dilation, the forward dilation d becomes the stride, and the forward padding becomes explicit
 * padding. The wasm backend has no kernel for this; its conv2d (XNNPACK) runs it in one call, ~100× faster than
 * moving the tensors to the cpu backend and back. The cpu backend's own kernel reads every element through a
 * TensorBuffer: for the conv AE's [128, 14, 14, 32] input it took 15.8 s where its conv2d takes this in 0.5 s.
 */
import { tf } from '../tf.js';
import { type KernelBackend, type KernelFunc, type TensorInfo, backendKernels } from './backend-kernels.js';
import type { KernelPatch } from './patch.js';

export interface FilterGradientAttrs {
  readonly strides: number | [number, number];
  readonly pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  readonly dataFormat: 'NHWC' | 'NCHW';
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  readonly filterShape: [number, number, number, number];
  /** The forward conv's dilation; tfjs's own gradient only passes 1, the math does not need it to. */
  readonly dilations?: number | [number, number];
}

/** Builds the kernel for one backend from that backend's Transpose, Conv2D and Slice kernels. */
export function conv2dFilterGradient(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const k = backendKernels(backendName, backend as KernelBackend);
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as FilterGradientAttrs;
    const channelsLast = a.dataFormat !== 'NCHW';
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      a.filterShape,
      a.strides,
      a.dilations ?? 1,
      a.pad,
      a.dimRoundingMode,
      false,
      channelsLast ? 'channelsLast' : 'channelsFirst',
    );
    const { padInfo, filterHeight, filterWidth } = info;
    // [batch, h, w, c] → [c, h, w, batch]; dy [batch, h', w', k] → [h', w', batch, k].
    const xSwapped = k.run('Transpose', { x }, { perm: channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0] });
    const dyAsFilter = k.run('Transpose', { x: dy }, { perm: channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1] });
    const full = k.run(
      'Conv2D',
      { x: xSwapped, filter: dyAsFilter },
      {
        strides: [info.dilationHeight, info.dilationWidth],
        dilations: [info.strideHeight, info.strideWidth],
        pad: [
          [0, 0],
          [padInfo.top, padInfo.bottom],
          [padInfo.left, padInfo.right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dimRoundingMode: 'floor',
      },
    );
    k.dispose(xSwapped, dyAsFilter);
    // Bottom/right padding and the remainder of a stride can leave rows past the filter: they are not weights.
    const [inChannels, height, width, outChannels] = full.shape as [number, number, number, number];
    let fitted = full;
    if (height !== filterHeight || width !== filterWidth) {
      fitted = k.run('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [inChannels, filterHeight, filterWidth, outChannels] });
      k.dispose(full);
    }
    const dw = k.run('Transpose', { x: fitted }, { perm: [1, 2, 0, 3] });
    k.dispose(fitted);
    return dw;
  };
}

export const conv2dBackpropFilterPatch: KernelPatch = {
  kernelName: 'Conv2DBackpropFilter',
  why: 'gradient of every conv2d/conv2dTranspose filter: missing on wasm, 30× slower on cpu; computed as one dilated conv2d with batch and channels swapped',
  appliesTo: (backendName, existing) => existing === undefined || backendName === 'cpu',
  kernelFunc: (backendName) => conv2dFilterGradient(backendName),
};
