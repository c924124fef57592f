/**
 * Matrix products as onnxruntime graphs: `Gemm` when both operands are plain matrices (MLAS's packed GEMM, threaded),
 * onnxruntime's `FusedMatMul` (MatMul with transpose flags) when there are batch dimensions.
 */
import { tf } from '@latentkit/core';
import { float, int, ints } from '../onnx-graph.js';
const prod = (dims) => dims.reduce((x, y) => x * y, 1);
export function matMulShapes(a, b, transposeA, transposeB) {
    const ra = a.length;
    const rb = b.length;
    const m = (transposeA ? a[ra - 1] : a[ra - 2]);
    const k = (transposeA ? a[ra - 2] : a[ra - 1]);
    const n = (transposeB ? b[rb - 2] : b[rb - 1]);
    const batch = tf.broadcast_util.assertAndGetBroadcastShape(a.slice(0, -2), b.slice(0, -2));
    const aMatrices = prod(a.slice(0, -2));
    const bMatrices = prod(b.slice(0, -2));
    const plain = aMatrices === 1 && bMatrices === 1;
    return {
        outShape: [...batch, m, n],
        m,
        n,
        k,
        batch: prod(batch),
        aMatrices,
        bMatrices,
        macs: prod(batch) * m * n * k,
        plain,
        aDims: plain ? a.slice(-2) : [...a],
        bDims: plain ? b.slice(-2) : [...b],
    };
}
/**
 * Nodes computing `product` from graph inputs `a` and `b`. For a plain product with transposeA, `a` is transposed
 * by its own node first: MLAS's Gemm with transA=1 ran the per-step LSTM weight gradient (hᵀ · dgates, [32, 512]ᵀ
 * · [32, 2048]) at half the speed of a transpose plus a plain Gemm.
 */
export function matMulNodes(plain, transposeA, transposeB, product) {
    const attrs = { transA: int(transposeA ? 1 : 0), transB: int(transposeB ? 1 : 0) };
    if (plain && transposeA) {
        return [
            { op: 'Transpose', inputs: ['a'], outputs: ['aT'], attrs: { perm: ints([1, 0]) } },
            { op: 'Gemm', inputs: ['aT', 'b'], outputs: [product], attrs: { transB: attrs.transB } },
        ];
    }
    if (plain)
        return [{ op: 'Gemm', inputs: ['a', 'b'], outputs: [product], attrs }];
    return [{ op: 'FusedMatMul', domain: 'com.microsoft', inputs: ['a', 'b'], outputs: [product], attrs: { ...attrs, alpha: float(1) } }];
}
//# sourceMappingURL=matmul-graph.js.map