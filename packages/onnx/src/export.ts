/**
 * A trained latentkit model → ONNX files: the encoder (input → `code`, `latent`) and the decoder (`code` → `logits`;
 * for text one step with the LSTM state in and out, plus `decoder-init` for the first state). Every file carries the
 * model kind, config, vocabulary and latentkit version in its metadata_props.
 */
import path from 'node:path';
import { LatentkitError, writeFileAtomic } from '@latentkit/core';
import type { Model, TextVaeConfig } from '@latentkit/models';
import { ONNX_FILES } from './files.js';
import { GraphBuilder } from './graph.js';
import { LATENTKIT_VERSION, ONNX_FORMAT, type OnnxRole, toMetadataProps } from './metadata.js';
import { bowDecoder, bowEncoder } from './models/bow.js';
import { imageDecoder, imageEncoder } from './models/image.js';
import { textDecoderInit, textDecoderStep, textEncoder } from './models/text.js';

export interface ExportOptions {
  /** Token (text) or word (bag-of-words) per id, stored in the metadata; its length must be the model's vocabSize. */
  readonly vocabulary?: readonly string[];
}

/** The serialised parts; `decoderInit` for text models only. */
export type OnnxExport = { readonly encoder: Uint8Array; readonly decoder: Uint8Array; readonly decoderInit?: Uint8Array };

/** Where `saveOnnx` wrote each part. */
export type OnnxFiles = { readonly encoder: string; readonly decoder: string; readonly decoderInit?: string };

const BATCH = 'batch';

function vocabSizeOf(model: Model): number | undefined {
  const c = model.config;
  return c.kind === 'textVae' || c.kind === 'bowVae' ? c.vocabSize : undefined;
}

function checkVocabulary(model: Model, vocabulary: readonly string[] | undefined): void {
  if (vocabulary === undefined) return;
  const size = vocabSizeOf(model);
  if (size === undefined) throw new LatentkitError('INVALID_ARGUMENT', `argument "vocabulary" is for text and bag-of-words models; this one is ${model.config.kind}`);
  if (vocabulary.length !== size || !vocabulary.every((w) => typeof w === 'string')) {
    throw new LatentkitError('INVALID_ARGUMENT', `argument "vocabulary" must be ${size} strings (the model's vocabSize), got ${vocabulary.length} entries`);
  }
}

function finish(g: GraphBuilder, model: Model, role: OnnxRole, options: ExportOptions): Uint8Array {
  return g.toBytes({
    producerVersion: LATENTKIT_VERSION,
    docString: `latentkit ${model.config.kind} ${role}`,
    metadata: toMetadataProps({
      format: ONNX_FORMAT,
      role,
      modelKind: model.config.kind,
      config: model.config,
      ...(options.vocabulary ? { vocabulary: options.vocabulary } : {}),
      latentkitVersion: LATENTKIT_VERSION,
    }),
  });
}

function encoderGraph(model: Model): GraphBuilder {
  const g = new GraphBuilder(`${model.config.kind}.encoder`);
  const c = model.config;
  const out =
    c.kind === 'textVae'
      ? textEncoder(g, model, g.input('tokens', 'int64', [BATCH, 'time']), g.input('lengths', 'int32', [BATCH]))
      : c.kind === 'bowVae'
        ? bowEncoder(g, model, g.input('x', 'float32', [BATCH, c.vocabSize]))
        : imageEncoder(g, model, g.input('x', 'float32', [BATCH, c.size * c.size]));
  g.output(out.code, 'code', 'float32', [BATCH, out.codeDim]);
  g.output(out.latent, 'latent', 'float32', [BATCH, out.latentDim]);
  return g;
}

function decoderGraph(model: Model): GraphBuilder {
  const g = new GraphBuilder(`${model.config.kind}.decoder`);
  const c = model.config;
  const codeDim = model.bottleneck.codeDim;
  if (c.kind === 'textVae') {
    const step = textDecoderStep(
      g,
      model,
      g.input('token', 'int64', [BATCH]),
      g.input('code', 'float32', [BATCH, codeDim]),
      g.input('h', 'float32', [BATCH, c.hiddenDim]),
      g.input('c', 'float32', [BATCH, c.hiddenDim]),
    );
    g.output(step.logits, 'logits', 'float32', [BATCH, c.vocabSize]);
    g.output(step.h, 'h_next', 'float32', [BATCH, c.hiddenDim]);
    g.output(step.c, 'c_next', 'float32', [BATCH, c.hiddenDim]);
    return g;
  }
  const code = g.input('code', 'float32', [BATCH, codeDim]);
  const logits = c.kind === 'bowVae' ? bowDecoder(g, model, code) : imageDecoder(g, model, code);
  g.output(logits, 'logits', 'float32', [BATCH, c.kind === 'bowVae' ? c.vocabSize : c.size * c.size]);
  return g;
}

function decoderInitGraph(model: Model, c: TextVaeConfig): GraphBuilder {
  const g = new GraphBuilder(`${c.kind}.decoderInit`);
  const state = textDecoderInit(g, model, g.input('code', 'float32', [BATCH, model.bottleneck.codeDim]));
  g.output(state.h, 'h', 'float32', [BATCH, c.hiddenDim]);
  g.output(state.c, 'c', 'float32', [BATCH, c.hiddenDim]);
  return g;
}

/** Builds the ONNX parts of `model` in memory. Throws UNSUPPORTED, naming the layer, for a layer it cannot express. */
export function exportModel(model: Model, options: ExportOptions = {}): OnnxExport {
  checkVocabulary(model, options.vocabulary);
  const encoder = finish(encoderGraph(model), model, 'encoder', options);
  const decoder = finish(decoderGraph(model), model, 'decoder', options);
  if (model.config.kind !== 'textVae') return { encoder, decoder };
  return { encoder, decoder, decoderInit: finish(decoderInitGraph(model, model.config), model, 'decoderInit', options) };
}

/** Exports `model` and writes its parts into `dir` (created if needed; each file replaced atomically). */
export function saveOnnx(model: Model, dir: string, options: ExportOptions = {}): OnnxFiles {
  const parts = exportModel(model, options);
  const files: Partial<Record<OnnxRole, string>> = {};
  for (const [role, bytes] of Object.entries(parts) as [OnnxRole, Uint8Array][]) {
    const file = path.join(dir, ONNX_FILES[role]);
    writeFileAtomic(file, bytes);
    files[role] = file;
  }
  return files as OnnxFiles;
}
