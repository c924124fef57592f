/**
 * Matrix products as onnxruntime graphs: `Gemm` when both operands are plain matrices (MLAS's packed GEMM, threaded),
 * onnxruntime's `FusedMatMul` (MatMul with transpose flags) when there are batch dimensions.
 */
import { tf } from '@latentkit/core';
import { type GraphNode, float, int } from '../onnx-graph.js';

export interface MatMulShapes {
  readonly outShape: number[];
  /** Multiply-adds, to decide whether a session call pays. */
  readonly macs: number;
  /** True when neither operand has a batch dimension larger than one. */
  readonly plain: boolean;
  /** Shapes to hand onnxruntime: 2-D for Gemm, the tensors' own for FusedMatMul. */
  readonly aDims: number[];
  readonly bDims: number[];
}

const prod = (dims: readonly number[]): number => dims.reduce((x, y) => x * y, 1);

export function matMulShapes(a: readonly number[], b: readonly number[], transposeA: boolean, transposeB: boolean): MatMulShapes {
  const ra = a.length;
  const rb = b.length;
  const m = (transposeA ? a[ra - 1] : a[ra - 2]) as number;
  const k = (transposeA ? a[ra - 2] : a[ra - 1]) as number;
  const n = (transposeB ? b[rb - 2] : b[rb - 1]) as number;
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(a.slice(0, -2), b.slice(0, -2));
  const plain = prod(a.slice(0, -2)) === 1 && prod(b.slice(0, -2)) === 1;
  return {
    outShape: [...batch, m, n],
    macs: prod(batch) * m * n * k,
    plain,
    aDims: plain ? a.slice(-2) : [...a],
    bDims: plain ? b.slice(-2) : [...b],
  };
}

/** Nodes computing `product` from graph inputs `a` and `b`. */
export function matMulNodes(plain: boolean, transposeA: boolean, transposeB: boolean, product: string): GraphNode[] {
  const attrs = { transA: int(transposeA ? 1 : 0), transB: int(transposeB ? 1 : 0) };
  if (plain) return [{ op: 'Gemm', inputs: ['a', 'b'], outputs: [product], attrs }];
  return [{ op: 'FusedMatMul', domain: 'com.microsoft', inputs: ['a', 'b'], outputs: [product], attrs: { ...attrs, alpha: float(1) } }];
}
