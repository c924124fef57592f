/**
 * tfjs convolutions are NHWC with HWIO filters; onnxruntime's are NCHW with OIHW filters. Each graph transposes on
 * the way in and out (onnxruntime's layout optimizer cancels what it can) and takes the padding tfjs computed.
 */
import { tf } from '@latentkit/core';

export type Conv2DInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The tfjs convolution geometry, or undefined for what the native kernels leave to wasm (NCHW tensors). */
export function convInfo(inShape: readonly number[], filterShape: readonly number[], attrs: ConvAttrs): Conv2DInfo | undefined {
  if (attrs.dataFormat !== 'NHWC') return undefined;
  return tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** ONNX `pads`: begins then ends. */
export function onnxPads(info: Conv2DInfo): number[] {
  const p = info.padInfo;
  return [p.top, p.left, p.bottom, p.right];
}

export const NHWC_TO_NCHW = [0, 3, 1, 2];
export const NCHW_TO_NHWC = [0, 2, 3, 1];
export const HWIO_TO_OIHW = [3, 2, 0, 1];

/** Multiply-adds of the forward convolution (its two gradients cost the same). */
export function convMacs(info: Conv2DInfo): number {
  return tf.util.sizeFromShape(info.outShape) * info.filterHeight * info.filterWidth * info.inChannels;
}
