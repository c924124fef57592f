/**
 * Checkpoints: named weights and any JSON config (model config, trainer state, RNG state), saved the TensorFlow.js
 * way, through tf.io IO handlers: a folder holds `model.json` (tf.io's `weightsManifest`, and our config and the
 * SHA-256 of the weights under `userDefinedMetadata.latentkit`) beside `weights.bin`, so tf.io's `file://` (ours,
 * see file-io-handler.ts), `http://` and in-memory handlers all read and write it and a browser can load the weights.
 * `saveCheckpointTo` / `loadCheckpointFrom` take any tf.io URL or handler; `saveCheckpoint` / `loadCheckpoint` a folder.
 * Folders written before this format (`config.json` + `weights.json` with byte offsets + `weights.bin`) still load.
 *
 * A checkpoint is untrusted input: a manifest that was edited, truncated or crafted must not read bytes from
 * outside the weights (a negative offset once returned process memory), nor load the wrong bytes silently. So every
 * entry is validated before a byte of weights is read, the entries must tile the weights exactly, the hash must
 * match when one is recorded, and no file may be a symlink out of the folder.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readableDir } from './atomic.js';
import { resolveCheckpointDir } from './checkpoint-dir.js';
import { LatentkitError } from './errors.js';
import { FileSystemIoHandler, MODEL_JSON, type ModelJsonFile, joinWeightData, manifestFiles, parseModelJson } from './file-io-handler.js';
import { tf } from './tf.js';

export interface WeightSpec {
  readonly name: string;
  readonly dtype: 'float32' | 'int32';
  readonly shape: readonly number[];
  readonly offset: number;
}

export interface CheckpointData<C = unknown> {
  readonly config: C;
  readonly weights: Readonly<Record<string, tf.Tensor>>;
}

export interface LoadCheckpointOptions {
  /**
   * Checks one manifest entry (already known to be well formed) before any weight is read: returns what is wrong
   * with it (e.g. `not a weight of this model`), or undefined. Lets a caller refuse names and shapes it does not know.
   */
  readonly checkEntry?: (spec: WeightSpec) => string | undefined;
  /** The folder no file may leave through a symlink (e.g. the run folder). Default: the checkpoint folder itself. */
  readonly within?: string;
}

/** The format of a tf.io checkpoint (in `userDefinedMetadata.latentkit.format`). */
export const CHECKPOINT_FORMAT = 'latentkit-checkpoint@2';
/** The format of the folders written before checkpoints went through tf.io (config.json + weights.json). */
export const LEGACY_CHECKPOINT_FORMAT = 'latentkit-checkpoint@1';

/** What a checkpoint keeps under `userDefinedMetadata.latentkit`. */
interface CheckpointMetadata<C = unknown> {
  readonly format: string;
  readonly sha256: string;
  readonly config: C;
}

const DTYPE_BYTES: Readonly<Record<WeightSpec['dtype'], number>> = { float32: 4, int32: 4 };

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The tf.io model artifacts of a checkpoint: weight specs and bytes as tf.io encodes them (in the weights' key order),
 * the config under `userDefinedMetadata.latentkit`. The tensors are read, not disposed.
 */
export async function checkpointArtifacts<C>(data: CheckpointData<C>): Promise<tf.io.ModelArtifacts> {
  for (const [name, tensor] of Object.entries(data.weights)) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
      throw new LatentkitError('CHECKPOINT_ERROR', `weight "${name}" has dtype ${tensor.dtype}; checkpoints hold float32 and int32`);
    }
    // What loadCheckpoint would refuse is refused here, where it is a bug in the caller rather than a bad file.
    if (name === '' || tensor.shape.some((d) => d === 0)) {
      throw new LatentkitError('CHECKPOINT_ERROR', `weight "${name}" of shape [${tensor.shape}]: checkpoints hold non-empty weights with non-empty names`);
    }
  }
  const { data: weightData, specs } = await tf.io.encodeWeights(data.weights as tf.NamedTensorMap);
  const latentkit: CheckpointMetadata<C> = { format: CHECKPOINT_FORMAT, sha256: sha256(new Uint8Array(joinWeightData(weightData))), config: data.config };
  return {
    format: 'latentkit-checkpoint',
    generatedBy: 'latentkit',
    convertedBy: null,
    weightSpecs: specs,
    weightData,
    userDefinedMetadata: { latentkit: latentkit as unknown as object },
  };
}

/** Writes the checkpoint folder (model.json + weights.bin) atomically; the tensors are read, not disposed. */
export async function saveCheckpoint<C>(dir: string, data: CheckpointData<C>): Promise<void> {
  await new FileSystemIoHandler(dir).save(await checkpointArtifacts(data));
}

