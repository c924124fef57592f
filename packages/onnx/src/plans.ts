/**
 * A model's `ExportPlan` (see @latentkit/models) as ONNX graphs. Two shapes of graph, whatever the model kind:
 * - feed-forward: the encoder maps `x` [batch, width] to `code` and `latent`; the decoder maps `code` to `logits`.
 * - recurrent: the encoder reads token ids [batch, time] and lengths [batch] and keeps the LSTM's state at each
 *   sentence's last token (ONNX LSTM's `sequence_lens`); `decoderInit` maps the code to the first (h, c); the
 *   decoder is one step, (token, code, h, c) → (logits, h', c'), its input [embedding(token); code] as in training.
 */
import { LatentkitError } from '@latentkit/core';
import type { tf } from '@latentkit/core/layers';
import type { FeedForwardPlan, Model, PlanStep, RecurrentPlan } from '@latentkit/models';
import { type BottleneckValues, exportBottleneck } from './bottleneck.js';
import { type GraphBuilder, attr } from './graph.js';
import { exportLayer, exportLstmLayer } from './layers/index.js';
import { type Value, plain, tfjsLayout } from './layers/value.js';

const BATCH = 'batch';

function layerOf(model: Model, name: string): tf.layers.Layer {
  const layer = model.layers[name];
  if (!layer) {
    throw new LatentkitError(
      'INVALID_ARGUMENT',
      `the ${model.config.kind} model's export plan names layer "${name}", which it does not have; it has ${Object.keys(model.layers).join(', ')}`,
      {
        layer: name,
      },
    );
  }
  return layer;
}

function runSteps(g: GraphBuilder, model: Model, steps: readonly PlanStep[], input: Value): Value {
  return steps.reduce(
    (v, step) =>
      step.op === 'layer' ? exportLayer(g, layerOf(model, step.layer), v) : plain(g.op('Reshape', [tfjsLayout(g, v), g.int64s('shape', [...step.shape])])),
    input,
  );
}

function throughBottleneck(g: GraphBuilder, model: Model, features: Value): BottleneckValues {
  return exportBottleneck(g, model.bottleneck.inference(), tfjsLayout(g, features));
}

function outputCode(g: GraphBuilder, out: BottleneckValues): void {
  g.output(out.code, 'code', 'float32', [BATCH, out.codeDim]);
  g.output(out.latent, 'latent', 'float32', [BATCH, out.latentDim]);
}

export function feedForwardEncoder(g: GraphBuilder, model: Model, plan: FeedForwardPlan): void {
  const x = g.input('x', 'float32', [BATCH, plan.input.width]);
  outputCode(g, throughBottleneck(g, model, runSteps(g, model, plan.encoder, plain(x))));
}

export function feedForwardDecoder(g: GraphBuilder, model: Model, plan: FeedForwardPlan): void {
  const code = g.input('code', 'float32', [BATCH, model.bottleneck.codeDim]);
  g.output(tfjsLayout(g, runSteps(g, model, plan.decoder, plain(code))), 'logits', 'float32', [BATCH, plan.outputWidth]);
}

export function recurrentEncoder(g: GraphBuilder, model: Model, plan: RecurrentPlan): void {
  const tokens = g.input('tokens', 'int64', [BATCH, 'time']);
  const lengths = g.input('lengths', 'int32', [BATCH]);
  const embedded = exportLayer(g, layerOf(model, plan.embedding), plain(tokens));
  const { h } = exportLstmLayer(g, layerOf(model, plan.encoder.lstm), embedded, { sequenceLengths: lengths });
  outputCode(g, throughBottleneck(g, model, runSteps(g, model, plan.encoder.after, plain(h))));
}

export function recurrentDecoderInit(g: GraphBuilder, model: Model, plan: RecurrentPlan): void {
  const code = g.input('code', 'float32', [BATCH, model.bottleneck.codeDim]);
  g.output(exportLayer(g, layerOf(model, plan.decoder.initH), plain(code)).name, 'h', 'float32', [BATCH, plan.hiddenDim]);
  g.output(exportLayer(g, layerOf(model, plan.decoder.initC), plain(code)).name, 'c', 'float32', [BATCH, plan.hiddenDim]);
}

export function recurrentDecoderStep(g: GraphBuilder, model: Model, plan: RecurrentPlan): void {
  const token = g.input('token', 'int64', [BATCH]);
  const code = g.input('code', 'float32', [BATCH, model.bottleneck.codeDim]);
  const h = g.input('h', 'float32', [BATCH, plan.hiddenDim]);
  const c = g.input('c', 'float32', [BATCH, plan.hiddenDim]);
  const embedded = exportLayer(g, layerOf(model, plan.embedding), plain(token)).name;
  const input = g.op('Concat', [embedded, code], { axis: attr.int(1) });
  const step = g.op('Unsqueeze', [input, g.int64s('axis1', [1])]);
  const next = exportLstmLayer(g, layerOf(model, plan.decoder.lstm), plain(step), { initial: { h, c } });
  const logits = exportLayer(g, layerOf(model, plan.decoder.out), plain(next.h)).name;
  g.output(logits, 'logits', 'float32', [BATCH, plan.vocabSize]);
  g.output(next.h, 'h_next', 'float32', [BATCH, plan.hiddenDim]);
  g.output(next.c, 'c_next', 'float32', [BATCH, plan.hiddenDim]);
}
