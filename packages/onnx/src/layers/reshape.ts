/** Flatten and Reshape, in tfjs's layout so the element order is the one tfjs produces. */
import { type GraphBuilder, attr } from '../graph.js';
import { type Layer, config, unsupported } from './common.js';
import { type Value, plain, tfjsLayout } from './value.js';

export function exportFlatten(g: GraphBuilder, _layer: Layer, input: Value): Value {
  return plain(g.op('Flatten', [tfjsLayout(g, input)], { axis: attr.int(1) }));
}

export function exportReshape(g: GraphBuilder, layer: Layer, input: Value): Value {
  const target = config(layer).targetShape;
  if (!Array.isArray(target) || !target.every((d) => Number.isInteger(d))) {
    throw unsupported(layer, `targetShape ${JSON.stringify(target)}; expected a list of integers`);
  }
  // A leading 0 copies the batch size (allowzero = 0, the default).
  const shape = g.int64s(`${layer.name}/shape`, [0, ...(target as number[])]);
  return plain(g.op('Reshape', [tfjsLayout(g, input), shape]));
}
