import type { OnnxRole } from './metadata.js';

/** The file each part of an exported model is written to, inside the export folder. */
export const ONNX_FILES: Readonly<Record<OnnxRole, string>> = {
  encoder: 'encoder.onnx',
  decoder: 'decoder.onnx',
  decoderInit: 'decoder-init.onnx',
};
