import { expect } from 'vitest';
import { type BackendName, type Rng, initEngine, tf } from '../src/index.js';

/** Runs `fn` on `backend` inside a tidy and returns every output as a plain array (so backends can be compared). */
export async function on(backend: BackendName, fn: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await initEngine({ backend });
  const out = tf.tidy(() => {
    const r = fn();
    return Array.isArray(r) ? r : [r];
  });
  const values = out.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(out);
  return values;
}

export function randomArray(rng: Rng, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => rng.normal());
}

/** Largest |a − b| relative to the largest |b| (at least 1). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i] as number));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs((actual[i] as number) - (expected[i] as number));
    if (!(d <= worst)) worst = d; // NaN lands here and fails below
  }
  expect(worst / scale).toBeLessThanOrEqual(tolerance);
}

/**
 * Writes a checkpoint folder in the layout latentkit used before checkpoints went through tf.io: config.json,
 * weights.json (name, dtype, shape, byte offset; the SHA-256 of weights.bin) and weights.bin. Such folders must keep
 * loading, and this is how the tests make them (the writer itself is gone from src).
 */
export async function saveLegacyCheckpoint(dir: string, data: { config: unknown; weights: Record<string, tf.Tensor> }): Promise<void> {
  const { createHash } = await import('node:crypto');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const specs: { name: string; dtype: string; shape: number[]; offset: number }[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(data.weights)) {
    const values = (await tensor.data()) as Float32Array | Int32Array;
    chunks.push(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    specs.push({ name, dtype: tensor.dtype, shape: tensor.shape, offset });
    offset += values.byteLength;
  }
  const bin = Buffer.concat(chunks);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'weights.bin'), bin);
  const sha256 = createHash('sha256').update(bin).digest('hex');
  fs.writeFileSync(path.join(dir, 'weights.json'), JSON.stringify({ format: 'latentkit-checkpoint@1', sha256, weights: specs }, null, 2));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ format: 'latentkit-checkpoint@1', config: data.config }, null, 2));
}
