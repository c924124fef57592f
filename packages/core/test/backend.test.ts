import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NATIVE_TFJS_BACKEND, initEngine, tf } from '../src/index.js';
import { OptionalImportError, importOptional } from '../src/optional-import.js';

afterEach(() => {
  delete process.env.LATENTKIT_BACKEND;
  vi.restoreAllMocks();
});

/**
 * A stand-in for @latentkit/backend-native: the cpu backend's kernels under the native backend's name, less the two
 * that core must then add to it.
 */
function registerFakeNative(): void {
  if (tf.findBackendFactory(NATIVE_TFJS_BACKEND)) return;
  const Cpu = (tf.findBackend('cpu') as object).constructor as new () => tf.KernelBackend;
  tf.registerBackend(NATIVE_TFJS_BACKEND, () => new Cpu(), 0);
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    if (kernel.kernelName === 'UnsortedSegmentSum' || kernel.kernelName === 'Conv2DBackpropFilter') continue;
    tf.registerKernel({ ...kernel, backendName: NATIVE_TFJS_BACKEND });
  }
}

describe('initEngine', () => {
  // The stand-in is registered before any auto choice in this file, so these tests never load the real addon.
  it('takes the native backend after the absent tfjs-node packages, and reports what it tried', async () => {
    registerFakeNative();
    const info = await initEngine({ backend: 'auto' });
    expect(info.backend).toBe('native');
    expect(info.tfjsBackend).toBe(NATIVE_TFJS_BACKEND);
    expect(info.attempts.map((a) => a.backend)).toEqual(['tensorflow-gpu', 'tensorflow', 'native']);
    expect(info.attempts[0]!.reason).toMatch(/@tensorflow\/tfjs-node-gpu is not installed/);
    expect(info.attempts[1]!.reason).toMatch(/@tensorflow\/tfjs-node is not installed/);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(tf.getBackend()).toBe(NATIVE_TFJS_BACKEND);
    // the kernel patches are registered for it and run
    expect(info.kernelPatches.map((p) => `${p.kernelName}:${p.action}`)).toEqual([
      'UnsortedSegmentSum:added',
      'Conv2DBackpropFilter:added',
      'MaxPoolGrad:replaced', // the real native backend runs wasm's kernels, and so wasm's MaxPoolGrad and OneHot
      'OneHot:replaced',
    ]);
    const g = tf.grad((w: tf.Tensor) => tf.gather(w, tf.tensor1d([1, 1], 'int32')).sum())(tf.ones([3, 2]));
    expect(Array.from(g.dataSync())).toEqual([0, 0, 2, 2, 0, 0]);
  });

  it('can be forced to a backend, by option or by LATENTKIT_BACKEND', async () => {
    const info = await initEngine({ backend: 'cpu' });
    expect(info.backend).toBe('cpu');
    expect(info.attempts).toEqual([{ backend: 'cpu', ok: true }]);
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await initEngine({ backend: 'wasm' });
    expect(wasm.backend).toBe('wasm');
    expect(wasm.threads).toBe(1);
    process.env.LATENTKIT_BACKEND = 'cpu';
    expect((await initEngine()).backend).toBe('cpu');
    expect((await initEngine({ backend: 'wasm' })).backend).toBe('wasm'); // the option beats the env var
  });

  it('can be forced to the native backend once it is registered', async () => {
    registerFakeNative();
    await initEngine({ backend: 'cpu' });
    const forced = await initEngine({ backend: 'native' });
    expect(forced.attempts).toEqual([{ backend: 'native', ok: true }]);
    expect(tf.getBackend()).toBe(NATIVE_TFJS_BACKEND);
  });

  it('runs concurrent calls one after another, each getting the backend it asked for', async () => {
    const [a, b, c] = await Promise.all([initEngine({ backend: 'wasm' }), initEngine({ backend: 'cpu' }), initEngine({ backend: 'auto' })]);
    expect([a.backend, b.backend, c.backend]).toEqual(['wasm', 'cpu', 'cpu']);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('registers gradients and chained ops (tfjs-core alone does not)', async () => {
    await initEngine({ backend: 'cpu' });
    const g = tf.grad((x: tf.Tensor) => x.square().sum())(tf.tensor1d([1, 2, 3]));
    expect(Array.from(await g.data())).toEqual([2, 4, 6]);
  });

  it('rejects an unknown backend name, naming the argument or the env var', async () => {
    await expect(initEngine({ backend: 'gpu' as never })).rejects.toThrow(
      /argument "backend" must be one of auto, tensorflow-gpu, tensorflow, native, wasm, cpu/,
    );
    process.env.LATENTKIT_BACKEND = 'gpu';
    await expect(initEngine()).rejects.toThrow(/argument "LATENTKIT_BACKEND"/);
  });

  it('says why a forced backend is unavailable', async () => {
    await expect(initEngine({ backend: 'tensorflow' })).rejects.toThrow(
      /could not start the tensorflow backend: tensorflow: @tensorflow\/tfjs-node is not installed/,
    );
  });
});

describe('optional packages', () => {
  it('tells "not installed" from "installed but broken"', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-optional-'));
    const pkg = path.join(root, 'node_modules', 'broken-addon');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'broken-addon', type: 'module', main: 'index.js' }));
    fs.writeFileSync(path.join(pkg, 'index.js'), "throw new Error('libfoo.so: cannot open shared object file');\n");
    const base = pathToFileURL(path.join(root, 'package.json')).href;

    const missing = await importOptional('no-such-addon', [base]).catch((e) => e);
    expect(missing).toBeInstanceOf(OptionalImportError);
    expect(missing.installed).toBe(false);
    expect(missing.message).toMatch(/no-such-addon is not installed \(looked from .*latentkit-optional-/);

    const broken = await importOptional('broken-addon', [base]).catch((e) => e);
    expect(broken.installed).toBe(true);
    expect(broken.message).toMatch(/broken-addon is installed but failed to load: libfoo\.so: cannot open shared object file/);
  });
});

describe('the tfjs Node.js banner', () => {
  it('is not printed, while other tfjs warnings still are', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await initEngine({ backend: 'cpu' });
    tf.tensor1d([1, 2, 3]).dataSync();
    tf.backend_util.warn('a real warning');
    const printed = warn.mock.calls.map((c) => String(c[0]));
    expect(printed.some((m) => m.includes('looks like you are running TensorFlow.js in Node.js'))).toBe(false);
    expect(printed).toContain('a real warning');
  });
});
