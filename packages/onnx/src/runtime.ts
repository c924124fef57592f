/**
 * Runs exported models with onnxruntime-node, without tfjs: plain typed arrays in, plain typed arrays out.
 *
 * `loadOnnxModel(dir)` opens the files `saveOnnx` wrote (or one of them, given its path), reads what each file says
 * about itself from `metadata_props`, and encodes or decodes batches. For text it runs the decoder one step at a
 * time with the LSTM state going in and out, which is all a caller needs to generate.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LatentkitError, invalidArgument } from '@latentkit/core';
import type { Batch, ModelConfig, SpecialTokens, TextBatch } from '@latentkit/models';
import type * as Ort from 'onnxruntime-node';
import { ONNX_FILES } from './files.js';
import { type OnnxMetadata, type OnnxRole, parseMetadataProps } from './metadata.js';
import { onnx } from './proto.js';

let ortModule: typeof Ort | undefined;

/**
 * onnxruntime-node is an optional dependency: on Linux x64 its install step downloads the CUDA provider libraries
 * from NuGet, and where only the npm registry is reachable that step fails and npm leaves the package out. Exporting
 * needs no runtime; running a model or a parity check loads it here and says how to install it when it is missing.
 */
async function loadOrt(): Promise<typeof Ort> {
  if (ortModule) return ortModule;
  try {
    ortModule = (await import('onnxruntime-node')) as typeof Ort;
    return ortModule;
  } catch (e) {
    const code = (e as { code?: string }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    throw new LatentkitError(
      'BACKEND_UNAVAILABLE',
      missing
        ? 'onnxruntime-node is not installed, so ONNX models cannot run here (exporting works without it). Install the CPU runtime with ' +
            '"ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.30.0" (the variable skips the CUDA download that fails where only the npm registry is reachable)'
        : `onnxruntime-node is installed but does not load here: ${(e as Error).message.split('\n')[0]}`,
      {},
      { cause: e },
    );
  }
}

/** The runtime a loaded model runs on (only called once `loadOrt` has succeeded: every tensor follows a session). */
function ort(): typeof Ort {
  if (!ortModule) throw new LatentkitError('BACKEND_UNAVAILABLE', 'onnxruntime-node has not been loaded (load a model with loadOnnxModel first)');
  return ortModule;
}

/** A row-major [rows, cols] float32 matrix. */
export interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

export interface Encoding {
  /** What the decoder sees (Gaussian mean, vMF mean direction, nearest or soft VQ codeword): [rows, codeDim]. */
  readonly code: Matrix;
  /** The pre-quantization code downstream tasks use: [rows, latentDim]. */
  readonly latent: Matrix;
}

/** The text decoder's LSTM state, [rows, hiddenDim] each. */
export interface DecoderState {
  readonly h: Matrix;
  readonly c: Matrix;
}

export interface LoadOptions {
  /** Passed to onnxruntime (threads, graph optimisation level, …). */
  readonly sessionOptions?: Ort.InferenceSession.SessionOptions;
}

interface Part {
  readonly file: string;
  readonly metadata: OnnxMetadata;
  readonly session: Ort.InferenceSession;
}

/** Reads a file's metadata_props without keeping the decoded model (protobufjs references the weights, no copy). */
function readMetadata(bytes: Uint8Array, file: string): OnnxMetadata {
  let model: ReturnType<typeof onnx.ModelProto.decode>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new LatentkitError('PARSE_ERROR', `${file}: not an ONNX model (${(e as Error).message})`, { file });
  }
  const props: Record<string, string> = {};
  for (const p of model.metadataProps) if (p.key) props[p.key] = p.value ?? '';
  return parseMetadataProps(props, file);
}

async function openPart(file: string, options: LoadOptions): Promise<Part> {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new LatentkitError('FILE_NOT_FOUND', `ONNX file ${file} does not exist`, { file });
  }
  const metadata = readMetadata(bytes, file);
  const session = await (await loadOrt()).InferenceSession.create(bytes, options.sessionOptions ?? {});
  return { file, metadata, session };
}

function matrix(t: Ort.Tensor | undefined, name: string): Matrix {
  if (t?.type !== 'float32' || t.dims.length !== 2) throw new LatentkitError('NUMERIC_ERROR', `onnxruntime returned no [rows, cols] float32 "${name}"`);
  return { data: t.data as Float32Array, rows: t.dims[0] as number, cols: t.dims[1] as number };
}

