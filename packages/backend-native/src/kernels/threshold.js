/**
 * Below this many multiply-adds a session call (~15 µs of fixed cost) loses to wasm's single-threaded SIMD kernel;
 * measured with bench/kernels.ts on a 2-core Sapphire Rapids VM.
 */
export const MIN_NATIVE_MACS = 1 << 17;
//# sourceMappingURL=threshold.js.map