import { Rng, initEngine, tf } from '@latentkit/core';
import { DiagonalGaussian, standardNormal } from '@latentkit/distributions';
import { type TableBatch, type Tabular, type TabularColumn, createModel, fixedTrainData, tabularNll, train } from '@latentkit/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ImputableModel, type MaskedRows, imageImputable, importanceSamples, impute, normaliseWeights, tabularImputable } from '../src/impute/index.js';

beforeAll(async () => {
  await initEngine();
});

const METHODS = ['single', 'gibbs', 'mwg', 'miwae'] as const;

const MIXED: TabularColumn[] = [
  { name: 'a', type: 'numeric' },
  { name: 'colour', type: 'categorical', categories: ['red', 'green', 'blue'] },
  { name: 'flag', type: 'binary', categories: ['no', 'yes'] },
  { name: 'b', type: 'numeric' },
];

/** Rows of the MIXED columns with about a third of the cells missing, and awkward observed values. */
function mixedRows(size: number, seed: number): MaskedRows {
  const rng = Rng.fromSeed(seed);
  const values = new Float32Array(size * 4);
  const missing = new Uint8Array(size * 4);
  const odd = [-0, 1e-38, Math.fround(Math.PI), -2.7182817459106445, 5e-8];
  for (let r = 0; r < size; r++) {
    values.set([odd[r % odd.length] as number, rng.int(4), rng.int(2), rng.normal()], r * 4);
    for (let j = 0; j < 4; j++) if (rng.uniform() < 0.35 || r === 0) missing[r * 4 + j] = 1;
  }
  return { size, width: 4, values, missing };
}

describe('impute: observed cells', () => {
  const model = createModel({ kind: 'tabular', columns: MIXED, hiddenDims: [8], bottleneck: { kind: 'gaussian', latentDim: 2 } }, { seed: 1 }) as Tabular;
  const target = tabularImputable(model);
  const rows = mixedRows(40, 3);

  for (const method of METHODS) {
    it(`${method}: observed cells come back bit for bit, missing ones are filled with valid values, a seed reproduces`, () => {
      const out = impute(target, rows, { method, draws: 3, iterations: 4, importanceSamples: 8, batchSize: 16, seed: 5 });
      let filled = 0;
      for (let i = 0; i < rows.values.length; i++) {
        const j = i % 4;
        if (rows.missing[i] === 0) {
          expect(Object.is(out.values[i], rows.values[i]), `cell ${i}`).toBe(true);
          expect(out.sd?.[i]).toBe(0);
        } else {
          filled++;
          const v = out.values[i] as number;
          expect(Number.isFinite(v)).toBe(true);
          if (j === 1) expect([0, 1, 2, 3]).toContain(v);
          if (j === 2) expect([0, 1]).toContain(v);
          if (j === 0 || j === 3) expect(out.sd?.[i]).toBeGreaterThan(0);
        }
      }
      expect(filled).toBeGreaterThan(20);
      const again = impute(target, rows, { method, draws: 3, iterations: 4, importanceSamples: 8, batchSize: 16, seed: 5 });
      expect(Array.from(again.values)).toEqual(Array.from(out.values));
      expect(Array.from(again.sd ?? [])).toEqual(Array.from(out.sd ?? []));
    });
  }

  it('without a density (a plain autoencoder) single and gibbs work, the others say what they need', () => {
    const plain = createModel({ kind: 'tabular', columns: MIXED, hiddenDims: [8], bottleneck: { kind: 'identity' } }, { seed: 1 }) as Tabular;
    const t = tabularImputable(plain);
    expect(t.density).toBeUndefined();
    for (const method of ['single', 'gibbs'] as const) {
      const out = impute(t, rows, { method, iterations: 2 });
      for (let i = 0; i < rows.values.length; i++) if (rows.missing[i] === 0) expect(Object.is(out.values[i], rows.values[i])).toBe(true);
    }
    expect(() => impute(t, rows, { method: 'mwg' })).toThrow(/the mwg method needs a bottleneck with a density/);
    expect(() => impute(t, rows, { method: 'miwae' })).toThrow(/the miwae method needs a bottleneck with a density/);
    expect(() => impute(t, rows, { method: 'single', draws: 2 })).toThrow(/2 draws with the single method needs a bottleneck with a density/);
    plain.dispose();
  });

  it('refuses rows of the wrong width, an observed NaN and an unknown method', () => {
    expect(() => impute(target, { size: 1, width: 3, values: new Float32Array(3), missing: new Uint8Array(3) })).toThrow(
      /rows.width: expected the model's 4 cells/,
    );
    expect(() => impute(target, { size: 1, width: 4, values: Float32Array.from([Number.NaN, 0, 0, 0]), missing: new Uint8Array(4) })).toThrow(
      /row 0, cell 0 is observed but NaN/,
    );
    expect(() => impute(target, rows, { method: 'magic' as 'single' })).toThrow(/impute.method/);
  });
});