function saveHandler(destination: string | tf.io.IOHandler): tf.io.IOHandler {
  if (typeof destination !== 'string') return destination;
  const [handler] = tf.io.getSaveHandlers(destination);
  if (!handler) throw new LatentkitError('INVALID_ARGUMENT', `no tf.io save handler for "${destination}"; expected file://, http(s)://, or an IOHandler`, {});
  return handler;
}

function loadHandler(source: string | tf.io.IOHandler): tf.io.IOHandler {
  if (typeof source !== 'string') return source;
  const [handler] = tf.io.getLoadHandlers(source);
  if (!handler) throw new LatentkitError('INVALID_ARGUMENT', `no tf.io load handler for "${source}"; expected file://, http(s)://, or an IOHandler`, {});
  return handler;
}

/** Saves through any tf.io handler or URL: `file://dir`, `http://…` (POSTs model.json and weights.bin), `tf.io.withSaveHandler(fn)`. */
export async function saveCheckpointTo<C>(destination: string | tf.io.IOHandler, data: CheckpointData<C>): Promise<tf.io.SaveResult> {
  return (
    saveHandler(destination).save?.(await checkpointArtifacts(data)) ?? Promise.reject(new LatentkitError('INVALID_ARGUMENT', 'the IO handler cannot save', {}))
  );
}

/** Loads through any tf.io handler or URL (`file://dir`, `http://host/run/model.json`, `tf.io.fromMemory(artifacts)`); the caller disposes the tensors. */
export async function loadCheckpointFrom<C = unknown>(
  source: string | tf.io.IOHandler,
  options: Omit<LoadCheckpointOptions, 'within'> = {},
): Promise<CheckpointData<C>> {
  const handler = loadHandler(source);
  if (!handler.load) throw new LatentkitError('INVALID_ARGUMENT', 'the IO handler cannot load', {});
  const label = typeof source === 'string' ? source : 'the IO handler';
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await handler.load();
  } catch (e) {
    if (e instanceof LatentkitError) throw e;
    throw new LatentkitError('CHECKPOINT_ERROR', `${label}: could not load (${(e as Error).message.split('\n')[0]})`, { file: label }, { cause: e });
  }
  return checkpointFromArtifacts<C>(artifacts, label, options);
}

function checkpointMetadata<C>(file: string, metadata: unknown): CheckpointMetadata<C> {
  const doc = (metadata as { latentkit?: Partial<CheckpointMetadata<C>> } | null | undefined)?.latentkit;
  if (doc?.format !== CHECKPOINT_FORMAT) {
    throw checkpointError(
      file,
      `expected userDefinedMetadata.latentkit.format ${CHECKPOINT_FORMAT} (a latentkit checkpoint), got ${JSON.stringify(doc?.format)}`,
    );
  }
  return doc as CheckpointMetadata<C>;
}

/** Weight specs in tf.io order, with the byte offsets tf.io leaves implicit (each follows the previous one). */
function withOffsets(specs: readonly unknown[]): unknown[] {
  let offset = 0;
  return specs.map((raw) => {
    const spec = raw as { shape?: unknown; dtype?: unknown; quantization?: unknown } | null;
    const shape = spec?.shape;
    const bytes = Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d)) ? (shape as number[]).reduce((a, b) => a * b, 1) * 4 : 0;
    const entry = spec && typeof spec === 'object' ? { ...spec, offset } : spec;
    offset += bytes;
    return entry;
  });
}

/** Checks tf.io artifacts as a latentkit checkpoint (manifest, tiling, hash, config) and decodes the weights. */
export function checkpointFromArtifacts<C = unknown>(
  artifacts: tf.io.ModelArtifacts,
  source: string,
  options: Omit<LoadCheckpointOptions, 'within'> = {},
  weightsLabel = `${source} (weights)`,
): CheckpointData<C> {
  const metadata = checkpointMetadata<C>(source, artifacts.userDefinedMetadata);
  const rawSpecs = (artifacts.weightSpecs ?? []) as unknown[];
  const quantized = rawSpecs.find((s) => (s as { quantization?: unknown } | null)?.quantization !== undefined);
  if (quantized) throw checkpointError(source, `weight "${(quantized as { name?: string }).name}" is quantized; latentkit checkpoints hold float32 and int32`);
  const bin = new Uint8Array(joinWeightData(artifacts.weightData));
  const specs = validateManifest(source, withOffsets(rawSpecs), weightsLabel, bin.byteLength, options.checkEntry);
  checkHash(source, weightsLabel, metadata.sha256, bin);
  return { config: metadata.config, weights: decodeWeights(bin, specs) };
}

