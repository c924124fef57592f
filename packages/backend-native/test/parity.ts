/**
 * Runs the same computation on the native backend and on tfjs's cpu backend (the reference) from the same input
 * values and compares the results elementwise.
 */
import { tf } from '@latentkit/core';
import { expect } from 'vitest';
import { NATIVE_BACKEND } from '../src/index.js';

export interface Input {
  readonly shape: number[];
  readonly values: Float32Array;
}

/** Deterministic pseudo-random values in [-1, 1): the same on every run and every backend. */
export function input(shape: number[], seed: number): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    values[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return { shape, values };
}

async function evaluate(backend: string, inputs: readonly Input[], f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const xs = inputs.map((x) => tf.tensor(x.values, x.shape));
  const out = f(...xs);
  const outs = Array.isArray(out) ? out : [out];
  const values = await Promise.all(outs.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose([...xs, ...outs]);
  return values;
}

/** Asserts |native − cpu| ≤ tol · (1 + |cpu|) for every element of every output. */
export async function expectParity(inputs: readonly Input[], f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[], tol = 1e-4): Promise<void> {
  const native = await evaluate(NATIVE_BACKEND, inputs, f);
  const reference = await evaluate('cpu', inputs, f);
  await tf.setBackend(NATIVE_BACKEND);
  expect(native.length).toBe(reference.length);
  native.forEach((got, k) => {
    const want = reference[k] as Float32Array;
    expect(got.length).toBe(want.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++) {
      const err = Math.abs((got[i] as number) - (want[i] as number)) / (1 + Math.abs(want[i] as number));
      if (!(err <= worst)) worst = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err;
    }
    expect(worst, `output ${k}: worst relative error`).toBeLessThanOrEqual(tol);
  });
}
