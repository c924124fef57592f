import { UNARY_OPS, nativeAddon } from '../addon.js';
import { heapOffset } from '../wasm-memory.js';
let hasBlas;
/** The addon, when it loaded and found a BLAS (LATENTKIT_BLAS=none turns the BLAS off, also after loading). */
export function blasAddon() {
    const addon = nativeAddon();
    if (!addon || process.env.LATENTKIT_BLAS === 'none')
        return undefined;
    // The library is chosen once per process, when the addon first looks for it.
    hasBlas ??= addon.blasName() !== '';
    return hasBlas ? addon : undefined;
}
const IN_PLACE = {
    linear: -1,
    relu: UNARY_OPS.indexOf('Relu'),
    sigmoid: UNARY_OPS.indexOf('Sigmoid'),
};
/** One [m, k] · [k, n] product. */
export const singleProduct = (m, n, k) => ({ m, n, k, batch: 1, aMatrices: 1, bMatrices: 1 });
/**
 * Writes `activation(op(a) · op(b) + bias)` into `out` (already allocated, [batch, m, n]); false when the operands
 * do not fit the addon's loop. Offsets are taken here, after the caller's last allocation.
 */
export function blasProduct(addon, backend, shapes, p, out) {
    const { m, n, k, batch } = shapes;
    const stride = (matrices, size) => (matrices === 1 ? 0 : matrices === batch ? size : undefined);
    const aStride = stride(shapes.aMatrices, m * k);
    const bStride = stride(shapes.bMatrices, k * n);
    const activation = IN_PLACE[p.activation ?? 'linear'];
    const bias = p.bias ? biasStrides(p.bias.shape, m, n) : undefined;
    if (aStride === undefined || bStride === undefined || activation === undefined || (p.bias && !bias))
        return false;
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
    ];
    if (p.bias && bias)
        addon.gemm(...args, heapOffset(backend, p.bias), ...bias);
    else
        addon.gemm(...args);
    if (activation >= 0)
        addon.unary(activation, heap, heapOffset(backend, out), heapOffset(backend, out), batch * m * n);
    return true;
}
/** The bias's (row, column) strides over an [m, n] product, or undefined when it varies along the batch. */
function biasStrides(shape, m, n) {
    const dims = [...shape];
    while (dims.length > 2 && dims[0] === 1)
        dims.shift();
    if (dims.length > 2)
        return undefined;
    const [rows, columns] = dims.length === 2 ? dims : [1, dims[0] ?? 1];
    if ((rows !== 1 && rows !== m) || (columns !== 1 && columns !== n))
        return undefined;
    return [rows === m && m > 1 ? columns : 0, columns === n && n > 1 ? 1 : 0];
}
//# sourceMappingURL=blas-matmul.js.map