function checkHash(manifestFile: string, binFile: string, expected: unknown, bin: Uint8Array): void {
  if (expected === undefined) return;
  if (typeof expected !== 'string' || !/^[0-9a-f]{64}$/.test(expected))
    throw checkpointError(manifestFile, `"sha256" must be 64 hex digits, got ${JSON.stringify(expected)}`);
  const actual = sha256(bin);
  if (actual !== expected)
    throw checkpointError(binFile, `SHA-256 ${actual} does not match ${expected} recorded in ${manifestFile}; the file was changed or corrupted`);
}

function decodeWeights(bin: Uint8Array, specs: readonly WeightSpec[]): Record<string, tf.Tensor> {
  const weights: Record<string, tf.Tensor> = {};
  for (const spec of specs) {
    const end = spec.offset + spec.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[spec.dtype];
    const copy = bin.buffer.slice(bin.byteOffset + spec.offset, bin.byteOffset + end);
    const values = spec.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    weights[spec.name] = tf.tensor(values, [...spec.shape], spec.dtype);
  }
  return weights;
}

function checkpointError(file: string, message: string, details: Record<string, unknown> = {}): LatentkitError {
  return new LatentkitError('CHECKPOINT_ERROR', `${file}: ${message}`, { file, ...details });
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The real path of `file`, refusing anything but a regular file and symlinks that lead outside `within`. */
function safeFile(file: string, within: string): string {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    throw checkpointError(
      file,
      'missing; a checkpoint folder holds model.json and weights.bin (or, written before tf.io, config.json, weights.json and weights.bin)',
    );
  }
  if (!isInside(real, within)) throw checkpointError(file, `is a symlink to ${real}, outside ${within}; refusing to read it`, { target: real });
  if (!fs.statSync(real).isFile()) throw checkpointError(file, 'is not a regular file');
  return real;
}

function readJson(file: string, within: string): unknown {
  const text = fs.readFileSync(safeFile(file, within), 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw checkpointError(file, `not valid JSON (${(e as Error).message})`);
  }
}

function locate(dir: string, within: string | undefined): { root: string; within: string } {
  const root = resolveCheckpointDir(dir) ?? readableDir(dir);
  if (!root) throw new LatentkitError('FILE_NOT_FOUND', `checkpoint folder ${dir} does not exist`, { file: dir });
  const realRoot = fs.realpathSync(root);
  const fence = within === undefined ? realRoot : fs.realpathSync(within);
  if (!isInside(realRoot, fence)) throw checkpointError(root, `resolves to ${realRoot}, outside ${fence}; refusing to read it`, { target: realRoot });
  return { root, within: fence };
}

function checkFormat(file: string, doc: { format?: unknown } | undefined): void {
  if (doc?.format !== LEGACY_CHECKPOINT_FORMAT) throw checkpointError(file, `expected format ${LEGACY_CHECKPOINT_FORMAT}, got ${JSON.stringify(doc?.format)}`);
}

/** The model.json of a tf.io checkpoint folder, or undefined for a folder in the legacy layout. */
function readModelJson(root: string, within: string): { file: string; doc: ModelJsonFile } | undefined {
  const file = path.join(root, MODEL_JSON);
  if (!fs.existsSync(file)) return undefined;
  return { file, doc: parseModelJson(file, fs.readFileSync(safeFile(file, within), 'utf8')) };
}

/** Reads only the `config.json` of a checkpoint (with the `.old` fallback), e.g. to build the model its weights need. */
export function readCheckpointConfig<C = unknown>(dir: string, options: Pick<LoadCheckpointOptions, 'within'> = {}): C {
  const { root, within } = locate(dir, options.within);
  const modelJson = readModelJson(root, within);
  if (modelJson) return checkpointMetadata<C>(modelJson.file, modelJson.doc.userDefinedMetadata).config;
  const file = path.join(root, 'config.json');
  const doc = readJson(file, within) as { format?: string; config?: C };
  checkFormat(file, doc);
  return doc.config as C;
}

