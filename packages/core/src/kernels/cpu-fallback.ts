/**
 * Running the cpu backend's kernel on copies of the inputs, for kernels a backend lacks that latentkit's models do
 * not train with (DepthwiseConv2dNativeBackpropFilter/Input and Einsum are not registered on wasm): correct, and
 * slow only where nobody waits on it. Kernels that training hits get a real implementation instead.
 */
import { tf } from '../tf.js';
import type { KernelBackend, KernelFunc, TensorInfo } from './backend-kernels.js';
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

function missingKernelPatch(kernelName: string, why: string): KernelPatch {
  return {
    kernelName,
    why,
    appliesTo: (backendName, existing) => existing === undefined && backendName !== 'cpu',
    kernelFunc: () => viaCpuKernel(kernelName),
  };
}

export const depthwiseFilterGradPatch = missingKernelPatch(
  'DepthwiseConv2dNativeBackpropFilter',
  'gradient of depthwise conv filters: missing on wasm; runs on the cpu kernel',
);
export const depthwiseInputGradPatch = missingKernelPatch(
  'DepthwiseConv2dNativeBackpropInput',
  'gradient of depthwise conv inputs: missing on wasm; runs on the cpu kernel',
);
export const einsumPatch = missingKernelPatch('Einsum', 'missing on wasm; runs on the cpu kernel');
