/**
 * The package's own compiled kernels (native/*.cc): element-wise ops, a fused Adam step, convolution patches
 * (im2col / col2im) and matrix products on a system BLAS when one is installed, vectorised (AVX-512 or AVX2 where the CPU has them) and split over a thread pool. node-gyp builds them at install time (scripts/build-addon.mjs); where
 * that failed (no compiler), the backend works without them, on wasm's kernels, and `addonStatus()` says why.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NativeAddon {
  /** out[i, j] = a[i·aOuter + j·aInner] ∘ b[i·bOuter + j·bInner] over an [outer, inner] output; offsets in bytes. */
  binary(
    op: number,
    heap: ArrayBufferLike,
    a: number,
    aOuter: number,
    aInner: number,
    b: number,
    bOuter: number,
    bInner: number,
    out: number,
    outer: number,
    inner: number,
  ): void;
  unary(op: number, heap: ArrayBufferLike, x: number, out: number, n: number): void;
  /** out[o, i] = op over k of x[o, k, i] (op: 0 Sum, 1 Mean, 2 Max, 3 Min); offsets in bytes. */
  reduce(op: number, heap: ArrayBufferLike, x: number, outer: number, r: number, inner: number, out: number): void;
  /** One LSTM step's element-wise part (core's LSTM_CELL): gate 0 sigmoid, 1 hard sigmoid; z, gates [batch, 4·units]. */
  lstmCell(heap: ArrayBufferLike, gate: number, z: number, cPrev: number, h: number, c: number, gates: number, batch: number, units: number): void;
  /** Its gradient (core's LSTM_CELL_GRAD): dz [batch, 4·units] and dcPrev from dh, dc and the saved gates and states. */
  lstmCellGrad(
    heap: ArrayBufferLike,
    gate: number,
    dh: number,
    dc: number,
    gates: number,
    cPrev: number,
    c: number,
    dz: number,
    dcPrev: number,
    batch: number,
    units: number,
  ): void;
  /** One Adam step for many variables: `tensors` holds, per variable, the offsets of p, g, m, v, pOut, mOut, vOut and its size. */
  adam(heap: ArrayBufferLike, tensors: Float64Array, lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number): void;
  /** Convolution patches of NHWC `x` into `cols` ([rows, H·W·I]); `geometry` as `convGeometry` lists it. */
  im2col(heap: ArrayBufferLike, x: number, cols: number, ...geometry: number[]): void;
  /** The adjoint of im2col: sums patch rows back into the NHWC image gradient `dx` (overwritten). */
  col2im(heap: ArrayBufferLike, cols: number, dx: number, ...geometry: number[]): void;
  /**
   * out[o, k, :] = x[o, indices[k], :] over x [outer, rows, inner] (4-byte elements, int32 indices); false, writing
   * nothing, when an index is outside [0, rows).
   */
  gather(heap: ArrayBufferLike, x: number, outer: number, rows: number, inner: number, indices: number, count: number, out: number): boolean;
  /** out[s, :] = Σ data[i, :] over the i with ids[i] = s (data [n, inner], int32 ids; ids outside [0, segments) dropped). */
  segmentSum(heap: ArrayBufferLike, data: number, ids: number, n: number, inner: number, segments: number, out: number): void;
  /**
   * out[i] = op(a[i]) · op(b[i]) (+ bias) on the system BLAS, for `batch` row-major products; batch strides in
   * elements (0 broadcasts); the bias is read at bias[row · biasOuter + column · biasInner]. Throws without a BLAS.
   */
  gemm(
    heap: ArrayBufferLike,
    a: number,
    b: number,
    out: number,
    batch: number,
    m: number,
    n: number,
    k: number,
    transA: number,
    transB: number,
    aStride: number,
    bStride: number,
    bias?: number,
    biasOuter?: number,
    biasInner?: number,
  ): void;
  /** The BLAS library gemm runs on, or "" when none was found. */
  blasName(): string;
  /** Why no BLAS was found ("" when one was). */
  blasError(): string;
  /** Threads for the addon's pool (which also splits BLAS products). */
  setThreads(n: number): void;
  threads(): number;
  /** `avx512`, `avx2` or `generic`: the loops in use (the widest the CPU has). */
  instructionSet(): string;
  /** Switches to a narrower variant the CPU also runs (tests cover every variant this way); false if it has none. */
  useInstructionSet(name: 'avx512' | 'avx2' | 'generic'): boolean;
}

/** The order of `enum class Binary` and `enum class Unary` in native/kernels.h. */
export const BINARY_OPS = ['Add', 'Sub', 'Multiply', 'RealDiv', 'Maximum', 'Minimum', 'SquaredDifference'] as const;
/** `Binary::First`, which copies its left operand: `binary` with it broadcasts a tensor (Tile's common case). */
export const BINARY_FIRST = BINARY_OPS.length;
export const UNARY_OPS = ['Neg', 'Exp', 'Sqrt', 'Rsqrt', 'Square', 'Tanh', 'Sigmoid', 'Relu', 'Abs', 'Reciprocal'] as const;

export const ADDON_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build', 'Release', 'latentkit_native.node');

let loaded: { addon?: NativeAddon; error?: string } | undefined;

function load(): { addon?: NativeAddon; error?: string } {
  if (loaded) return loaded;
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
    loaded = { addon };
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND'
        ? 'not built (run `pnpm --filter @latentkit/backend-native build:addon`)'
        : (e as Error).message.split('\n')[0];
    loaded = { error: `${ADDON_PATH}: ${reason}` };
  }
  return loaded;
}

/** The compiled kernels, or undefined when they are not built or do not load here. */
export function nativeAddon(): NativeAddon | undefined {
  return process.env.LATENTKIT_NATIVE_ADDON === '0' ? undefined : load().addon;
}

/** Whether the compiled kernels are in use, and if not, why. */
export interface AddonStatus {
  readonly loaded: boolean;
  readonly instructionSet?: string;
  readonly threads?: number;
  /** The BLAS matrix products run on, or why there is none (they then run on onnxruntime's MLAS). */
  readonly blas?: string;
  readonly blasReason?: string;
  readonly reason?: string;
}

export function addonStatus(): AddonStatus {
  if (process.env.LATENTKIT_NATIVE_ADDON === '0') return { loaded: false, reason: 'LATENTKIT_NATIVE_ADDON=0' };
  const { addon, error } = load();
  if (!addon) return { loaded: false, reason: error };
  const blas = addon.blasName();
  return { loaded: true, instructionSet: addon.instructionSet(), threads: addon.threads(), ...(blas ? { blas } : { blasReason: addon.blasError() }) };
}
