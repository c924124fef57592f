/**
 * BatchMatMul and _FusedMatMul with transpose flags, as a transpose followed by the plain product.
 *
 * For a single (unbatched) product the wasm backend's matmul takes a much slower path when either flag is set
 * (3–30× on the shapes training uses, see bench/), and every matmul gradient sets one: dA = dy·Bᵀ, dB = Aᵀ·dy.
 * Its transpose kernel is fast, so transposing first and calling the original kernel with both flags off wins.
 * Batched products take another path on wasm, which the flags do not slow down (measured 0.6–1.1×): left alone.
 */
import { type KernelBackend, type KernelFunc, type TensorInfo, backendKernels, swapLastTwo } from './backend-kernels.js';
import type { KernelPatch } from './patch.js';

function batchSize(t: TensorInfo): number {
  return t.shape.slice(0, -2).reduce((x, y) => x * y, 1);
}

export function transposeFirst(backendName: string, original: KernelFunc): KernelFunc {
  return (args) => {
    const attrs = args.attrs ?? {};
    const { transposeA, transposeB } = attrs as { transposeA?: boolean; transposeB?: boolean };
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if ((!transposeA && !transposeB) || batchSize(a) > 1 || batchSize(b) > 1) return original(args);
    const k = backendKernels(backendName, args.backend as KernelBackend);
    const made: TensorInfo[] = [];
    const plain = (t: TensorInfo, flag: boolean | undefined): TensorInfo => {
      if (!flag) return t;
      const tt = k.run('Transpose', { x: t }, { perm: swapLastTwo(t.shape.length) });
      made.push(tt);
      return tt;
    };
    try {
      return original({
        ...args,
        inputs: { ...args.inputs, a: plain(a, transposeA), b: plain(b, transposeB) },
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    } finally {
      k.dispose(...made);
    }
  };
}

function transposeFirstPatch(kernelName: string): KernelPatch {
  return {
    kernelName,
    why: 'transpose flags take a path 3–30× slower on wasm for unbatched products (every matmul gradient sets one); transpose first, then the plain kernel',
    appliesTo: (backendName, existing) => backendName === 'wasm' && existing !== undefined,
    kernelFunc: (backendName, original) => transposeFirst(backendName, original as KernelFunc),
  };
}

export const batchMatMulPatch = transposeFirstPatch('BatchMatMul');
export const fusedMatMulPatch = transposeFirstPatch('_FusedMatMul');
