/**
 * Image autoencoders (`imageMlp`, `imageConv`): flattened pixels [batch, size²] in, pixel logits (Bernoulli) or
 * means (Gaussian) [batch, size²] out, as `model.decode` returns them.
 */
import type { ImageConvConfig, Model } from '@latentkit/models';
import { type GraphBuilder, attr } from '../graph.js';
import type { BottleneckValues } from '../bottleneck.js';
import { exportLayer } from '../layers/index.js';
import { type Value, plain, tfjsLayout } from '../layers/value.js';
import { bottleneckOf, chain, layerOf, numbered } from './common.js';

function reshape(g: GraphBuilder, v: Value, shape: number[]): Value {
  return plain(g.op('Reshape', [tfjsLayout(g, v), g.int64s('shape', shape)]));
}

function flatten(g: GraphBuilder, v: Value): Value {
  return plain(g.op('Flatten', [tfjsLayout(g, v)], { axis: attr.int(1) }));
}

export function imageEncoder(g: GraphBuilder, model: Model, pixels: string): BottleneckValues {
  if (model.config.kind === 'imageMlp') return bottleneckOf(g, model, chain(g, numbered(model, 'enc.dense'), plain(pixels)));
  const { size } = model.config as ImageConvConfig;
  const image = reshape(g, plain(pixels), [-1, size, size, 1]);
  const convs = flatten(g, chain(g, numbered(model, 'enc.conv'), image));
  return bottleneckOf(g, model, exportLayer(g, layerOf(model, 'enc.dense'), convs));
}

export function imageDecoder(g: GraphBuilder, model: Model, code: string): string {
  if (model.config.kind === 'imageMlp') {
    return tfjsLayout(g, exportLayer(g, layerOf(model, 'dec.out'), chain(g, numbered(model, 'dec.dense'), plain(code))));
  }
  const { size } = model.config as ImageConvConfig;
  const deconvs = numbered(model, 'dec.deconv');
  const side = size / 2 ** deconvs.length;
  const grid = reshape(g, exportLayer(g, layerOf(model, 'dec.dense'), plain(code)), [-1, side, side, (layerOf(model, 'dec.dense').getConfig().units as number) / (side * side)]);
  return flatten(g, exportLayer(g, layerOf(model, 'dec.out'), chain(g, deconvs, grid))).name;
}