function floatTensor(m: Matrix, name: string): Ort.Tensor {
  if (m.data.length !== m.rows * m.cols) throw invalidArgument(name, `${m.rows}×${m.cols} = ${m.rows * m.cols} values`, `${m.data.length} values`);
  return new (ort().Tensor)('float32', m.data, [m.rows, m.cols]);
}

function int64Tensor(values: Int32Array, dims: number[]): Ort.Tensor {
  return new (ort().Tensor)(
    'int64',
    BigInt64Array.from(values, (v) => BigInt(v)),
    dims,
  );
}

export class OnnxModel {
  private constructor(
    private readonly parts: Partial<Record<OnnxRole, Part>>,
    /** The metadata of the loaded files (they agree on everything but the role). */
    readonly metadata: OnnxMetadata,
  ) {}

  /** Opens a folder written by `saveOnnx`, or a single file of one. */
  static async load(location: string, options: LoadOptions = {}): Promise<OnnxModel> {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(location);
    } catch {
      throw new LatentkitError('FILE_NOT_FOUND', `${location} does not exist; expected a folder written by saveOnnx or one .onnx file`, { file: location });
    }
    const files = stat.isDirectory()
      ? Object.values(ONNX_FILES)
          .map((name) => path.join(location, name))
          .filter((f) => fs.existsSync(f))
      : [location];
    if (files.length === 0) throw new LatentkitError('FILE_NOT_FOUND', `${location} holds none of ${Object.values(ONNX_FILES).join(', ')}`, { file: location });
    const parts: Partial<Record<OnnxRole, Part>> = {};
    try {
      for (const file of files) {
        const part = await openPart(file, options);
        parts[part.metadata.role] = part;
      }
      const first = Object.values(parts)[0] as Part;
      for (const part of Object.values(parts)) {
        if (JSON.stringify(part.metadata.config) !== JSON.stringify(first.metadata.config)) {
          throw new LatentkitError('PARSE_ERROR', `${part.file} and ${first.file} were exported from different models (their configs differ)`);
        }
      }
      return new OnnxModel(parts, first.metadata);
    } catch (e) {
      for (const part of Object.values(parts)) await part.session.release();
      throw e;
    }
  }

  get kind(): string {
    return this.metadata.modelKind;
  }

  get config(): ModelConfig {
    return this.metadata.config;
  }

  get vocabulary(): readonly string[] | undefined {
    return this.metadata.vocabulary;
  }

  private part(role: OnnxRole): Part {
    const p = this.parts[role];
    if (!p) throw new LatentkitError('INVALID_ARGUMENT', `this ${this.kind} model was loaded without its ${role} (${ONNX_FILES[role]})`, { role });
    return p;
  }

  /** Recurrent (text) models read token ids and decode step by step; files without `io` metadata say so by their inputs. */
  get recurrent(): boolean {
    if (this.metadata.io) return this.metadata.io.kind === 'recurrent';
    return (
      this.parts.decoderInit !== undefined ||
      Object.values(this.parts).some((p) => p.session.inputNames.includes('tokens') || p.session.inputNames.includes('token'))
    );
  }

  private specialTokens(what: string): SpecialTokens {
    const tokens = (this.config as { specialTokens?: SpecialTokens }).specialTokens;
    if (!this.recurrent || !tokens) throw new LatentkitError('INVALID_ARGUMENT', `${what} is for text models; this one is ${this.kind}`);
    return tokens;
  }

  /**
   * Encodes a batch in the form the tfjs models take (and @latentkit/data yields): text `{size, steps, targets, mask}`
   * (the encoder reads `targets`, `w1 … wn <eos>`, up to each row's last unmasked token), bag-of-words
   * `{size, counts}`, images `{size, pixels}`.
   */
  async encode(batch: Batch): Promise<Encoding> {
    const { session } = this.part('encoder');
    const out = await session.run(this.recurrent ? textFeeds(batch as TextBatch) : this.matrixFeeds(batch));
    return { code: matrix(out.code, 'code'), latent: matrix(out.latent, 'latent') };
  }

  /** Bag-of-words: word logits [rows, vocab]; images: pixel logits (Bernoulli) or means (Gaussian) [rows, size²]. */
  async decode(code: Matrix): Promise<Matrix> {
    if (this.recurrent) throw new LatentkitError('INVALID_ARGUMENT', 'text models decode one step at a time: use initialState and decodeStep (or generate)');
    const out = await this.part('decoder').session.run({ code: floatTensor(code, 'code') });
    return matrix(out.logits, 'logits');
  }

  /** Text: the decoder's LSTM state before the first step, from the code. */
  async initialState(code: Matrix): Promise<DecoderState> {
    this.specialTokens('initialState');
    const out = await this.part('decoderInit').session.run({ code: floatTensor(code, 'code') });
    return { h: matrix(out.h, 'h'), c: matrix(out.c, 'c') };
  }

  /** Text: one decoder step. `tokens` holds one input token id per row (`bos` first). */
  async decodeStep(tokens: Int32Array, code: Matrix, state: DecoderState): Promise<{ logits: Matrix; state: DecoderState }> {
    this.specialTokens('decodeStep');
    if (tokens.length !== code.rows) throw invalidArgument('tokens', `one token id per code row (${code.rows})`, `${tokens.length} ids`);
    const out = await this.part('decoder').session.run({
      token: int64Tensor(tokens, [tokens.length]),
      code: floatTensor(code, 'code'),
      h: floatTensor(state.h, 'state.h'),
      c: floatTensor(state.c, 'state.c'),
    });
    return { logits: matrix(out.logits, 'logits'), state: { h: matrix(out.h_next, 'h_next'), c: matrix(out.c_next, 'c_next') } };
  }

  /** Text: greedy decoding from each code row, up to `maxLength` tokens or `eos`; returns the ids after `bos`, without `eos`. */
  async generate(code: Matrix, maxLength = 50): Promise<number[][]> {
    const { bos, eos } = this.specialTokens('generate');
    let state = await this.initialState(code);
    let tokens: Int32Array = new Int32Array(code.rows).fill(bos);
    const out: number[][] = Array.from({ length: code.rows }, () => []);
    const done = new Array<boolean>(code.rows).fill(false);
    for (let t = 0; t < maxLength && !done.every(Boolean); t++) {
      const step = await this.decodeStep(tokens, code, state);
      state = step.state;
      tokens = argmaxRows(step.logits);
      tokens.forEach((id, row) => {
        if (done[row]) return;
        if (id === eos) done[row] = true;
        else out[row]?.push(id);
      });
    }
    return out;
  }

  /** The encoder's `x`: the batch field the export plan named (`pixels`, `counts`), [size, width]. */
  private matrixFeeds(batch: Batch): Record<string, Ort.Tensor> {
    const io = this.metadata.io?.kind === 'feedForward' ? this.metadata.io : undefined;
    const fields = batch as unknown as Record<string, Float32Array | undefined>;
    // Files from before the io metadata name no field: their batches have exactly one matrix, pixels or counts.
    const field = io?.field ?? (fields.pixels ? 'pixels' : 'counts');
    const data = fields[field];
    const width = io?.width ?? (data ? data.length / Math.max(1, batch.size) : 0);
    checkLength(data, batch.size * width, field);
    return { x: new (ort().Tensor)('float32', data as Float32Array, [batch.size, width]) };
  }

  async release(): Promise<void> {
    for (const part of Object.values(this.parts)) await part.session.release();
  }
}