function describeEntry(spec: unknown, index: number): string {
  const name = (spec as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? `entry ${index} ("${name}")` : `entry ${index}`;
}

/**
 * Validates the manifest against the weights file: each entry well formed (a unique non-empty name, a known dtype,
 * a shape of positive integers, a non-negative integer offset), and the entries' byte ranges inside the file, not
 * overlapping and covering it exactly. Returns the entries sorted by offset.
 */
export function validateManifest(
  manifestFile: string,
  entries: unknown,
  binFile: string,
  binBytes: number,
  checkEntry?: LoadCheckpointOptions['checkEntry'],
): WeightSpec[] {
  if (!Array.isArray(entries)) throw checkpointError(manifestFile, `"weights" must be a list of entries, got ${JSON.stringify(entries) ?? typeof entries}`);
  const seen = new Set<string>();
  const specs: (WeightSpec & { end: number; index: number })[] = [];
  entries.forEach((raw: unknown, index) => {
    const where = describeEntry(raw, index);
    const bad = (what: string) => checkpointError(manifestFile, `${where}: ${what}`, { entry: index });
    if (raw === null || typeof raw !== 'object') throw bad(`expected an object, got ${JSON.stringify(raw)}`);
    const spec = raw as Partial<Record<keyof WeightSpec, unknown>>;
    if (typeof spec.name !== 'string' || spec.name === '') throw bad(`"name" must be a non-empty string, got ${JSON.stringify(spec.name)}`);
    if (seen.has(spec.name)) throw bad('the name appears twice');
    seen.add(spec.name);
    if (typeof spec.dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, spec.dtype))
      throw bad(`"dtype" must be "float32" or "int32", got ${JSON.stringify(spec.dtype)}`);
    const shape = spec.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d > 0)) {
      throw bad(`"shape" must be a list of positive integers, got ${JSON.stringify(shape)}`);
    }
    if (!Number.isSafeInteger(spec.offset) || (spec.offset as number) < 0)
      throw bad(`"offset" must be a non-negative integer, got ${JSON.stringify(spec.offset)}`);
    const offset = spec.offset as number;
    const bytes = (shape as number[]).reduce((a, b) => a * b, 1) * DTYPE_BYTES[spec.dtype as WeightSpec['dtype']];
    const end = offset + bytes;
    if (!Number.isSafeInteger(end) || end > binBytes) {
      throw checkpointError(binFile, `truncated; weight "${spec.name}" (${where} of ${manifestFile}) needs bytes ${offset}..${end}, file has ${binBytes}`, {
        entry: index,
      });
    }
    const valid = { name: spec.name, dtype: spec.dtype as WeightSpec['dtype'], shape: shape as number[], offset };
    const problem = checkEntry?.(valid);
    if (problem !== undefined) throw bad(problem);
    specs.push({ ...valid, end, index });
  });
  specs.sort((a, b) => a.offset - b.offset || a.index - b.index);
  let at = 0;
  for (const spec of specs) {
    if (spec.offset < at) {
      const other = specs.find((s) => s !== spec && s.offset < spec.end && spec.offset < s.end);
      throw checkpointError(manifestFile, `${describeEntry(spec, spec.index)}: bytes ${spec.offset}..${spec.end} overlap weight "${other?.name}"`, {
        entry: spec.index,
      });
    }
    if (spec.offset > at)
      throw checkpointError(manifestFile, `${describeEntry(spec, spec.index)}: starts at byte ${spec.offset}, but the previous weight ends at ${at} (a gap)`, {
        entry: spec.index,
      });
    at = spec.end;
  }
  if (at !== binBytes)
    throw checkpointError(binFile, `${binBytes} bytes, but the entries of ${manifestFile} cover ${at}; the file does not belong to this manifest`);
  return specs.map(({ name, dtype, shape, offset }) => ({ name, dtype, shape, offset }));
}

/**
 * Reads a checkpoint folder written by `saveCheckpoint` (falling back to `dir.old`, see `resolveCheckpointDir`), or
 * one in the legacy layout. The caller owns (and disposes) the returned tensors. Throws CHECKPOINT_ERROR naming the
 * file and the entry for anything malformed; legacy folders written before hashes were recorded load unchecked.
 */
export function loadCheckpoint<C = unknown>(dir: string, options: LoadCheckpointOptions = {}): CheckpointData<C> {
  const { root, within } = locate(dir, options.within);
  const modelJson = readModelJson(root, within);
  if (modelJson) {
    const { file, doc } = modelJson;
    const files = manifestFiles(root, file, doc.weightsManifest).map((f) => safeFile(f, within));
    const bin = Buffer.concat(files.map((f) => fs.readFileSync(f)));
    const artifacts: tf.io.ModelArtifacts = {
      weightSpecs: doc.weightsManifest.flatMap((g) => g.weights),
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer,
      ...(doc.userDefinedMetadata !== undefined && { userDefinedMetadata: doc.userDefinedMetadata as Record<string, object> }),
    };
    return checkpointFromArtifacts<C>(artifacts, file, options, files.join(', '));
  }
  const configFile = path.join(root, 'config.json');
  const manifestFile = path.join(root, 'weights.json');
  const binFile = path.join(root, 'weights.bin');
  const configDoc = readJson(configFile, within) as { format?: string; config?: C };
  checkFormat(configFile, configDoc);
  const manifest = readJson(manifestFile, within) as { format?: string; sha256?: unknown; weights?: unknown } | null;
  checkFormat(manifestFile, manifest ?? undefined);
  const bin = fs.readFileSync(safeFile(binFile, within));
  const specs = validateManifest(manifestFile, manifest?.weights, binFile, bin.byteLength, options.checkEntry);
  checkHash(manifestFile, binFile, manifest?.sha256, bin);
  return { config: configDoc.config as C, weights: decodeWeights(bin, specs) };
}
