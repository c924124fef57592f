/**
 * Kernels the stock tfjs backends lack or run slowly, registered once per backend. Each patch lives in its own
 * file, which says the gap it closes.
 */
import { tf } from '../tf.js';
import { castToBoolPatch } from './cast-to-bool.js';
import { conv2dBackpropFilterPatch } from './conv2d-backprop-filter.js';
import { depthwiseFilterGradPatch, depthwiseInputGradPatch, einsumPatch } from './cpu-fallback.js';
import { maxPoolGradPatch } from './max-pool-grad.js';
import { oneHotPatch } from './one-hot.js';
import type { KernelPatch } from './patch.js';
import { resizeNearestNeighborGradPatch } from './per-image-resize-grad.js';
import { batchMatMulPatch, fusedMatMulPatch } from './transpose-first-mat-mul.js';
import { unsortedSegmentSumPatch } from './unsorted-segment-sum.js';

export type { KernelPatch } from './patch.js';

export const KERNEL_PATCHES: readonly KernelPatch[] = [
  unsortedSegmentSumPatch,
  conv2dBackpropFilterPatch,
  batchMatMulPatch,
  fusedMatMulPatch,
  maxPoolGradPatch,
  oneHotPatch,
  castToBoolPatch,
  resizeNearestNeighborGradPatch,
  depthwiseFilterGradPatch,
  depthwiseInputGradPatch,
  einsumPatch,
];

export interface AppliedPatch {
  readonly kernelName: string;
  /** `added` where the backend had no kernel, `replaced` where it had a slow or wrong one. */
  readonly action: 'added' | 'replaced';
  readonly why: string;
}

const applied = new Map<string, readonly AppliedPatch[]>();

/** Registers the patches that apply to `backendName` (once) and returns what it registered. */
export function registerKernelPatches(backendName: string): readonly AppliedPatch[] {
  const done = applied.get(backendName);
  if (done) return done;
  const result: AppliedPatch[] = [];
  for (const patch of KERNEL_PATCHES) {
    // getKernel is typed as always finding one; it returns undefined when the backend has none.
    const config = tf.getKernel(patch.kernelName, backendName) as tf.KernelConfig | undefined;
    const existing = config?.kernelFunc;
    if (!patch.appliesTo(backendName, existing)) continue;
    const kernelFunc = patch.kernelFunc(backendName, existing);
    // Unregister first: tfjs warns on a duplicate registration, and this one is deliberate. The original's setup
    // stays: a wasm kernel binds its WebAssembly function there, which a wrapped original (and anyone copying this
    // backend's kernels) still needs when a backend instance is created.
    if (config) tf.unregisterKernel(patch.kernelName, backendName);
    tf.registerKernel({ ...config, kernelName: patch.kernelName, backendName, kernelFunc });
    result.push({ kernelName: patch.kernelName, action: existing ? 'replaced' : 'added', why: patch.why });
  }
  applied.set(backendName, result);
  return result;
}
