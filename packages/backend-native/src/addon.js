/**
 * The package's own compiled kernels (native/*.cc): element-wise ops, a fused Adam step, convolution patches
 * (im2col / col2im) and matrix products on a system BLAS when one is installed, vectorised (AVX-512 or AVX2 where the CPU has them) and split over a thread pool. node-gyp builds them at install time (scripts/build-addon.mjs); where
 * that failed (no compiler), the backend works without them, on wasm's kernels, and `addonStatus()` says why.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
/** The order of `enum class Binary` and `enum class Unary` in native/kernels.h. */
export const BINARY_OPS = ['Add', 'Sub', 'Multiply', 'RealDiv', 'Maximum', 'Minimum', 'SquaredDifference'];
/** `Binary::First`, which copies its left operand: `binary` with it broadcasts a tensor (Tile's common case). */
export const BINARY_FIRST = BINARY_OPS.length;
export const UNARY_OPS = ['Neg', 'Exp', 'Sqrt', 'Rsqrt', 'Square', 'Tanh', 'Sigmoid', 'Relu', 'Abs', 'Reciprocal'];
export const ADDON_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build', 'Release', 'latentkit_native.node');
let loaded;
function load() {
    if (loaded)
        return loaded;
    try {
        const addon = createRequire(import.meta.url)(ADDON_PATH);
        loaded = { addon };
    }
    catch (e) {
        const reason = e.code === 'MODULE_NOT_FOUND'
            ? 'not built (run `pnpm --filter @latentkit/backend-native build:addon`)'
            : e.message.split('\n')[0];
        loaded = { error: `${ADDON_PATH}: ${reason}` };
    }
    return loaded;
}
/** The compiled kernels, or undefined when they are not built or do not load here. */
export function nativeAddon() {
    return process.env.LATENTKIT_NATIVE_ADDON === '0' ? undefined : load().addon;
}
export function addonStatus() {
    if (process.env.LATENTKIT_NATIVE_ADDON === '0')
        return { loaded: false, reason: 'LATENTKIT_NATIVE_ADDON=0' };
    const { addon, error } = load();
    if (!addon)
        return { loaded: false, reason: error };
    const blas = addon.blasName();
    return { loaded: true, instructionSet: addon.instructionSet(), threads: addon.threads(), ...(blas ? { blas } : { blasReason: addon.blasError() }) };
}
//# sourceMappingURL=addon.js.map