import { execFileSync } from 'node:child_process';
import { engineInfo, initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { NATIVE_BACKEND, NATIVE_KERNELS, addonStatus, checkNativeBackend, getThreadsCount } from '../src/index.js';
import { ADDON_PATH } from '../src/addon.js';
import { compiledKernels } from '../src/runtime.js';
import { addonAvailable } from './addon-available.js';
import { nativeAvailable } from './available.js';

beforeAll(async () => {
  if (nativeAvailable) await initEngine({ backend: 'native' });
});

describe.skipIf(!nativeAvailable)('the latentkit-native backend', () => {
  it("is what core's initEngine picks for 'native', and reports its threads", () => {
    expect(() => checkNativeBackend()).not.toThrow();
    expect(engineInfo()?.tfjsBackend).toBe(NATIVE_BACKEND);
    expect(tf.getBackend()).toBe(NATIVE_BACKEND);
    expect(getThreadsCount()).toBeGreaterThanOrEqual(1);
  });

  it('registers its own kernels and every other wasm kernel under its name', () => {
    for (const config of NATIVE_KERNELS) expect(tf.getKernel(config.kernelName, NATIVE_BACKEND).kernelFunc).toBe(config.kernelFunc);
    const wasmKernels = tf.getKernelsForBackend('wasm').map((k) => k.kernelName);
    const ours = new Set(tf.getKernelsForBackend(NATIVE_BACKEND).map((k) => k.kernelName));
    expect(wasmKernels.filter((name) => !ours.has(name))).toEqual([]);
  });

  it('without a system BLAS, runs large products and convolutions on onnxruntime, not on the wasm fallback', async () => {
    process.env.LATENTKIT_BLAS = 'none';
    onTestFinished(() => {
      delete process.env.LATENTKIT_BLAS;
    });
    const y = tf.tidy(() => tf.conv2d(tf.ones([2, 9, 9, 3]) as tf.Tensor4D, tf.ones([3, 3, 3, 5]) as tf.Tensor4D, 1, 'valid').sum());
    const z = tf.tidy(() => tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]), true, false).sum());
    expect(await y.data()).toEqual(new Float32Array([2 * 7 * 7 * 5 * 27]));
    expect(await z.data()).toEqual(new Float32Array([64 * 64 * 64]));
    const kernels = compiledKernels();
    // With the compiled addon the convolution is a GEMM over its im2col patches; without it, onnxruntime's Conv.
    expect(kernels).toContain(addonStatus().loaded ? 'Gemm' : 'Transpose+Transpose+Conv+Transpose');
    expect(kernels).toContain('Transpose+Gemm');
  });

  it('shares tensors with the wasm backend without copies or loss', async () => {
    const t = tf.tensor([1.5, -2, 3.25]);
    await tf.setBackend('wasm');
    const doubled = t.mul(2);
    await tf.setBackend(NATIVE_BACKEND);
    expect(Array.from(await doubled.add(t).data())).toEqual([4.5, -6, 9.75]);
  });
});

describe.skipIf(!addonAvailable)('the system BLAS lookup', () => {
  // The library is chosen once per process, so each case runs in a child process.
  const status = (env: Record<string, string>) =>
    JSON.parse(
      execFileSync(process.execPath, ['-e', `const a = require(${JSON.stringify(ADDON_PATH)}); console.log(JSON.stringify([a.blasName(), a.blasError()]))`], {
        env: { ...process.env, ...env },
      }).toString(),
    ) as [string, string];

  it('names the library it loaded, or says why none and how to get one', () => {
    const [name, error] = status({});
    if (name) {
      expect(name).toMatch(/blas|mkl|Accelerate/i);
      expect(error).toBe('');
    } else {
      expect(error).toMatch(/^no BLAS found; install OpenBLAS .*tried libopenblas\.so\.0/);
    }
  });

  it('reports a LATENTKIT_BLAS that does not load, and takes none when asked for none', () => {
    expect(status({ LATENTKIT_BLAS: '/nonexistent/libblas.so' })).toEqual(['', 'LATENTKIT_BLAS=/nonexistent/libblas.so does not load or has no cblas_sgemm']);
    expect(status({ LATENTKIT_BLAS: 'none' })).toEqual(['', 'LATENTKIT_BLAS=none']);
  });
});
