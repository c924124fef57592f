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
