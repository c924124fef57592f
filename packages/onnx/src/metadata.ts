/**
 * What an exported file says about itself, in ONNX `metadata_props` (string → string), so a file found on its own
 * can still be used: which model it came from, which part of it it is, the full model config, the vocabulary, and
 * the latentkit version that wrote it.
 */
import { createRequire } from 'node:module';
import { LatentkitError } from '@latentkit/core';
import type { ModelConfig } from '@latentkit/models';

export const ONNX_FORMAT = 'latentkit-onnx@1';

/**
 * - `encoder`: model input → `code`, `latent`.
 * - `decoder`: bag-of-words and images: `code` → `logits`; text: one step, (`token`, `code`, `h`, `c`) → (`logits`, `h_next`, `c_next`).
 * - `decoderInit`: text only, `code` → the decoder's initial `h`, `c`.
 */
export type OnnxRole = 'encoder' | 'decoder' | 'decoderInit';
export const ONNX_ROLES: readonly OnnxRole[] = ['encoder', 'decoder', 'decoderInit'];

/**
 * How the runtime feeds the files: a feed-forward encoder reads the batch field `field` ([rows, width] as `x`); a
 * recurrent one reads token ids and lengths and decodes step by step. Files written before this key existed
 * have none; the runtime then reads the one matrix field the batch has.
 */
export type OnnxIo =
  | { readonly kind: 'feedForward'; readonly field: string; readonly width: number }
  | { readonly kind: 'recurrent'; readonly hiddenDim: number; readonly vocabSize: number };

export interface OnnxMetadata {
  readonly format: typeof ONNX_FORMAT;
  readonly role: OnnxRole;
  readonly modelKind: string;
  /** The model's full config, as `model.config`. */
  readonly config: ModelConfig;
  readonly io?: OnnxIo;
  /** Token (text) or word (bag-of-words) per id; absent for images or when the exporter was not given one. */
  readonly vocabulary?: readonly string[];
  /**
   * Tables: the training split's preprocessing (`{format: "latentkit-preprocessing", version: 1, columns}`: mean/std
   * per numeric column, categories per categorical or binary one), to prepare new rows the way training did.
   */
  readonly preprocessing?: unknown;
  /** Version of @latentkit/onnx that wrote the file. */
  readonly latentkitVersion: string;
}

const KEYS = {
  format: 'latentkit.format',
  role: 'latentkit.role',
  modelKind: 'latentkit.model_kind',
  config: 'latentkit.config',
  io: 'latentkit.io',
  vocabulary: 'latentkit.vocabulary',
  preprocessing: 'latentkit.preprocessing',
  latentkitVersion: 'latentkit.version',
} as const;

export const LATENTKIT_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

export function toMetadataProps(m: OnnxMetadata): Record<string, string> {
  const props: Record<string, string> = {
    [KEYS.format]: m.format,
    [KEYS.role]: m.role,
    [KEYS.modelKind]: m.modelKind,
    [KEYS.config]: JSON.stringify(m.config),
    [KEYS.latentkitVersion]: m.latentkitVersion,
  };
  if (m.io) props[KEYS.io] = JSON.stringify(m.io);
  if (m.vocabulary) props[KEYS.vocabulary] = JSON.stringify(m.vocabulary);
  if (m.preprocessing !== undefined) props[KEYS.preprocessing] = JSON.stringify(m.preprocessing);
  return props;
}

function bad(source: string, what: string): LatentkitError {
  return new LatentkitError('PARSE_ERROR', `${source}: ${what}; is it a model exported by @latentkit/onnx?`, { file: source });
}

function parseJson(source: string, key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw bad(source, `metadata "${key}" is not valid JSON (${(e as Error).message})`);
  }
}

/** Reads and validates the metadata of `source` (a file name, for messages). */
export function parseMetadataProps(props: Readonly<Record<string, string>>, source: string): OnnxMetadata {
  const get = (key: string): string => {
    const v = props[key];
    if (v === undefined) throw bad(source, `metadata_props has no "${key}"`);
    return v;
  };
  const format = get(KEYS.format);
  if (format !== ONNX_FORMAT) throw bad(source, `metadata "${KEYS.format}" is ${JSON.stringify(format)}, expected ${ONNX_FORMAT}`);
  const role = get(KEYS.role);
  if (!(ONNX_ROLES as readonly string[]).includes(role))
    throw bad(source, `metadata "${KEYS.role}" is ${JSON.stringify(role)}, expected one of ${ONNX_ROLES.join(', ')}`);
  const config = parseJson(source, KEYS.config, get(KEYS.config)) as ModelConfig;
  const modelKind = get(KEYS.modelKind);
  if (config?.kind !== modelKind)
    throw bad(source, `metadata "${KEYS.config}" has kind ${JSON.stringify(config?.kind)} but "${KEYS.modelKind}" says ${modelKind}`);
  const vocabText = props[KEYS.vocabulary];
  const vocabulary = vocabText === undefined ? undefined : parseJson(source, KEYS.vocabulary, vocabText);
  if (vocabulary !== undefined && !(Array.isArray(vocabulary) && vocabulary.every((w) => typeof w === 'string'))) {
    throw bad(source, `metadata "${KEYS.vocabulary}" is not a list of strings`);
  }
  const preText = props[KEYS.preprocessing];
  const preprocessing = preText === undefined ? undefined : parseJson(source, KEYS.preprocessing, preText);
  if (preprocessing !== undefined && (preprocessing as { format?: unknown } | null)?.format !== 'latentkit-preprocessing') {
    throw bad(source, `metadata "${KEYS.preprocessing}" is not a latentkit-preprocessing object`);
  }
  const ioText = props[KEYS.io];
  const io = ioText === undefined ? undefined : (parseJson(source, KEYS.io, ioText) as OnnxIo);
  if (io !== undefined && io?.kind !== 'feedForward' && io?.kind !== 'recurrent') throw bad(source, `metadata "${KEYS.io}" has no known kind`);
  return {
    format: ONNX_FORMAT,
    role: role as OnnxRole,
    modelKind,
    config,
    ...(io ? { io } : {}),
    ...(vocabulary ? { vocabulary: vocabulary as string[] } : {}),
    ...(preprocessing !== undefined ? { preprocessing } : {}),
    latentkitVersion: get(KEYS.latentkitVersion),
  };
}