/**
 * A linear-Gaussian model with a closed-form conditional: z ~ N(0, 1), x1 = A·z + e1, x2 = B·z + e2, e ~ N(0, S2).
 * Then z | x1 ~ N(A·x1 / (A² + S2), S2 / (A² + S2)), and E[x2 | x1] = B·E[z | x1], Var[x2 | x1] = B²·Var[z | x1] + S2.
 * The encoder q(z|x) is deliberately not the true posterior (a proposal only): N(0.3·x1 + 0.2·x2 (when observed), 1.1²).
 * log p(x|z) is the tabular model's own likelihood (`tabularNll`) on decoder output [A·z, log S2, B·z, log S2].
 */
const A = 1.5;
const B = -2;
const S2 = 0.25;
const GAUSS_COLUMNS: TabularColumn[] = [
  { name: 'x1', type: 'numeric' },
  { name: 'x2', type: 'numeric' },
];
const linearGaussian: ImputableModel = {
  width: 2,
  expectationWidth: 2,
  numeric: [true, true],
  code: (rows) =>
    tf.tensor2d(
      Float32Array.from({ length: rows.size }, (_, r) => 0.3 * (rows.values[2 * r] as number)),
      [rows.size, 1],
    ),
  density: {
    posterior: (rows) => {
      const mean = Float32Array.from(
        { length: rows.size },
        (_, r) => 0.3 * (rows.values[2 * r] as number) + (rows.missing[2 * r + 1] ? 0 : 0.2 * (rows.values[2 * r + 1] as number)),
      );
      return new DiagonalGaussian(tf.tensor2d(mean, [rows.size, 1]), tf.fill([rows.size, 1], Math.log(1.21)) as tf.Tensor2D);
    },
    prior: () => standardNormal(1),
  },
  decode: (z) => tf.concat([z.mul(A), tf.fill([z.shape[0], 1], Math.log(S2)), z.mul(B), tf.fill([z.shape[0], 1], Math.log(S2))], 1) as tf.Tensor2D,
  logLikelihood: (params, rows) => tf.neg(tabularNll(GAUSS_COLUMNS, params, rows as TableBatch)),
  expectations: (params, size) => Float64Array.from({ length: 2 * size }, (_, i) => params[2 * i] as number),
  points: (e) => Float32Array.from(e as ArrayLike<number>),
  sample: (params, size, rng) => Float32Array.from({ length: 2 * size }, (_, i) => (params[2 * i] as number) + Math.sqrt(S2) * rng.normal()),
};
const X1 = 1.2;
const exactMean = (B * A * X1) / (A * A + S2);
const exactSd = Math.sqrt((B * B * S2) / (A * A + S2) + S2);

