/** Argument checks shared by the distributions: shape and dtype errors become LatentkitErrors that name the argument. */
import { type Tensor, check, invalidArgument } from '@latentkit/core';

/** A float32 tensor of shape [b, d] with b, d ≥ 1 (and d ≥ minDim). */
export function checkBatchMatrix(t: unknown, name: string, minDim = 1): asserts t is Tensor {
  check(isTensor(t), name, 'a tf.Tensor', typeof t);
  const tensor = t as Tensor;
  check(tensor.rank === 2, name, 'a 2-D tensor [batch, dim]', tensor.shape);
  check(tensor.dtype === 'float32', name, 'a float32 tensor', tensor.dtype);
  const [b, d] = tensor.shape as [number, number];
  check(b >= 1 && d >= minDim, name, `shape [batch ≥ 1, dim ≥ ${minDim}]`, tensor.shape);
}

/** z for logProb: [b, d] or [n, b, d], with b = batchSize when given (a prior takes any b). */
export function checkPoints(z: unknown, dim: number, batchSize?: number): asserts z is Tensor {
  check(isTensor(z), 'z', 'a tf.Tensor', typeof z);
  const t = z as Tensor;
  const b = batchSize ?? 'b';
  const expected = `a tensor of shape [${b}, ${dim}] or [n, ${b}, ${dim}]`;
  if (t.rank !== 2 && t.rank !== 3) throw invalidArgument('z', expected, t.shape);
  const [zb, zd] = t.shape.slice(-2) as [number, number];
  check(zd === dim && (batchSize === undefined || zb === batchSize), 'z', expected, t.shape);
}

export function checkSampleCount(n: unknown, name = 'n'): asserts n is number {
  check(Number.isInteger(n) && (n as number) >= 1, name, 'a positive integer', n);
}

/** Duck-typed, so tensors from another copy of tfjs-core are recognised too. */
export function isTensor(t: unknown): t is Tensor {
  return typeof t === 'object' && t !== null && 'shape' in t && 'dtype' in t && 'dataSync' in t;
}
