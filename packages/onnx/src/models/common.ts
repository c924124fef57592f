/** What the per-kind model exporters share: finding the model's layers by their contract names, the bottleneck. */
import { LatentkitError, type tf } from '@latentkit/core';
import type { Model } from '@latentkit/models';
import { type BottleneckValues, exportBottleneck } from '../bottleneck.js';
import type { GraphBuilder } from '../graph.js';
import { exportLayer } from '../layers/index.js';
import { type Value, tfjsLayout } from '../layers/value.js';

export function layerOf(model: Model, name: string): tf.layers.Layer {
  const layer = model.layers[name];
  if (!layer) {
    throw new LatentkitError('INVALID_ARGUMENT', `the ${model.config.kind} model has no layer "${name}"; it has ${Object.keys(model.layers).join(', ')}`, {
      layer: name,
    });
  }
  return layer;
}

/** `prefix0`, `prefix1`, … for as long as they exist: the numbered layers of a stack, in call order. */
export function numbered(model: Model, prefix: string): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  for (let i = 0; model.layers[`${prefix}${i}`]; i++) out.push(model.layers[`${prefix}${i}`] as tf.layers.Layer);
  return out;
}

export function chain(g: GraphBuilder, layers: readonly tf.layers.Layer[], input: Value): Value {
  return layers.reduce((v, layer) => exportLayer(g, layer, v), input);
}

/** Encoder features → optional `enc.proj` → the bottleneck's inference mode. */
export function bottleneckOf(g: GraphBuilder, model: Model, features: Value): BottleneckValues {
  const proj = model.layers['enc.proj'];
  const h = proj ? exportLayer(g, proj, features) : features;
  const spec = model.bottleneck.inference();
  return exportBottleneck(g, spec, tfjsLayout(g, h));
}