function checkLength(array: ArrayLike<number> | undefined, expected: number, field: string): void {
  if (array?.length !== expected) throw invalidArgument(`batch.${field}`, `${expected} values`, array?.length ?? 'none');
}

function textFeeds(batch: TextBatch): Record<string, Ort.Tensor> {
  const { size, steps, targets, mask } = batch;
  checkLength(targets, size * steps, 'targets');
  checkLength(mask, size * steps, 'mask');
  const lengths = new Int32Array(size);
  for (let r = 0; r < size; r++) {
    let n = 0;
    for (let t = 0; t < steps; t++) n += mask[r * steps + t] as number;
    lengths[r] = n;
  }
  return { tokens: int64Tensor(targets, [size, steps]), lengths: new (ort().Tensor)('int32', lengths, [size]) };
}

function argmaxRows(m: Matrix): Int32Array {
  const ids = new Int32Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let best = 0;
    for (let j = 1; j < m.cols; j++) if ((m.data[r * m.cols + j] as number) > (m.data[r * m.cols + best] as number)) best = j;
    ids[r] = best;
  }
  return ids;
}

/** `OnnxModel.load`: opens a folder written by `saveOnnx`, or one of its files. */
export function loadOnnxModel(location: string, options: LoadOptions = {}): Promise<OnnxModel> {
  return OnnxModel.load(location, options);
}
