/**
 * Conv2D → Conv and Conv2DTranspose → ConvTranspose, in NCHW (see value.ts for where the Transposes go).
 *
 * Kernels: tfjs Conv2D holds [kh, kw, in, out], ONNX Conv wants [out, in, kh, kw]; tfjs Conv2DTranspose holds
 * [kh, kw, out, in], ONNX ConvTranspose wants [in, out, kh, kw]. Both are the permutation [3, 2, 0, 1].
 */
import { tf } from '@latentkit/core';
import { type Attribute, type GraphBuilder, attr } from '../graph.js';
import { layerActivation } from './activations.js';
import { type Layer, config, pair, unsupported, weight } from './common.js';
import { type Value, channelsFirst } from './value.js';

function checkCommon(layer: Layer): void {
  const cfg = config(layer);
  if (cfg.dataFormat !== undefined && cfg.dataFormat !== 'channelsLast') {
    throw unsupported(layer, `dataFormat "${String(cfg.dataFormat)}"; tfjs layers here are channelsLast`);
  }
  if (cfg.padding !== 'same' && cfg.padding !== 'valid') throw unsupported(layer, `padding "${String(cfg.padding)}"; expected same or valid`);
}

function onnxKernel(g: GraphBuilder, layer: Layer): string {
  const k = tf.tidy(() => tf.transpose(weight(layer, 'kernel'), [3, 2, 0, 1]));
  const name = g.weight(`${layer.name}/kernel`, k);
  k.dispose();
  return name;
}

function convInputs(g: GraphBuilder, layer: Layer, x: string): string[] {
  const inputs = [x, onnxKernel(g, layer)];
  if (config(layer).useBias !== false) inputs.push(g.weight(`${layer.name}/bias`, weight(layer, 'bias')));
  return inputs;
}

/**
 * TensorFlow's "same" pads (k − 1)·d in total at stride 1, the odd pixel at the end; at larger strides the total
 * depends on the input size, which SAME_UPPER computes at run time. onnxruntime refuses SAME_UPPER with dilation,
 * but TensorFlow never combines dilation with a stride above 1, so dilated convolutions always get explicit pads.
 */
function convPadding(same: boolean, kernel: readonly number[], strides: readonly number[], dilations: readonly number[]): Record<string, Attribute> {
  if (!same) return { pads: attr.ints([0, 0, 0, 0]) };
  if (strides.some((s) => s !== 1)) return { auto_pad: attr.string('SAME_UPPER') };
  const total = kernel.map((k, i) => (k - 1) * (dilations[i] as number));
  const before = total.map((t) => Math.floor(t / 2));
  return { pads: attr.ints([...before, ...total.map((t, i) => t - (before[i] as number))]) };
}

export function exportConv2D(g: GraphBuilder, layer: Layer, input: Value): Value {
  checkCommon(layer);
  const kernel = pair(layer, 'kernelSize', 1);
  const strides = pair(layer, 'strides', 1);
  const dilations = pair(layer, 'dilationRate', 1);
  const y = g.op('Conv', convInputs(g, layer, channelsFirst(g, input)), {
    kernel_shape: attr.ints(kernel),
    strides: attr.ints(strides),
    dilations: attr.ints(dilations),
    ...convPadding(config(layer).padding === 'same', kernel, strides, dilations),
  });
  return { name: layerActivation(g, layer, y), channelsFirst: true };
}

/**
 * tfjs's transposed convolution is the gradient of a convolution producing its input, so its output is in·s for
 * `same` and in·s + max(k − s, 0) for `valid`. ONNX gives s·(in − 1) + k + output_padding − pads; explicit pads
 * (tfjs's own split: floor(total/2) before) and output_padding = max(s − k, 0) reproduce both, for any input size.
 */
function transposedPadding(kernel: number, stride: number, same: boolean): { before: number; after: number; extra: number } {
  const total = same ? Math.max(kernel - stride, 0) : 0;
  const before = Math.floor(total / 2);
  return { before, after: total - before, extra: Math.max(stride - kernel, 0) };
}

export function exportConv2DTranspose(g: GraphBuilder, layer: Layer, input: Value): Value {
  checkCommon(layer);
  const [dh, dw] = pair(layer, 'dilationRate', 1);
  if (dh !== 1 || dw !== 1) throw unsupported(layer, 'dilated transposed convolutions are not supported');
  const [kh, kw] = pair(layer, 'kernelSize', 1);
  const [sh, sw] = pair(layer, 'strides', 1);
  const same = config(layer).padding === 'same';
  const h = transposedPadding(kh, sh, same);
  const w = transposedPadding(kw, sw, same);
  const y = g.op('ConvTranspose', convInputs(g, layer, channelsFirst(g, input)), {
    kernel_shape: attr.ints([kh, kw]),
    strides: attr.ints([sh, sw]),
    pads: attr.ints([h.before, w.before, h.after, w.after]),
    output_padding: attr.ints([h.extra, w.extra]),
  });
  return { name: layerActivation(g, layer, y), channelsFirst: true };
}
