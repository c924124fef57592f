/**
 * ResizeNearestNeighborGrad (the gradient of upsampling) one image at a time on the cpu backend.
 *
 * The cpu kernel offsets dy by the batch stride of the *input* image, so for a batch of more than one image every
 * image after the first gets the gradient of the wrong dy pixels (tfjs 4.22: [2,1,1,1] upsampled to [2,2,2,1] with
 * dy = 0..7 gives [6, 10], not [6, 22]). With one image at a time that offset is zero, and the kernel is right.
 */
import { type KernelBackend, type KernelFunc, type TensorInfo, backendKernels } from './backend-kernels.js';
import type { KernelPatch } from './patch.js';

export function perImage(backendName: string, original: KernelFunc): KernelFunc {
  return (args) => {
    const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
    const batch = images.shape[0] as number;
    if (batch <= 1) return original(args);
    const k = backendKernels(backendName, args.backend as KernelBackend);
    const one = (t: TensorInfo, b: number) => k.run('Slice', { x: t }, { begin: [b, 0, 0, 0], size: [1, ...t.shape.slice(1)] });
    const parts: TensorInfo[] = [];
    try {
      for (let b = 0; b < batch; b++) {
        const image = one(images, b);
        const grad = one(dy, b);
        try {
          parts.push(original({ ...args, inputs: { images: image, dy: grad } }) as TensorInfo);
        } finally {
          k.dispose(image, grad);
        }
      }
      return k.run('Concat', parts, { axis: 0 });
    } finally {
      k.dispose(...parts);
    }
  };
}

export const resizeNearestNeighborGradPatch: KernelPatch = {
  kernelName: 'ResizeNearestNeighborGrad',
  why: "cpu's kernel reads dy at the wrong batch offset for every image after the first; run it one image at a time",
  appliesTo: (backendName, existing) => backendName === 'cpu' && existing !== undefined,
  kernelFunc: (backendName, original) => perImage(backendName, original as KernelFunc),
};
