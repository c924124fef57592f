/**
 * Running the cpu backend's kernel on copies of the inputs: for kernels a backend lacks or gets wrong, where no
 * composition of its own fast kernels applies and the cpu kernel (plain JavaScript loops) is what any rewrite would be.
 *
 * - MaxPoolGrad on wasm drops the gradient of pooling windows whose values are all negative (measured: tfjs 4.22,
 *   input [0, .99, −.26, −.93 | .5, .8, −.7, −.6], 2×2 windows: the second window's gradient is lost).
 * - DepthwiseConv2dNativeBackpropFilter/Input and Einsum are not registered on wasm.
 */
import { tf } from '../tf.js';
import type { KernelBackend, KernelFunc, TensorInfo } from './backend_kernels.js';
import type { KernelPatch } from './patch.js';

export function viaCpuKernel(kernelName: string): KernelFunc {
  return ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as KernelBackend;
    const cpu = tf.findBackend('cpu') as KernelBackend | null;
    const kernel = tf.getKernel(kernelName, 'cpu') as tf.KernelConfig | undefined;
    if (!cpu || !kernel) throw new Error(`no cpu kernel '${kernelName}' to fall back to`);
    const copy = (info: TensorInfo): TensorInfo => ({
      dataId: cpu.write(backend.readSync(info.dataId), info.shape, info.dtype),
      shape: info.shape,
      dtype: info.dtype,
    });
    // Most kernels take named inputs; a few (Concat, Einsum) take a list.
    const named = inputs as Record<string, TensorInfo> | TensorInfo[];
    const copies = Array.isArray(named) ? named.map(copy) : Object.fromEntries(Object.entries(named).map(([n, info]) => [n, copy(info)]));
    try {
      const out = kernel.kernelFunc({ inputs: copies as tf.NamedTensorInfoMap, backend: cpu, attrs });
      const outs = Array.isArray(out) ? out : [out];
      const back = outs.map((o) => {
        const info = { dataId: backend.write(cpu.readSync(o.dataId), o.shape, o.dtype), shape: o.shape, dtype: o.dtype };
        cpu.disposeData(o.dataId);
        return info;
      });
      return Array.isArray(out) ? back : (back[0] as TensorInfo);
    } finally {
      for (const info of Object.values(copies)) cpu.disposeData(info.dataId);
    }
  };
}

export const maxPoolGradPatch: KernelPatch = {
  kernelName: 'MaxPoolGrad',
  why: "wasm's kernel drops the gradient of pooling windows whose values are all negative; the cpu kernel's result is used",
  appliesTo: (backendName, existing) => backendName === 'wasm' && existing !== undefined,
  kernelFunc: () => viaCpuKernel('MaxPoolGrad'),
};

function missingKernelPatch(kernelName: string, why: string): KernelPatch {
  return {
    kernelName,
    why,
    appliesTo: (backendName, existing) => existing === undefined && backendName !== 'cpu',
    kernelFunc: () => viaCpuKernel(kernelName),
  };
}

export const depthwiseFilterGradPatch = missingKernelPatch('DepthwiseConv2dNativeBackpropFilter', 'gradient of depthwise conv filters: missing on wasm; runs on the cpu kernel');
export const depthwiseInputGradPatch = missingKernelPatch('DepthwiseConv2dNativeBackpropInput', 'gradient of depthwise conv inputs: missing on wasm; runs on the cpu kernel');
export const einsumPatch = missingKernelPatch('Einsum', 'missing on wasm; runs on the cpu kernel');
