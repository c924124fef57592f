/**
 * Checkpoints: a folder with `config.json` (any JSON: model config, trainer state, RNG state) and named weights in
 * `weights.bin` + `weights.json` (name, dtype, shape, byte offset). Written atomically as a whole folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readableDir, writeDirAtomic, writeFileAtomic } from './atomic.js';
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

export const CHECKPOINT_FORMAT = 'latentkit-checkpoint@1';

/** Writes the checkpoint folder atomically; the tensors are read, not disposed. */
export async function saveCheckpoint<C>(dir: string, data: CheckpointData<C>): Promise<void> {
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(data.weights)) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
      throw new LatentkitError('CHECKPOINT_ERROR', `weight "${name}" has dtype ${tensor.dtype}; checkpoints hold float32 and int32`);
    }
    const values = (await tensor.data()) as Float32Array | Int32Array;
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    specs.push({ name, dtype: tensor.dtype, shape: tensor.shape, offset });
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  const config = JSON.stringify({ format: CHECKPOINT_FORMAT, config: data.config }, null, 2);
  const manifest = JSON.stringify({ format: CHECKPOINT_FORMAT, weights: specs }, null, 2);
  writeDirAtomic(dir, (tmp) => {
    writeFileAtomic(path.join(tmp, 'weights.bin'), Buffer.concat(chunks));
    writeFileAtomic(path.join(tmp, 'weights.json'), manifest);
    writeFileAtomic(path.join(tmp, 'config.json'), config);
  });
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new LatentkitError('CHECKPOINT_ERROR', `${file}: missing; a checkpoint folder holds config.json, weights.json and weights.bin`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LatentkitError('CHECKPOINT_ERROR', `${file}: not valid JSON (${(e as Error).message})`, { file });
  }
}

/** Reads a checkpoint folder written by `saveCheckpoint`. The caller owns (and disposes) the returned tensors. */
export function loadCheckpoint<C = unknown>(dir: string): CheckpointData<C> {
  const root = readableDir(dir);
  if (!root) throw new LatentkitError('FILE_NOT_FOUND', `checkpoint folder ${dir} does not exist`, { file: dir });
  const configDoc = readJson(path.join(root, 'config.json')) as { format?: string; config?: C };
  const manifest = readJson(path.join(root, 'weights.json')) as { format?: string; weights?: WeightSpec[] };
  for (const [file, doc] of [['config.json', configDoc], ['weights.json', manifest]] as const) {
    if (doc?.format !== CHECKPOINT_FORMAT) {
      throw new LatentkitError('CHECKPOINT_ERROR', `${path.join(root, file)}: expected format ${CHECKPOINT_FORMAT}, got ${JSON.stringify(doc?.format)}`);
    }
  }
  const binFile = path.join(root, 'weights.bin');
  if (!fs.existsSync(binFile)) throw new LatentkitError('CHECKPOINT_ERROR', `${binFile}: missing`, { file: binFile });
  const bin = fs.readFileSync(binFile);
  const weights: Record<string, tf.Tensor> = {};
  for (const spec of manifest.weights ?? []) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const end = spec.offset + size * 4;
    if (end > bin.byteLength) {
      throw new LatentkitError('CHECKPOINT_ERROR', `${binFile}: truncated; weight "${spec.name}" needs bytes ${spec.offset}..${end}, file has ${bin.byteLength}`);
    }
    const copy = bin.buffer.slice(bin.byteOffset + spec.offset, bin.byteOffset + end);
    const values = spec.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    weights[spec.name] = tf.tensor(values, [...spec.shape], spec.dtype);
  }
  return { config: configDoc.config as C, weights };
}
