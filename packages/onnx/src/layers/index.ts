/**
 * One exporter per tf.layers class. A layer whose class is not listed here, or whose options an exporter cannot
 * express, fails with a LatentkitError (code UNSUPPORTED) naming the layer and its class.
 */
import type { GraphBuilder } from '../graph.js';
import { type Layer, config, unsupported } from './common.js';
import { exportConv2D, exportConv2DTranspose } from './conv.js';
import { exportDense } from './dense.js';
import { exportActivation, exportELU, exportIdentity, exportLeakyReLU, exportReLU, exportSoftmax } from './elementwise.js';
import { exportEmbedding } from './embedding.js';
import { exportLstmLayer } from './lstm.js';
import { exportFlatten, exportReshape } from './reshape.js';
import { type Value, plain } from './value.js';

export type LayerExporter = (g: GraphBuilder, layer: Layer, input: Value) => Value;

function exportLstm(g: GraphBuilder, layer: Layer, input: Value): Value {
  if (config(layer).returnState) throw unsupported(layer, 'returnState needs the state outputs; use exportLstmLayer');
  const out = exportLstmLayer(g, layer, input);
  return plain(config(layer).returnSequences ? out.sequence : out.h);
}

const EXPORTERS: Readonly<Record<string, LayerExporter>> = {
  Dense: exportDense,
  Embedding: exportEmbedding,
  LSTM: exportLstm,
  Conv2D: exportConv2D,
  Conv2DTranspose: exportConv2DTranspose,
  Softmax: exportSoftmax,
  Activation: exportActivation,
  ReLU: exportReLU,
  LeakyReLU: exportLeakyReLU,
  ELU: exportELU,
  Flatten: exportFlatten,
  Reshape: exportReshape,
  Dropout: exportIdentity,
  SpatialDropout1D: exportIdentity,
  GaussianNoise: exportIdentity,
  GaussianDropout: exportIdentity,
  AlphaDropout: exportIdentity,
};

export const SUPPORTED_LAYERS: readonly string[] = Object.keys(EXPORTERS);

/** Appends `layer`'s inference computation to the graph, reading from `input`; returns its output. */
export function exportLayer(g: GraphBuilder, layer: Layer, input: Value): Value {
  const className = layer.getClassName();
  const exporter = Object.hasOwn(EXPORTERS, className) ? EXPORTERS[className] : undefined;
  if (!exporter) throw unsupported(layer, `no exporter for class ${className}; supported: ${SUPPORTED_LAYERS.join(', ')}`);
  if (!layer.built) throw unsupported(layer, 'it has not been built (call it once so its weights exist)');
  return exporter(g, layer, input);
}

export { exportLstmLayer } from './lstm.js';
export type { LstmOptions, LstmOutputs, LstmState } from './lstm.js';
export { type Value, channelsFirst, plain, tfjsLayout } from './value.js';