describe('impute: against a closed-form Gaussian conditional', () => {
  const one: MaskedRows = { size: 1, width: 2, values: Float32Array.from([X1, 0]), missing: Uint8Array.from([0, 1]) };

  it(`MIWAE's importance-weighted mean reaches E[x2 | x1] = ${exactMean.toFixed(4)} (S = 20,000, within 0.03)`, () => {
    const out = impute(linearGaussian, one, { method: 'miwae', importanceSamples: 20_000, seed: 1 });
    expect(Math.abs((out.values[1] as number) - exactMean)).toBeLessThan(0.03);
    // The single pass decodes q's mean 0.3·x1, far from the answer: the weighting is what does the work.
    expect(Math.abs((impute(linearGaussian, one, { method: 'single' }).values[1] as number) - exactMean)).toBeGreaterThan(0.5);
  });

  it(`MIWAE (sampling importance resampling) and Metropolis-within-Gibbs draws have the exact conditional mean and sd ${exactSd.toFixed(3)}`, () => {
    const many: MaskedRows = { size: 1, width: 2, values: Float32Array.from([X1, 0]), missing: Uint8Array.from([0, 1]) };
    for (const method of ['miwae', 'mwg'] as const) {
      const out = impute(linearGaussian, many, { method, draws: 2000, iterations: 100, importanceSamples: 5000, seed: 2 });
      // 2000 draws: the standard error of the mean is about 0.5 / 45 ≈ 0.011; of the sd, about 0.008.
      expect(Math.abs((out.values[1] as number) - exactMean), method).toBeLessThan(0.05);
      expect(Math.abs((out.sd?.[1] as number) - exactSd), method).toBeLessThan(0.05);
    }
  });

  it('pseudo-Gibbs with the wrong proposal is biased, which is why Metropolis-within-Gibbs exists', () => {
    const out = impute(linearGaussian, one, { method: 'gibbs', draws: 500, iterations: 30, seed: 3 });
    expect(Math.abs((out.values[1] as number) - exactMean)).toBeGreaterThan(0.2);
  });

  it('importance log weights equal log p(x_obs|z) + log p(z) − log q(z|x_obs) computed by hand', () => {
    const rows: MaskedRows = { size: 2, width: 2, values: Float32Array.from([X1, 0, -0.4, 0.7]), missing: Uint8Array.from([0, 1, 0, 0]) };
    const is = importanceSamples(linearGaussian, rows, 3, Rng.fromSeed(9));
    const logN = (x: number, m: number, v: number) => -0.5 * (Math.log(2 * Math.PI * v) + (x - m) ** 2 / v);
    for (let s = 0; s < 3; s++) {
      for (let r = 0; r < 2; r++) {
        const zv = is.z[s * 2 + r] as number;
        const x1 = rows.values[2 * r] as number;
        const observedX2 = rows.missing[2 * r + 1] === 0;
        const qMean = 0.3 * x1 + (observedX2 ? 0.2 * (rows.values[2 * r + 1] as number) : 0);
        const expected = logN(x1, A * zv, S2) + (observedX2 ? logN(rows.values[2 * r + 1] as number, B * zv, S2) : 0) + logN(zv, 0, 1) - logN(zv, qMean, 1.21);
        expect(is.logWeights[s * 2 + r]).toBeCloseTo(expected, 4);
      }
    }
    const w = normaliseWeights(Float64Array.from([0, Math.log(3), -1e4, Number.NaN]), 4, 1);
    expect(Array.from(w).map((v) => +v.toFixed(6))).toEqual([0.25, 0.75, 0, 0]);
    expect(() => normaliseWeights(Float64Array.from([Number.NEGATIVE_INFINITY, Number.NaN]), 2, 1)).toThrow(/row 0 are all zero/);
  });
});

