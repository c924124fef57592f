/** Layers that act on each element (or along the last axis) and have no weights. */
import { type GraphBuilder, attr } from '../graph.js';
import { layerActivation } from './activations.js';
import { type Layer, config } from './common.js';
import { type Value, plain, tfjsLayout } from './value.js';

/** Softmax and log-softmax read along the last axis, so they need tfjs's layout; the rest keep whatever they get. */
export function exportActivation(g: GraphBuilder, layer: Layer, input: Value): Value {
  const along = config(layer).activation === 'softmax' || config(layer).activation === 'logSoftmax';
  if (along) return plain(layerActivation(g, layer, tfjsLayout(g, input)));
  return { name: layerActivation(g, layer, input.name), channelsFirst: input.channelsFirst };
}

export function exportSoftmax(g: GraphBuilder, layer: Layer, input: Value): Value {
  const axis = config(layer).axis ?? -1;
  return plain(g.op('Softmax', [tfjsLayout(g, input)], { axis: attr.int(Number(axis)) }));
}

export function exportReLU(g: GraphBuilder, layer: Layer, input: Value): Value {
  const max = config(layer).maxValue;
  const y =
    typeof max === 'number'
      ? g.op('Clip', [input.name, g.constant('zero', Float32Array.of(0), []), g.constant('max', Float32Array.of(max), [])])
      : g.op('Relu', [input.name]);
  return { name: y, channelsFirst: input.channelsFirst };
}

export function exportLeakyReLU(g: GraphBuilder, layer: Layer, input: Value): Value {
  const alpha = Number(config(layer).alpha ?? 0.3);
  return { name: g.op('LeakyRelu', [input.name], { alpha: attr.float(alpha) }), channelsFirst: input.channelsFirst };
}

export function exportELU(g: GraphBuilder, layer: Layer, input: Value): Value {
  const alpha = Number(config(layer).alpha ?? 1);
  return { name: g.op('Elu', [input.name], { alpha: attr.float(alpha) }), channelsFirst: input.channelsFirst };
}

/** Dropout and noise layers are the identity at inference. */
export function exportIdentity(_g: GraphBuilder, _layer: Layer, input: Value): Value {
  return input;
}
