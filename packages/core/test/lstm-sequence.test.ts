import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, initEngine, lstmSequence } from '../src/index.js';
import { tf } from '../src/layers.js';

beforeAll(async () => {
  await initEngine({ backend: 'wasm' });
});

const [batch, time, input, units] = [3, 5, 4, 6];

function uniform(rng: Rng, shape: number[], scale: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale),
    shape,
  );
}

/** Largest |a − b| over two tensors of one shape. */
async function maxDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  expect(a.shape).toEqual(b.shape);
  return (await tf.max(tf.abs(a.sub(b))).data())[0]!;
}

// tf.layers.lstm, differentiated by tfjs's own autodiff through its step loop, is the independent reference: the op
// must give the same outputs and the same gradients for every input and weight.
describe.each(['hardSigmoid', 'sigmoid'] as const)('lstmSequence with %s gates', (gate) => {
  it('equals tf.layers.lstm forward and in every gradient', async () => {
    const rng = Rng.fromSeed(3);
    const x = uniform(rng, [batch, time, input], 1.5) as tf.Tensor3D;
    const h0 = uniform(rng, [batch, units], 0.8) as tf.Tensor2D;
    const c0 = uniform(rng, [batch, units], 0.8) as tf.Tensor2D;
    // Large enough weights that the hard sigmoid saturates on some gates, so its flat parts are exercised too.
    const kernel = tf.variable(uniform(rng, [input, 4 * units], 1.2)) as tf.Variable<tf.Rank.R2>;
    const recurrent = tf.variable(uniform(rng, [units, 4 * units], 0.9)) as tf.Variable<tf.Rank.R2>;
    const bias = tf.variable(uniform(rng, [4 * units], 0.5)) as tf.Variable<tf.Rank.R1>;
    // Random read-out weights, so every output element's gradient matters and differs.
    const [ws, wh, wc] = [uniform(rng, [batch, time, units], 1), uniform(rng, [batch, units], 1), uniform(rng, [batch, units], 1)];

    const layer = tf.layers.lstm({ units, returnSequences: true, returnState: true, recurrentActivation: gate });
    layer.apply(tf.zeros([1, time, input]));
    layer.setWeights([kernel, recurrent, bias]);
    const reference = (xs: tf.Tensor, h: tf.Tensor, c: tf.Tensor, k: tf.Tensor, r: tf.Tensor, b: tf.Tensor) => {
      layer.setWeights([k, r, b]);
      const [seq, hT, cT] = layer.apply(xs, { initialState: [h, c] } as unknown as tf.serialization.ConfigDict) as tf.Tensor[];
      return { sequence: seq!, h: hT!, c: cT! };
    };
    const ours = (xs: tf.Tensor, h: tf.Tensor, c: tf.Tensor, k: tf.Tensor, r: tf.Tensor, b: tf.Tensor) =>
      lstmSequence(
        xs as tf.Tensor3D,
        h as tf.Tensor2D,
        c as tf.Tensor2D,
        { kernel: k as tf.Tensor2D, recurrentKernel: r as tf.Tensor2D, bias: b as tf.Tensor1D },
        gate,
      );
    const readOut = (out: { sequence: tf.Tensor; h: tf.Tensor; c: tf.Tensor }) =>
      tf
        .sum(out.sequence.mul(ws))
        .add(tf.sum(out.h.mul(wh)))
        .add(tf.sum(out.c.mul(wc))) as tf.Scalar;

    const expected = reference(x, h0, c0, kernel, recurrent, bias);
    const got = ours(x, h0, c0, kernel, recurrent, bias);
    expect(await maxDiff(got.sequence, expected.sequence)).toBeLessThan(1e-6);
    expect(await maxDiff(got.h, expected.h)).toBeLessThan(1e-6);
    expect(await maxDiff(got.c, expected.c)).toBeLessThan(1e-6);

    // tf.layers reads its own variables, so its weight gradients are taken through setWeights-free closures: grads of
    // the layer's variables by tf.variableGrads, input gradients by tf.grads.
    const args = [x, h0, c0] as const;
    const oursInputs = tf.grads((a, b, c) => readOut(ours(a, b, c, kernel, recurrent, bias)))([...args]);
    layer.setWeights([kernel, recurrent, bias]);
    const refInputs = tf.grads((a, b, c) => readOut(reference(a, b, c, kernel, recurrent, bias)))([...args]);
    for (let i = 0; i < 3; i++) expect(await maxDiff(oursInputs[i]!, refInputs[i]!)).toBeLessThan(1e-5);

    const oursWeights = tf.variableGrads(() => readOut(ours(x, h0, c0, kernel, recurrent, bias)), [kernel, recurrent, bias]);
    const layerVars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const refWeights = tf.variableGrads(() => {
      const [seq, hT, cT] = layer.apply(x, { initialState: [h0, c0] } as unknown as tf.serialization.ConfigDict) as tf.Tensor[];
      return readOut({ sequence: seq!, h: hT!, c: cT! });
    }, layerVars);
    const pairs: [tf.Variable, tf.Variable][] = [
      [kernel, layerVars[0]!],
      [recurrent, layerVars[1]!],
      [bias, layerVars[2]!],
    ];
    for (const [mine, theirs] of pairs) {
      const scale = (await tf.max(tf.abs(refWeights.grads[theirs.name]!)).data())[0]!;
      expect(scale).toBeGreaterThan(0.1);
      expect(await maxDiff(oursWeights.grads[mine.name]!, refWeights.grads[theirs.name]!)).toBeLessThan(1e-5 * scale);
    }
  });
});

describe('lstmSequence', () => {
  it('with one step equals one cell update by hand', async () => {
    // One unit, sigmoid gates, hand-computed: z = x·W + h·U + b with W = [1, 2, 3, 4], U = [0.5, 0.5, 0.5, 0.5], b = 0.
    const x = tf.tensor3d([[[0.3]]]);
    const out = lstmSequence(
      x,
      tf.tensor2d([[0.2]]),
      tf.tensor2d([[-0.4]]),
      {
        kernel: tf.tensor2d([[1, 2, 3, 4]]),
        recurrentKernel: tf.tensor2d([[0.5, 0.5, 0.5, 0.5]]),
        bias: tf.zeros([4]) as tf.Tensor1D,
      },
      'sigmoid',
    );
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const z = [0.3 + 0.1, 0.6 + 0.1, 0.9 + 0.1, 1.2 + 0.1];
    const c = s(z[1]!) * -0.4 + s(z[0]!) * Math.tanh(z[2]!);
    const h = s(z[3]!) * Math.tanh(c);
    expect((await out.c.data())[0]).toBeCloseTo(c, 6);
    expect((await out.h.data())[0]).toBeCloseTo(h, 6);
    expect((await out.sequence.data())[0]).toBeCloseTo(h, 6);
  });

  it('refuses a sequence of no steps', () => {
    const w = { kernel: tf.zeros([2, 4]) as tf.Tensor2D, recurrentKernel: tf.zeros([1, 4]) as tf.Tensor2D, bias: tf.zeros([4]) as tf.Tensor1D };
    expect(() => lstmSequence(tf.zeros([1, 0, 2]) as tf.Tensor3D, tf.zeros([1, 1]) as tf.Tensor2D, tf.zeros([1, 1]) as tf.Tensor2D, w)).toThrow(
      /at least one time step/,
    );
  });
});
