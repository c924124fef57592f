const size = (shape) => shape.reduce((a, b) => a * b, 1);
/** Where a tensor's bytes start in the wasm heap (what the compiled kernels take instead of a view). */
export function heapOffset(backend, t) {
    const entry = backend.dataIdMap.get(t.dataId);
    if (!entry)
        throw new Error(`tensor ${JSON.stringify(t.shape)} is not in the native backend's memory`);
    return entry.memoryOffset;
}
/**
 * A float32 view of a tensor's bytes. Take views only after the last `makeOutput` of a kernel: allocating may grow
 * the heap, which detaches earlier views.
 */
export function heapView(backend, t) {
    const entry = backend.dataIdMap.get(t.dataId);
    if (!entry)
        throw new Error(`tensor ${JSON.stringify(t.shape)} is not in the native backend's memory`);
    return new Float32Array(backend.wasm.HEAPU8.buffer, entry.memoryOffset, size(t.shape));
}
//# sourceMappingURL=wasm-memory.js.map