/**
 * Image autoencoders (`imageMlp`, `imageConv`): flattened pixels [batch, size²] in, pixel logits (Bernoulli) or
 * means (Gaussian) [batch, size²] out, as `model.decode` returns them. The convolutional one reshapes to NHWC as the
 * model does; the layer exporters move to NCHW for the convolutions and back for the dense layers and reshapes.
 */
import type { ImageConvConfig, Model } from '@latentkit/models';
import type { GraphBuilder } from '../graph.js';
import type { BottleneckValues } from '../bottleneck.js';
import { exportLayer } from '../layers/index.js';
import { type Value, plain, tfjsLayout } from '../layers/value.js';
import { bottleneckOf, chain, layerOf, numbered } from './common.js';

function reshape(g: GraphBuilder, v: Value, shape: number[]): Value {
  return plain(g.op('Reshape', [tfjsLayout(g, v), g.int64s('shape', shape)]));
}

export function imageEncoder(g: GraphBuilder, model: Model, pixels: string): BottleneckValues {
  if (model.config.kind === 'imageMlp') return bottleneckOf(g, model, chain(g, numbered(model, 'enc.dense'), plain(pixels)));
  const { size } = model.config as ImageConvConfig;
  const image = reshape(g, plain(pixels), [-1, size, size, 1]);
  const convs = chain(g, numbered(model, 'enc.conv'), image);
  return bottleneckOf(g, model, chain(g, [layerOf(model, 'enc.flatten'), layerOf(model, 'enc.dense')], convs));
}

export function imageDecoder(g: GraphBuilder, model: Model, code: string): string {
  if (model.config.kind === 'imageMlp') {
    return tfjsLayout(g, chain(g, [...numbered(model, 'dec.dense'), layerOf(model, 'dec.out')], plain(code)));
  }
  const { size, filters } = model.config as ImageConvConfig;
  const grid = reshape(g, exportLayer(g, layerOf(model, 'dec.dense'), plain(code)), [-1, size / 4, size / 4, filters[1]]);
  const image = chain(g, [...numbered(model, 'dec.deconv'), layerOf(model, 'dec.out')], grid);
  return reshape(g, image, [-1, size * size]).name;
}
