import { type Rng, tf } from '@latentkit/core';
import { expect } from 'vitest';

type Nested = number | Nested[];

function flatten(x: Nested): number[] {
  return Array.isArray(x) ? x.flatMap(flatten) : [x];
}

/** Element-wise |actual − expected| ≤ atol + rtol·|expected|, with the first offending index in the message. */
export function expectClose(actual: tf.Tensor | Nested, expected: tf.Tensor | Nested, atol = 1e-6, rtol = 0): void {
  const a = actual instanceof tf.Tensor ? Array.from(actual.dataSync()) : flatten(actual);
  const e = expected instanceof tf.Tensor ? Array.from(expected.dataSync()) : flatten(expected);
  expect(a.length).toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    const ok = Math.abs((a[i] as number) - (e[i] as number)) <= atol + rtol * Math.abs(e[i] as number);
    if (!ok) expect.fail(`element ${i}: got ${a[i]}, expected ${e[i]} (atol ${atol}, rtol ${rtol})`);
  }
}

/** Gradients of f with respect to each named tensor (held as variables for tf.variableGrads); null means unconnected. */
export function gradsOf(f: (vars: Record<string, tf.Variable>) => tf.Scalar, at: Record<string, tf.Tensor | tf.Variable>): Record<string, number[] | null> {
  const vars: Record<string, tf.Variable> = {};
  for (const [name, t] of Object.entries(at)) vars[name] = t instanceof tf.Variable ? t : tf.variable(t, true, `grad-test/${name}/${Math.random()}`);
  const { value, grads } = tf.variableGrads(() => f(vars), Object.values(vars));
  const out: Record<string, number[] | null> = {};
  for (const [name, v] of Object.entries(vars)) {
    const g = grads[v.name];
    out[name] = g ? Array.from(g.dataSync()) : null;
  }
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

/** A gradient that must be exactly zero: absent (unconnected) or all zeros. */
export function expectZeroGradient(g: number[] | null): void {
  if (g === null) return;
  expect(g.every((v) => v === 0)).toBe(true);
}

export function randomMatrix(rng: Rng, rows: number, cols: number, scale = 1): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * rng.normal()));
}

// Three codewords in the plane and four features whose nearest codewords are, by hand, 0, 1, 2, 1.
export const PLANE_CODEBOOK = [
  [0, 0],
  [1, 0],
  [0, 2],
];
export const PLANE_FEATURES = [
  [0.1, 0.2],
  [0.9, -0.1],
  [0.2, 1.5],
  [0.6, 0.1],
];
