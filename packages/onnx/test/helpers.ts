/** Test helpers: run a serialised graph in onnxruntime-node, check it with Debian's python3-onnx, compare arrays. */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tf } from '@latentkit/core/layers';
import * as ort from 'onnxruntime-node';

export { maxAbsDiff } from '../src/parity.js';

export type Feed = Float32Array | BigInt64Array | Int32Array;

export async function runOnnx(bytes: Uint8Array, feeds: Record<string, { data: Feed; dims: number[] }>): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, f] of Object.entries(feeds))
      inputs[name] = new ort.Tensor(f.data instanceof BigInt64Array ? 'int64' : f.data instanceof Int32Array ? 'int32' : 'float32', f.data, f.dims);
    const out = await session.run(inputs);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
  } finally {
    await session.release();
  }
}

/** Random values in every weight of `layer` (tfjs initialises biases to zero, which would hide a wrong bias layout). */
export function randomizeWeights(layer: tf.layers.Layer, seed: number): void {
  layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.5, 'float32', seed + i)));
}

const DEBIAN_PYTHON = '/usr/bin/python3';

/** Why the independent checker cannot run here (and says so on the console), or undefined when it can. */
export function checkerUnavailable(): string | undefined {
  const why = !fs.existsSync(DEBIAN_PYTHON)
    ? `${DEBIAN_PYTHON} is missing`
    : spawnSync(DEBIAN_PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0
      ? undefined
      : `${DEBIAN_PYTHON} cannot import onnx (install python3-onnx)`;
  if (why) console.warn(`skipping onnx.checker.check_model(full_check=True): ${why}`);
  return why;
}

const CHECK_SCRIPT = 'import onnx, sys\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)';

/** Runs onnx.checker.check_model(full_check=True) on each model (one Python process); throws with the checker's message. */
export function onnxCheck(...models: Uint8Array[]): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-onnx-'));
  const files = models.map((bytes, i) => {
    const file = path.join(dir, `model${i}.onnx`);
    fs.writeFileSync(file, bytes);
    return file;
  });
  try {
    execFileSync(DEBIAN_PYTHON, ['-c', CHECK_SCRIPT, ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`onnx.checker rejected the model: ${(e as { stderr?: string }).stderr ?? e}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
