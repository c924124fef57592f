/**
 * A numeric condition (a table's numeric column): the condition slot is (value − mean) / sd with the mean and sd the
 * config keeps, it survives a save/load round trip, and bad values are refused naming the column.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initEngine, tf } from '@latentkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Model,
  conditionRows,
  conditionValue,
  conditionWidth,
  createModel,
  defaultConditionValues,
  loadModel,
  resolveModelConfig,
  saveModel,
} from '../src/index.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

type Conditioned = { conditionedCode(c: tf.Tensor2D, l: number[]): tf.Tensor2D };

const numeric = { type: 'numeric', source: 'price', mean: 10, sd: 4 } as const;
const gaussian = { kind: 'gaussian', latentDim: 3 } as const;
const columns = [
  { name: 'x', type: 'numeric' },
  { name: 'c', type: 'categorical', categories: ['a', 'b'] },
] as const;

describe('numeric condition', () => {
  it('is one standardised slot; a missing value is the mean; a non-finite one is refused', () => {
    expect(conditionWidth({ condition: numeric })).toBe(1);
    expect(Array.from(conditionRows(numeric, [10, 14, 2, 99], [0, 0, 0, 1]))).toEqual([0, 1, -2, 0]);
    expect(() => conditionRows(numeric, [Number.NaN])).toThrow(/price: value 0 must be a finite number/);
    expect(defaultConditionValues(numeric, 5)).toEqual([2, 6, 10, 14, 18]);
  });

  it('parses --condition values: a number, never a class; text names the column', () => {
    expect(conditionValue(numeric, '1.5')).toBe(1.5);
    expect(conditionValue(numeric, '-3e2')).toBe(-300);
    for (const bad of ['abc', '', 'Infinity', '1.5x']) expect(() => conditionValue(numeric, bad), bad).toThrow(/--condition price: expected a finite number/);
  });

  it('validates its config naming the bad field, and widens the bottleneck input by one', () => {
    const plain = resolveModelConfig({ kind: 'tabular', columns, hiddenDims: [8], bottleneck: gaussian } as never);
    const cond = resolveModelConfig({ kind: 'tabular', columns, hiddenDims: [8], condition: numeric, bottleneck: gaussian } as never);
    expect(cond.bottleneck.inputDim).toBe(plain.bottleneck.inputDim + 1);
    expect(cond.condition).toEqual(numeric);
    expect(() => resolveModelConfig({ kind: 'tabular', columns, condition: { ...numeric, sd: 0 }, bottleneck: gaussian } as never, 'model')).toThrow(
      /model\.condition\.sd/,
    );
    expect(() =>
      resolveModelConfig({ kind: 'tabular', columns, condition: { type: 'numeric', mean: 1, sd: 1 }, bottleneck: gaussian } as never, 'model'),
    ).toThrow(/model\.condition\.source/);
  });

  it('round trip: a saved and loaded model keeps the condition and decodes the same at the same value', async () => {
    const model: Model = createModel({ kind: 'tabular', columns, hiddenDims: [8], condition: numeric, bottleneck: gaussian } as never, { seed: 5 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-numcond-'));
    try {
      await saveModel(model, path.join(dir, 'm'));
      const loaded = loadModel(path.join(dir, 'm'));
      try {
        expect(loaded.config.condition).toEqual(numeric);
        const code = tf.tensor2d([0.3, -1, 2, 0.3, -1, 2], [2, 3]);
        const at = (m: Model, values: number[]): number[] => {
          const out = tf.tidy(() => m.decode((m as unknown as Conditioned).conditionedCode(code, values)));
          const data = Array.from(out.dataSync());
          out.dispose();
          return data;
        };
        expect(at(loaded, [1.5, 1.5])).toEqual(at(model, [1.5, 1.5]));
        // The decoder reads the value: another one decodes to other parameters.
        const [low, high] = [at(loaded, [2, 2]), at(loaded, [18, 18])];
        expect(low).not.toEqual(high);
        code.dispose();
      } finally {
        loaded.dispose();
      }
    } finally {
      model.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the encoder reads the batch value standardised: a batch value of mean + sd is the ready-made row [1]', () => {
    const model: Model = createModel({ kind: 'tabular', columns, hiddenDims: [8], condition: numeric, bottleneck: gaussian } as never, { seed: 1 });
    try {
      const batch = { size: 1, values: Float32Array.from([0.5, 1]), missing: new Uint8Array(2) };
      const code = (extra: object): number[] => {
        const out = model.encode({ ...batch, ...extra } as never, { mode: 'infer' });
        const data = Array.from(out.code.dataSync());
        tf.dispose([out.code, out.latent, out.regularizer, ...Object.values(out.terms)]);
        return data;
      };
      expect(code({ labels: [14] })).toEqual(code({ condition: Float32Array.from([1]) }));
      expect(code({ labels: [14] })).not.toEqual(code({ labels: [10] }));
    } finally {
      model.dispose();
    }
  });
});
