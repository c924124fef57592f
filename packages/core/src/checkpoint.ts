/**
 * Checkpoints: a folder with `config.json` (any JSON: model config, trainer state, RNG state) and named weights in
 * `weights.bin` + `weights.json` (name, dtype, shape, byte offset, and the SHA-256 of `weights.bin`). Written
 * atomically as a whole folder.
 *
 * A checkpoint folder is untrusted input: a manifest that was edited, truncated or crafted must not read bytes from
 * outside `weights.bin` (a negative offset once returned process memory), nor load the wrong bytes silently. So every
 * entry is validated before a byte of weights is read, the entries must tile the file exactly, the file's hash must
 * match when the manifest records one, and no file may be a symlink out of the folder.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readableDir, writeDirAtomic, writeFileAtomic } from './atomic.js';
import { resolveCheckpointDir } from './checkpoint-dir.js';
import { LatentkitError } from './errors.js';
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

export const CHECKPOINT_FORMAT = 'latentkit-checkpoint@1';

const DTYPE_BYTES: Readonly<Record<WeightSpec['dtype'], number>> = { float32: 4, int32: 4 };

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes the checkpoint folder atomically; the tensors are read, not disposed. */
export async function saveCheckpoint<C>(dir: string, data: CheckpointData<C>): Promise<void> {
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(data.weights)) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
      throw new LatentkitError('CHECKPOINT_ERROR', `weight "${name}" has dtype ${tensor.dtype}; checkpoints hold float32 and int32`);
    }
    // What loadCheckpoint would refuse is refused here, where it is a bug in the caller rather than a bad file.
    if (name === '' || tensor.shape.some((d) => d === 0)) {
      throw new LatentkitError('CHECKPOINT_ERROR', `weight "${name}" of shape [${tensor.shape}]: checkpoints hold non-empty weights with non-empty names`);
    }
    const values = (await tensor.data()) as Float32Array | Int32Array;
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    specs.push({ name, dtype: tensor.dtype, shape: tensor.shape, offset });
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  const bin = Buffer.concat(chunks);
  const config = JSON.stringify({ format: CHECKPOINT_FORMAT, config: data.config }, null, 2);
  const manifest = JSON.stringify({ format: CHECKPOINT_FORMAT, sha256: sha256(bin), weights: specs }, null, 2);
  writeDirAtomic(dir, (tmp) => {
    writeFileAtomic(path.join(tmp, 'weights.bin'), bin);
    writeFileAtomic(path.join(tmp, 'weights.json'), manifest);
    writeFileAtomic(path.join(tmp, 'config.json'), config);
  });
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
    throw checkpointError(file, 'missing; a checkpoint folder holds config.json, weights.json and weights.bin');
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
  if (doc?.format !== CHECKPOINT_FORMAT) throw checkpointError(file, `expected format ${CHECKPOINT_FORMAT}, got ${JSON.stringify(doc?.format)}`);
}

/** Reads only the `config.json` of a checkpoint (with the `.old` fallback), e.g. to build the model its weights need. */
export function readCheckpointConfig<C = unknown>(dir: string, options: Pick<LoadCheckpointOptions, 'within'> = {}): C {
  const { root, within } = locate(dir, options.within);
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
 * Reads a checkpoint folder written by `saveCheckpoint` (falling back to `dir.old`, see `resolveCheckpointDir`).
 * The caller owns (and disposes) the returned tensors. Throws CHECKPOINT_ERROR naming the file and the entry for
 * anything malformed; folders written before hashes were recorded load without the hash check.
 */
export function loadCheckpoint<C = unknown>(dir: string, options: LoadCheckpointOptions = {}): CheckpointData<C> {
  const { root, within } = locate(dir, options.within);
  const configFile = path.join(root, 'config.json');
  const manifestFile = path.join(root, 'weights.json');
  const binFile = path.join(root, 'weights.bin');
  const configDoc = readJson(configFile, within) as { format?: string; config?: C };
  checkFormat(configFile, configDoc);
  const manifest = readJson(manifestFile, within) as { format?: string; sha256?: unknown; weights?: unknown } | null;
  checkFormat(manifestFile, manifest ?? undefined);
  const bin = fs.readFileSync(safeFile(binFile, within));
  const specs = validateManifest(manifestFile, manifest?.weights, binFile, bin.byteLength, options.checkEntry);
  const expected = manifest?.sha256;
  if (expected !== undefined) {
    if (typeof expected !== 'string' || !/^[0-9a-f]{64}$/.test(expected))
      throw checkpointError(manifestFile, `"sha256" must be 64 hex digits, got ${JSON.stringify(expected)}`);
    const actual = sha256(bin);
    if (actual !== expected)
      throw checkpointError(binFile, `SHA-256 ${actual} does not match ${expected} recorded in ${manifestFile}; the file was changed or corrupted`);
  }
  const weights: Record<string, tf.Tensor> = {};
  for (const spec of specs) {
    const end = spec.offset + spec.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[spec.dtype];
    const copy = bin.buffer.slice(bin.byteOffset + spec.offset, bin.byteOffset + end);
    const values = spec.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    weights[spec.name] = tf.tensor(values, [...spec.shape], spec.dtype);
  }
  return { config: configDoc.config as C, weights };
}