describe('impute: a trained tabular model', () => {
  it('on x2 = 2·x1 + noise, every method imputes hidden x2 cells with RMSE under 0.4× column-mean imputation', async () => {
    const rng = Rng.fromSeed(11);
    const size = 1024;
    const values = new Float32Array(size * 3);
    for (let r = 0; r < size; r++) {
      const x1 = rng.normal();
      // Standardised: x2 = (2·x1 + 0.1·e) / sd, with sd ≈ √4.01; x3 is independent noise.
      values.set([x1, (2 * x1 + 0.1 * rng.normal()) / Math.sqrt(4.01), rng.normal()], r * 3);
    }
    const missing = Uint8Array.from({ length: size * 3 }, () => (rng.uniform() < 0.2 ? 1 : 0));
    const columns: TabularColumn[] = ['x1', 'x2', 'x3'].map((name) => ({ name, type: 'numeric' }));
    const model = createModel({ kind: 'tabular', columns, hiddenDims: [32], bottleneck: { kind: 'gaussian', latentDim: 2 } }, { seed: 4 }) as Tabular;
    const batches: TableBatch[] = [];
    for (let at = 0; at < size; at += 128) {
      batches.push({
        size: 128,
        width: 3,
        values: values.slice(at * 3, (at + 128) * 3).map((v, i) => (missing[at * 3 + i] ? 0 : v)),
        missing: missing.slice(at * 3, (at + 128) * 3),
      });
    }
    await train(model, { seed: 1, epochs: 15, optimizer: { kind: 'adam', learningRate: 0.01 } }, { train: fixedTrainData(batches), progress: false });
    // Test rows: fresh data with x2 hidden in every row and x1 observed.
    const testSize = 200;
    const truth = new Float32Array(testSize);
    const test: MaskedRows = { size: testSize, width: 3, values: new Float32Array(testSize * 3), missing: new Uint8Array(testSize * 3) };
    for (let r = 0; r < testSize; r++) {
      const x1 = rng.normal();
      truth[r] = (2 * x1 + 0.1 * rng.normal()) / Math.sqrt(4.01);
      test.values.set([x1, 0, rng.normal()], r * 3);
      test.missing[r * 3 + 1] = 1;
    }
    const rmse = (v: ArrayLike<number>) => Math.sqrt(Array.from(truth).reduce((a, t, r) => a + (t - (v[r * 3 + 1] as number)) ** 2, 0) / testSize);
    const meanRmse = rmse(new Float32Array(testSize * 3));
    expect(meanRmse).toBeGreaterThan(0.8);
    const target = tabularImputable(model);
    for (const method of METHODS) {
      const out = impute(target, test, { method, iterations: 10, importanceSamples: 50, seed: 1 });
      expect(rmse(out.values), method).toBeLessThan(0.4 * meanRmse);
    }
    model.dispose();
  });
});

describe('impute: images (inpainting)', () => {
  it('fills masked pixels with probabilities, keeps the others, and scores only observed pixels', () => {
    const model = createModel({ kind: 'imageMlp', height: 4, width: 4, hiddenDims: [8], bottleneck: { kind: 'gaussian', latentDim: 2 } }, { seed: 2 });
    const target = imageImputable(model as Parameters<typeof imageImputable>[0]);
    const rng = Rng.fromSeed(1);
    const rows: MaskedRows = {
      size: 3,
      width: 16,
      values: Float32Array.from({ length: 48 }, () => (rng.uniform() < 0.5 ? 1 : 0)),
      missing: Uint8Array.from({ length: 48 }, (_, i) => (i % 16 < 8 ? 1 : 0)),
    };
    for (const method of METHODS) {
      const out = impute(target, rows, { method, iterations: 3, importanceSamples: 5 });
      for (let i = 0; i < 48; i++) {
        if (rows.missing[i] === 0) expect(out.values[i]).toBe(rows.values[i]);
        else expect((out.values[i] as number) > 0 && (out.values[i] as number) < 1).toBe(true);
      }
    }
    // log p(x_obs | z) by hand: Σ over observed pixels of x·log σ(l) + (1 − x)·log(1 − σ(l)).
    const [ll, logits] = tf.tidy(() => {
      const p = target.decode(target.code(rows));
      return [Array.from(target.logLikelihood(p, rows).dataSync()), Array.from(p.dataSync())];
    });
    for (let r = 0; r < 3; r++) {
      let expected = 0;
      for (let j = 8; j < 16; j++) {
        const l = logits[r * 16 + j] as number;
        const x = rows.values[r * 16 + j] as number;
        expected += x * Math.log(1 / (1 + Math.exp(-l))) + (1 - x) * Math.log(1 - 1 / (1 + Math.exp(-l)));
      }
      expect(ll[r]).toBeCloseTo(expected, 4);
    }
    model.dispose();
  });
});
