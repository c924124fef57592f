import { describe, expect, it } from 'vitest';
import { initEngine, tf } from '../src/index.js';

describe('initEngine', () => {
  it('falls back past the absent tfjs-node packages and reports what it tried', async () => {
    const info = await initEngine({ backend: 'auto' });
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(info.backend);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.attempts.at(-1)).toEqual({ backend: info.backend, ok: true });
    expect(tf.getBackend()).toBe(info.tfjsBackend);
  });

  it('can be forced to a backend', async () => {
    const info = await initEngine({ backend: 'cpu' });
    expect(info.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await initEngine({ backend: 'wasm' });
    expect(wasm.backend).toBe('wasm');
    expect(wasm.threads).toBe(1);
  });

  it('registers gradients and chained ops (tfjs-core alone does not)', async () => {
    await initEngine({ backend: 'cpu' });
    const g = tf.grad((x: tf.Tensor) => x.square().sum())(tf.tensor1d([1, 2, 3]));
    expect(Array.from(await g.data())).toEqual([2, 4, 6]);
  });

  it('rejects an unknown backend name, naming the argument', async () => {
    await expect(initEngine({ backend: 'gpu' as never })).rejects.toThrow(/argument "backend" must be one of auto/);
  });
});
