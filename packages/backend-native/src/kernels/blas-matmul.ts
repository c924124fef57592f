/**
 * Matrix products on the system BLAS the addon opened (OpenBLAS where installed; native/blas.cc), with the bias
 * written into the output first so the product accumulates onto it, and relu or sigmoid applied in place. OpenBLAS
 * ran the LSTM-VAE's per-step products ([32, 512] · [512, 2048]) in 0.55 ms where onnxruntime's MLAS took 1.3.
 * `blasProduct` returns false when it cannot take the product (batch dimensions that broadcast partially, a bias
 * that varies along the batch, an activation it has no loop for), and the caller then uses its onnxruntime graph.
 */
import type { tf } from '@latentkit/core';
import { type NativeAddon, UNARY_OPS, nativeAddon } from '../addon.js';
import { type WasmBackend, heapOffset } from '../wasm-memory.js';
import type { FusedActivation } from './activation.js';
import type { MatMulShapes } from './matmul-graph.js';

let hasBlas: boolean | undefined;

/** The addon, when it loaded and found a BLAS (LATENTKIT_BLAS=none turns the BLAS off, also after loading). */
export function blasAddon(): NativeAddon | undefined {
  const addon = nativeAddon();
  if (!addon || process.env.LATENTKIT_BLAS === 'none') return undefined;
  // The library is chosen once per process, when the addon first looks for it.
  hasBlas ??= addon.blasName() !== '';
  return hasBlas ? addon : undefined;
}

const IN_PLACE: Partial<Record<FusedActivation, number>> = {
  linear: -1,
  relu: UNARY_OPS.indexOf('Relu'),
  sigmoid: UNARY_OPS.indexOf('Sigmoid'),
};

export type ProductShape = Pick<MatMulShapes, 'm' | 'n' | 'k' | 'batch' | 'aMatrices' | 'bMatrices'>;

/** One [m, k] · [k, n] product. */
export const singleProduct = (m: number, n: number, k: number): ProductShape => ({ m, n, k, batch: 1, aMatrices: 1, bMatrices: 1 });

export interface Product {
  readonly a: tf.TensorInfo;
  readonly b: tf.TensorInfo;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly bias?: tf.TensorInfo;
  readonly activation?: FusedActivation;
}

/**
 * Writes `activation(op(a) · op(b) + bias)` into `out` (already allocated, [batch, m, n]); false when the operands
 * do not fit the addon's loop. Offsets are taken here, after the caller's last allocation.
 */
export function blasProduct(addon: NativeAddon, backend: WasmBackend, shapes: ProductShape, p: Product, out: tf.TensorInfo): boolean {
  const { m, n, k, batch } = shapes;
  const stride = (matrices: number, size: number) => (matrices === 1 ? 0 : matrices === batch ? size : undefined);
  const aStride = stride(shapes.aMatrices, m * k);
  const bStride = stride(shapes.bMatrices, k * n);
  const activation = IN_PLACE[p.activation ?? 'linear'];
  const bias = p.bias ? biasStrides(p.bias.shape, m, n) : undefined;
  if (aStride === undefined || bStride === undefined || activation === undefined || (p.bias && !bias)) return false;
  const heap = backend.wasm.HEAPU8.buffer;
  const args = [
    heap,
    heapOffset(backend, p.a),
    heapOffset(backend, p.b),
    heapOffset(backend, out),
    batch,
    m,
    n,
    k,
    p.transposeA ? 1 : 0,
    p.transposeB ? 1 : 0,
    aStride,
    bStride,
  ] as const;
  if (p.bias && bias) addon.gemm(...args, heapOffset(backend, p.bias), ...bias);
  else addon.gemm(...args);
  if (activation >= 0) addon.unary(activation, heap, heapOffset(backend, out), heapOffset(backend, out), batch * m * n);
  return true;
}

/** The bias's (row, column) strides over an [m, n] product, or undefined when it varies along the batch. */
function biasStrides(shape: readonly number[], m: number, n: number): [number, number] | undefined {
  const dims = [...shape];
  while (dims.length > 2 && dims[0] === 1) dims.shift();
  if (dims.length > 2) return undefined;
  const [rows, columns] = dims.length === 2 ? (dims as [number, number]) : [1, dims[0] ?? 1];
  if ((rows !== 1 && rows !== m) || (columns !== 1 && columns !== n)) return undefined;
  return [rows === m && m > 1 ? columns : 0, columns === n && n > 1 ? 1 : 0];
}
