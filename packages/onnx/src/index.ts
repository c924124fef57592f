export { GraphBuilder, IR_VERSION, OPSET_VERSION, attr } from './graph.js';
export type { Attribute, Dim, ElementType, ModelEnvelope } from './graph.js';
export { SUPPORTED_LAYERS, channelsFirst, exportLayer, exportLstmLayer, plain, tfjsLayout } from './layers/index.js';
export type { LayerExporter, LstmOutputs, LstmState, Value } from './layers/index.js';
export { SUPPORTED_ACTIVATIONS } from './layers/activations.js';
