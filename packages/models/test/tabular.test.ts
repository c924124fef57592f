import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';
import { describe, expect, it } from 'vitest';
import {
  type TableBatch,
  type TabularColumn,
  createModel,
  fixedTrainData,
  loadModel,
  sequential,
  tabularEncoderInput,
  tabularLayout,
  tabularNll,
  train,
} from '../src/index.js';

const COLUMNS: TabularColumn[] = [
  { name: 'a', type: 'numeric' },
  { name: 'colour', type: 'categorical', categories: ['red', 'green', 'blue'] },
  { name: 'flag', type: 'binary', categories: ['no', 'yes'] },
  { name: 'b', type: 'numeric' },
];

/** Rows where b ≈ 2a and the category follows a's sign, with about a fifth of the cells missing. */
function tableBatch(size: number, seed: number, missingShare = 0.2): TableBatch {
  const rng = Rng.fromSeed(seed);
  const values = new Float32Array(size * 4);
  const missing = new Uint8Array(size * 4);
  for (let r = 0; r < size; r++) {
    const a = rng.normal();
    values.set([a, a > 0 ? 0 : rng.uniform() < 0.5 ? 1 : 2, a > 0.5 ? 1 : 0, 2 * a + 0.1 * rng.normal()], r * 4);
    for (let j = 0; j < 4; j++) {
      if (rng.uniform() < missingShare) {
        missing[r * 4 + j] = 1;
        values[r * 4 + j] = 0;
      }
    }
  }
  return { size, width: 4, values, missing };
}

const config = { kind: 'tabular' as const, columns: COLUMNS, hiddenDims: [16], bottleneck: { kind: 'gaussian' as const, latentDim: 3 } };

