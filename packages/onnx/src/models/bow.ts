/** Bag-of-words VAE: word counts [batch, vocab] in; the decoder gives word logits [batch, vocab]. */
import type { Model } from '@latentkit/models';
import type { BottleneckValues } from '../bottleneck.js';
import type { GraphBuilder } from '../graph.js';
import { exportLayer } from '../layers/index.js';
import { plain } from '../layers/value.js';
import { bottleneckOf, chain, layerOf, numbered } from './common.js';

export function bowEncoder(g: GraphBuilder, model: Model, counts: string): BottleneckValues {
  return bottleneckOf(g, model, chain(g, numbered(model, 'enc.dense'), plain(counts)));
}

export function bowDecoder(g: GraphBuilder, model: Model, code: string): string {
  return exportLayer(g, layerOf(model, 'dec.out'), plain(code)).name;
}
