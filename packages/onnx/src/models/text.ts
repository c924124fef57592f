/**
 * LSTM-VAE for text. The encoder reads token ids [batch, T] and lengths [batch] and keeps the LSTM's state at each
 * sentence's last token (ONNX LSTM's `sequence_lens`). The decoder is split so a caller can generate:
 * - decoderInit: code → initial (h, c) through `dec.initH` (tanh) and `dec.initC` (linear);
 * - decoder: one step, (token, code, h, c) → (logits, h', c'): the step input is [emb(token); code], as in training.
 */
import type { Model } from '@latentkit/models';
import type { BottleneckValues } from '../bottleneck.js';
import { type GraphBuilder, attr } from '../graph.js';
import { exportLayer, exportLstmLayer } from '../layers/index.js';
import { plain } from '../layers/value.js';
import { bottleneckOf, layerOf } from './common.js';

export function textEncoder(g: GraphBuilder, model: Model, tokens: string, lengths: string): BottleneckValues {
  const embedded = exportLayer(g, layerOf(model, 'emb'), plain(tokens));
  const { h } = exportLstmLayer(g, layerOf(model, 'enc.lstm'), embedded, { sequenceLengths: lengths });
  return bottleneckOf(g, model, plain(h));
}

export function textDecoderInit(g: GraphBuilder, model: Model, code: string): { h: string; c: string } {
  return {
    h: exportLayer(g, layerOf(model, 'dec.initH'), plain(code)).name,
    c: exportLayer(g, layerOf(model, 'dec.initC'), plain(code)).name,
  };
}

export function textDecoderStep(g: GraphBuilder, model: Model, token: string, code: string, h: string, c: string): { logits: string; h: string; c: string } {
  const embedded = exportLayer(g, layerOf(model, 'emb'), plain(token)).name;
  const input = g.op('Concat', [embedded, code], { axis: attr.int(1) });
  const step = g.op('Unsqueeze', [input, g.int64s('axis1', [1])]);
  const next = exportLstmLayer(g, layerOf(model, 'dec.lstm'), plain(step), { initial: { h, c } });
  const logits = exportLayer(g, layerOf(model, 'dec.out'), plain(next.h)).name;
  return { logits, h: next.h, c: next.c };
}
