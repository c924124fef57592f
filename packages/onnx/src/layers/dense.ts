/** Dense → MatMul (+ Add) and the activation. MatMul rather than Gemm: it also covers rank-3 inputs [batch, time, features]. */
import type { GraphBuilder } from '../graph.js';
import { layerActivation } from './activations.js';
import { type Layer, config, weight } from './common.js';
import { type Value, plain, tfjsLayout } from './value.js';

export function exportDense(g: GraphBuilder, layer: Layer, input: Value): Value {
  const x = tfjsLayout(g, input);
  let y = g.op('MatMul', [x, g.weight(`${layer.name}/kernel`, weight(layer, 'kernel'))]);
  if (config(layer).useBias !== false) y = g.op('Add', [y, g.weight(`${layer.name}/bias`, weight(layer, 'bias'))]);
  return plain(layerActivation(g, layer, y));
}
