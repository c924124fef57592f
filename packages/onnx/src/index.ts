/**
 * @latentkit/onnx: trained latentkit encoders and decoders as ONNX files (IR 8, opset 17), a small onnxruntime-node
 * runtime to use them without tfjs, and parity checks against the tfjs model.
 */
export { exportModel, saveOnnx } from './export.js';
export type { ExportOptions, OnnxExport, OnnxFiles } from './export.js';
export { OnnxModel, loadOnnxModel } from './runtime.js';
export type { DecoderState, Encoding, LoadOptions, Matrix } from './runtime.js';
export { checkParity } from './parity.js';
export type { ParityReport } from './parity.js';
export { LATENTKIT_VERSION, ONNX_FORMAT, ONNX_ROLES, parseMetadataProps, toMetadataProps } from './metadata.js';
export type { OnnxIo, OnnxMetadata, OnnxRole } from './metadata.js';
export { ONNX_FILES } from './files.js';
export { exportBottleneck } from './bottleneck.js';
export type { BottleneckValues } from './bottleneck.js';
export { GraphBuilder, IR_VERSION, OPSET_VERSION, attr } from './graph.js';
export type { Attribute, Dim, ElementType, ModelEnvelope } from './graph.js';
export { SUPPORTED_LAYERS, channelsFirst, exportLayer, exportLstmLayer, plain, tfjsLayout } from './layers/index.js';
export type { LayerExporter, LstmOptions, LstmOutputs, LstmState, Value } from './layers/index.js';
export { SUPPORTED_ACTIVATIONS } from './layers/activations.js';
