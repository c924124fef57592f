/** Embedding → Gather of the table's rows by integer ids (the graph feeds int64 ids). */
import type { GraphBuilder } from '../graph.js';
import { attr } from '../graph.js';
import { type Layer, config, unsupported, weight } from './common.js';
import { type Value, plain, tfjsLayout } from './value.js';

export function exportEmbedding(g: GraphBuilder, layer: Layer, ids: Value): Value {
  // The mask would change what a following LSTM computes, and a graph of layers has no place to carry it.
  if (config(layer).maskZero) throw unsupported(layer, 'maskZero is not exported; give the LSTM sequence lengths instead (exportLstmLayer)');
  const table = g.weight(`${layer.name}/embeddings`, weight(layer, 'embeddings'));
  return plain(g.op('Gather', [table, tfjsLayout(g, ids)], { axis: attr.int(0) }));
}