describe('the tabular model', () => {
  it('lays the columns out as documented', () => {
    const layout = tabularLayout(COLUMNS);
    // Inputs: a (1), colour one-hot (3 + unknown = 4), flag (1), b (1), then 4 observed-flags.
    expect(layout.input).toEqual([
      { offset: 0, width: 1 },
      { offset: 1, width: 4 },
      { offset: 5, width: 1 },
      { offset: 6, width: 1 },
    ]);
    expect(layout.inputWidth).toBe(11);
    // Outputs: a (mean, log-var), colour (4 logits), flag (1 logit), b (mean, log-var).
    expect(layout.output.map((o) => o.offset)).toEqual([0, 2, 6, 7]);
    expect(layout.outputWidth).toBe(9);
    const x = tabularEncoderInput(COLUMNS, { size: 1, values: Float32Array.from([0.5, 2, 1, 0]), missing: Uint8Array.from([0, 0, 0, 1]) });
    expect(Array.from(x)).toEqual([0.5, 0, 0, 1, 0, 1, 0, 1, 1, 1, 0]);
  });

  it('scores cells with their own likelihood: the Gaussian NLL against a hand computation', () => {
    const cols: TabularColumn[] = [{ name: 'x', type: 'numeric' }];
    // x = 1.5, mean 0.5, log-variance ln 4 (σ = 2): 0.5·ln(2π) + 0.5·ln 4 + (1.0)² / (2·4).
    const expected = 0.5 * Math.log(2 * Math.PI) + 0.5 * Math.log(4) + 1 / 8;
    const params = tf.tensor2d([[0.5, Math.log(4)]]);
    const nll = tabularNll(cols, params, { size: 1, values: Float32Array.from([1.5]), missing: new Uint8Array(1) });
    expect(nll.dataSync()[0]).toBeCloseTo(expected, 5);
    // A categorical cell: −log softmax([1, 2, 3])[2]; a binary cell with logit 0: ln 2.
    const mixed: TabularColumn[] = [
      { name: 'c', type: 'categorical', categories: ['u', 'v'] },
      { name: 'f', type: 'binary', categories: ['0', '1'] },
    ];
    const p2 = tf.tensor2d([[1, 2, 3, 0]]);
    const n2 = tabularNll(mixed, p2, { size: 1, values: Float32Array.from([2, 1]), missing: new Uint8Array(2) });
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    expect(n2.dataSync()[0]).toBeCloseTo(lse - 3 + Math.log(2), 5);
    tf.dispose([params, nll, p2, n2]);
  });

  it('missing cells change nothing: perturbing their values leaves the loss and the code as they were', () => {
    const model = createModel(config, { seed: 2 });
    const batch = tableBatch(32, 7);
    const perturbed: TableBatch = { ...batch, values: batch.values.map((v, i) => (batch.missing[i] === 1 ? (i % 3) + 1e3 * (i % 2 ? 1 : -1) : v)) };
    expect(Array.from(perturbed.values)).not.toEqual(Array.from(batch.values));
    const scores = (b: TableBatch) =>
      tf.tidy(() => {
        const code = model.encode(b).code;
        return [Array.from(code.dataSync()), Array.from(model.reconstruction(b, code).nll.dataSync())];
      });
    const [code0, nll0] = scores(batch);
    const [code1, nll1] = scores(perturbed);
    expect(code1).toEqual(code0);
    expect(nll1).toEqual(nll0);
    // And a row with every cell missing scores exactly 0; units count observed cells.
    const empty: TableBatch = { size: 1, width: 4, values: new Float32Array(4), missing: new Uint8Array(4).fill(1) };
    expect(tf.tidy(() => model.reconstruction(empty, model.encode(empty).code).nll.dataSync()[0])).toBe(0);
    expect(model.units(batch)).toBe(batch.missing.reduce((a, m) => a + (1 - m), 0));
    model.dispose();
  });

  it('gradients reach every weight, and training lowers the loss', async () => {
    const model = createModel(config, { seed: 3 });
    const batch = tableBatch(64, 11);
    const variables = Object.values(model.trainableVariables);
    const { grads } = tf.variableGrads(() => model.loss(batch, { mode: 'train', rng: Rng.fromSeed(1) }).total, variables);
    expect(Object.keys(grads)).toHaveLength(variables.length);
    for (const [name, g] of Object.entries(grads)) {
      const size = g.abs().sum().dataSync()[0] as number;
      expect(Number.isFinite(size) && size > 0, name).toBe(true);
    }
    tf.dispose(Object.values(grads));
    const before = tf.tidy(() => model.loss(batch, { mode: 'infer' }).total.dataSync()[0] as number);
    await train(model, { seed: 1, epochs: 60, optimizer: { kind: 'adam', learningRate: 0.01 } }, { train: fixedTrainData([batch]), progress: false });
    const after = tf.tidy(() => model.loss(batch, { mode: 'infer' }).total.dataSync()[0] as number);
    expect(after).toBeLessThan(before - 1);
    model.dispose();
  });

  it('takes custom networks and other bottlenecks, and saves and loads', async () => {
    const encoder = sequential([tf.layers.dense({ units: 12, activation: 'tanh', inputShape: [11] })]);
    const model = createModel({ ...config, bottleneck: { kind: 'vmf', latentDim: 4, kappa: 10 } }, { seed: 4, networks: { encoder } });
    expect(Object.keys(model.layers)).toContain('enc.net0');
    const plan = model.exportPlan();
    expect(plan.kind === 'feedForward' && plan.input).toEqual({ field: 'encoderInput', width: 11 });
    const plain = createModel(config, { seed: 4 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latentkit-tabular-'));
    await plain.save(dir);
    const again = loadModel<typeof plain>(dir);
    const batch = tableBatch(8, 1);
    const out = (m: typeof plain) => tf.tidy(() => Array.from(m.decode(m.encode(batch).code).dataSync()));
    expect(out(again)).toEqual(out(plain));
    for (const m of [model, plain, again]) m.dispose();
  });

  it('refuses a batch of the wrong width or a category index out of range', () => {
    expect(() => tabularEncoderInput(COLUMNS, { size: 1, width: 3, values: new Float32Array(3), missing: new Uint8Array(3) })).toThrow(
      /batch.width must be the model's 4 columns/,
    );
    expect(() => tabularEncoderInput(COLUMNS, { size: 1, values: Float32Array.from([0, 7, 0, 0]), missing: new Uint8Array(4) })).toThrow(
      /column "colour" is categorical with 4 slots, got 7/,
    );
  });
});
