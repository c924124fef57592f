/**
 * A trained latentkit model → ONNX files, following the model's own export plan: the encoder (input → `code`,
 * `latent`) and the decoder (`code` → `logits`; for recurrent models one step with the LSTM state in and out, plus
 * `decoder-init` for the first state). Every file carries the model kind, config, its inputs' layout, vocabulary and
 * latentkit version in its metadata_props.
 */
import path from 'node:path';
import { LatentkitError, writeFileAtomic } from '@latentkit/core';
import type { ExportPlan, Model, ModelConfig } from '@latentkit/models';
import { describeCondition } from '@latentkit/models';
import { ONNX_FILES } from './files.js';
import { GraphBuilder } from './graph.js';
import { LATENTKIT_VERSION, ONNX_FORMAT, type OnnxIo, type OnnxRole, toMetadataProps } from './metadata.js';
import { feedForwardDecoder, feedForwardEncoder, recurrentDecoderInit, recurrentDecoderStep, recurrentEncoder } from './plans.js';

export interface ExportOptions {
  /** Token (text) or word (bag-of-words) per id, stored in the metadata; its length must be the model's vocabSize. */
  readonly vocabulary?: readonly string[];
  /**
   * Tables: the preprocessing fitted on the training split (`@latentkit/data`'s `Preprocessing.toJSON()`), stored as
   * `latentkit.preprocessing` so a file found on its own says how to prepare new rows.
   */
  readonly preprocessing?: unknown;
}

/** The serialised parts; `decoderInit` for text models only. */
export type OnnxExport = { readonly encoder: Uint8Array; readonly decoder: Uint8Array; readonly decoderInit?: Uint8Array };

/** Where `saveOnnx` wrote each part. */
export type OnnxFiles = { readonly encoder: string; readonly decoder: string; readonly decoderInit?: string };

function checkVocabulary(model: Model, plan: ExportPlan, vocabulary: readonly string[] | undefined): void {
  if (vocabulary === undefined) return;
  const size = plan.kind === 'recurrent' ? plan.vocabSize : (model.config as { vocabSize?: number }).vocabSize;
  if (size === undefined)
    throw new LatentkitError('INVALID_ARGUMENT', `argument "vocabulary" is for text and bag-of-words models; this one is ${model.config.kind}`);
  if (vocabulary.length !== size || !vocabulary.every((w) => typeof w === 'string')) {
    throw new LatentkitError('INVALID_ARGUMENT', `argument "vocabulary" must be ${size} strings (the model's vocabSize), got ${vocabulary.length} entries`);
  }
}

function finish(g: GraphBuilder, model: Model, role: OnnxRole, io: OnnxIo, options: ExportOptions): Uint8Array {
  return g.toBytes({
    producerVersion: LATENTKIT_VERSION,
    docString: `latentkit ${model.config.kind} ${role}`,
    metadata: toMetadataProps({
      format: ONNX_FORMAT,
      role,
      modelKind: model.config.kind,
      config: model.config as ModelConfig,
      io,
      ...(options.vocabulary ? { vocabulary: options.vocabulary } : {}),
      ...(options.preprocessing !== undefined ? { preprocessing: options.preprocessing } : {}),
      latentkitVersion: LATENTKIT_VERSION,
    }),
  });
}

function graph(model: Model, role: OnnxRole, build: (g: GraphBuilder) => void): GraphBuilder {
  const g = new GraphBuilder(`${model.config.kind}.${role}`);
  build(g);
  return g;
}

/** Builds the ONNX parts of `model` in memory from its export plan. Throws UNSUPPORTED, naming the layer, for a layer it cannot express. */
export function exportModel(model: Model, options: ExportOptions = {}): OnnxExport {
  if (model.config.condition) {
    // The export plan has no step for the condition input yet; refuse plainly rather than export a graph missing it.
    throw new LatentkitError(
      'UNSUPPORTED',
      `this ${model.config.kind} model is conditional (on ${describeCondition(model.config.condition)}); ONNX export of a conditional model, with the condition as an extra input, is not supported yet`,
    );
  }
  const plan = model.exportPlan();
  checkVocabulary(model, plan, options.vocabulary);
  if (plan.kind === 'feedForward') {
    const io: OnnxIo = { kind: 'feedForward', field: plan.input.field, width: plan.input.width };
    return {
      encoder: finish(
        graph(model, 'encoder', (g) => feedForwardEncoder(g, model, plan)),
        model,
        'encoder',
        io,
        options,
      ),
      decoder: finish(
        graph(model, 'decoder', (g) => feedForwardDecoder(g, model, plan)),
        model,
        'decoder',
        io,
        options,
      ),
    };
  }
  const io: OnnxIo = { kind: 'recurrent', hiddenDim: plan.hiddenDim, vocabSize: plan.vocabSize };
  return {
    encoder: finish(
      graph(model, 'encoder', (g) => recurrentEncoder(g, model, plan)),
      model,
      'encoder',
      io,
      options,
    ),
    decoder: finish(
      graph(model, 'decoder', (g) => recurrentDecoderStep(g, model, plan)),
      model,
      'decoder',
      io,
      options,
    ),
    decoderInit: finish(
      graph(model, 'decoderInit', (g) => recurrentDecoderInit(g, model, plan)),
      model,
      'decoderInit',
      io,
      options,
    ),
  };
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
