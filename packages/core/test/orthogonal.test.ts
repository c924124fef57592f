import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../src/index.js';
import { orthogonal, orthogonalValues, tf } from '../src/layers.js';
import { expectClose } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'wasm' });
});

/** Largest |(M Mᵀ − I)| over the rows of a row-major rows×cols matrix, in float64. */
function rowOrthogonalityError(m: Float32Array, rows: number, cols: number): number {
  let worst = 0;
  for (let i = 0; i < rows; i++)
    for (let j = i; j < rows; j++) {
      let dot = 0;
      for (let k = 0; k < cols; k++) dot += m[i * cols + k]! * m[j * cols + k]!;
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
    }
  return worst;
}

function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c]!;
  return t;
}

describe('orthogonal initializer', () => {
  it('gives orthonormal rows for a wide LSTM recurrent kernel [128, 512] (Q Qᵀ = I)', () => {
    const q = orthogonalValues([128, 512], { seed: 1 });
    expect(rowOrthogonalityError(q, 128, 512)).toBeLessThan(1e-5);
  });

  it('gives orthonormal columns for tall and conv-shaped kernels (Qᵀ Q = I)', () => {
    const tall = orthogonalValues([300, 40], { seed: 2 });
    expect(rowOrthogonalityError(transpose(tall, 300, 40), 40, 300)).toBeLessThan(1e-5);
    const conv = orthogonalValues([3, 3, 4, 16], { seed: 3 }); // flattened to [36, 16]
    expect(rowOrthogonalityError(transpose(conv, 36, 16), 16, 36)).toBeLessThan(1e-5);
  });

  it('scales by gain and is reproducible from its seed', () => {
    const a = orthogonalValues([20, 20], { seed: 'x' });
    expect(Array.from(orthogonalValues([20, 20], { seed: 'x' }))).toEqual(Array.from(a));
    expect(Array.from(orthogonalValues([20, 20], { seed: 'y' }))).not.toEqual(Array.from(a));
    const doubled = orthogonalValues([20, 20], { seed: 'x', gain: 2 });
    expectClose(
      doubled,
      a.map((v) => 2 * v),
      1e-6,
    );
  });

  it('is Haar-distributed: the trace of a random 6×6 orthogonal matrix has mean 0 and variance 1', () => {
    // E[tr Q] = 0 and Var[tr Q] = 1 for Haar Q (Diaconis & Shahshahani); a QR without the sign fix is biased.
    const n = 6;
    const draws = 2000;
    const traces = Array.from({ length: draws }, (_, s) => {
      const q = orthogonalValues([n, n], { seed: s });
      let t = 0;
      for (let i = 0; i < n; i++) t += q[i * n + i]!;
      return t;
    });
    const mean = traces.reduce((a, b) => a + b, 0) / draws;
    const variance = traces.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws - 1);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(draws));
    expect(Math.abs(variance - 1)).toBeLessThan(0.2);
  });

  it('rejects bad shapes and gains by name', () => {
    expect(() => orthogonalValues([5], {})).toThrow(/argument "shape"/);
    expect(() => orthogonalValues([2, 2], { gain: Number.NaN })).toThrow(/argument "gain"/);
  });

  it('plugs into tf.layers.lstm as an instance or by its registered name, and survives model JSON', async () => {
    const model = tf.sequential({
      layers: [tf.layers.lstm({ units: 16, inputShape: [5, 3], recurrentInitializer: orthogonal({ seed: 7 }) })],
    });
    const recurrent = model.layers[0]!.getWeights()[1]!;
    expect(recurrent.shape).toEqual([16, 64]);
    expect(rowOrthogonalityError(recurrent.dataSync() as Float32Array, 16, 64)).toBeLessThan(1e-5);
    expect(Array.from(recurrent.dataSync())).toEqual(Array.from(orthogonalValues([16, 64], { seed: 7 })));

    const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
    const layerConfig = json.config.layers[0].config;
    expect(layerConfig.recurrent_initializer).toEqual({ class_name: 'LatentkitOrthogonal', config: { seed: 7 } });

    const restored = await tf.models.modelFromJSON({ modelTopology: json });
    expect(Array.from(restored.layers[0]!.getWeights()[1]!.dataSync())).toEqual(Array.from(recurrent.dataSync()));

    const byName = tf.layers.lstm({ units: 4, recurrentInitializer: 'LatentkitOrthogonal' as never });
    byName.build([1, 2, 3]);
    const w = byName.getWeights()[1]!;
    expect(rowOrthogonalityError(w.dataSync() as Float32Array, 4, 16)).toBeLessThan(1e-5);
  });
});
