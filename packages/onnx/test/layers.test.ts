/**
 * Each layer exporter against tfjs's own output for the same layer, through onnxruntime-node, with random weights
 * (biases included). Tolerance: 1e-4 max abs diff.
 */
import { LatentkitError, initEngine } from '@latentkit/core';
import { tf } from '@latentkit/core/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../src/graph.js';
import { exportLayer, exportLstmLayer, plain, tfjsLayout } from '../src/layers/index.js';
import { checkerUnavailable, maxAbsDiff, onnxCheck, randomizeWeights, runOnnx } from './helpers.js';

const TOL = 1e-4;
const skipChecker = checkerUnavailable();

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

/** Exports a chain of layers, runs it on `x` in tfjs and in onnxruntime, returns the max abs diff. */
async function parity(layers: tf.layers.Layer[], x: tf.Tensor, seed = 1): Promise<number> {
  let y = x;
  for (const [i, layer] of layers.entries()) {
    y = layer.apply(y) as tf.Tensor;
    randomizeWeights(layer, seed + 10 * i);
  }
  y = layers.reduce((t, layer) => layer.apply(t) as tf.Tensor, x);

  const g = new GraphBuilder('test');
  const int = x.dtype === 'int32';
  g.input('x', int ? 'int64' : 'float32', ['batch', ...x.shape.slice(1)]);
  let v = plain('x');
  for (const layer of layers) v = exportLayer(g, layer, v);
  g.output(tfjsLayout(g, v), 'y', 'float32', ['batch', ...y.shape.slice(1)]);
  const bytes = g.toBytes({ producerVersion: 'test', metadata: {} });
  if (!skipChecker) onnxCheck(bytes);

  const data = int ? BigInt64Array.from(x.dataSync(), (n) => BigInt(n)) : (x.dataSync() as Float32Array);
  const out = await runOnnx(bytes, { x: { data, dims: x.shape } });
  expect(out.y?.length).toBe(y.size);
  return maxAbsDiff(out.y as Float32Array, y.dataSync());
}

type DenseArgs = Parameters<typeof tf.layers.dense>[0];
type ConvArgs = Parameters<typeof tf.layers.conv2d>[0];

const normal = (shape: number[], seed = 7) => tf.randomNormal(shape, 0, 1, 'float32', seed);

describe('layer exporters match tfjs', () => {
  it('Dense with each activation', async () => {
    // logSoftmax is registered in tfjs-layers but missing from its ActivationIdentifier type.
    const names = [
      'linear',
      'relu',
      'sigmoid',
      'tanh',
      'softmax',
      'elu',
      'selu',
      'softplus',
      'softsign',
      'hardSigmoid',
      'swish',
      'mish',
      'gelu',
      'gelu_new',
      'relu6',
      'logSoftmax',
    ];
    for (const activation of names) {
      const d = await parity([tf.layers.dense({ units: 7, activation: activation as DenseArgs['activation'] })], normal([5, 11]));
      expect(d, activation).toBeLessThanOrEqual(TOL);
    }
  });

  it('Dense on a rank-3 input and without bias', async () => {
    expect(await parity([tf.layers.dense({ units: 4, useBias: false })], normal([3, 6, 5]))).toBeLessThanOrEqual(TOL);
  });

  it('Embedding then Dense', async () => {
    const ids = tf.tensor2d(
      [
        [0, 3, 9, 2],
        [5, 5, 1, 0],
      ],
      [2, 4],
      'int32',
    );
    expect(await parity([tf.layers.embedding({ inputDim: 10, outputDim: 6 }), tf.layers.dense({ units: 3 })], ids)).toBeLessThanOrEqual(TOL);
  });

  it('LSTM, last state and whole sequence, each recurrent activation', async () => {
    for (const recurrentActivation of ['hardSigmoid', 'sigmoid'] as const) {
      for (const returnSequences of [false, true]) {
        const lstm = tf.layers.lstm({ units: 8, recurrentActivation, returnSequences });
        const d = await parity([lstm], normal([4, 6, 5]));
        expect(d, `${recurrentActivation} returnSequences=${returnSequences}`).toBeLessThanOrEqual(TOL);
      }
    }
  });

  it('LSTM step from a given state returns h and c like tfjs', async () => {
    const lstm = tf.layers.lstm({ units: 6, returnState: true, recurrentActivation: 'sigmoid' });
    const x = normal([3, 1, 4]);
    const h0 = normal([3, 6], 8);
    const c0 = normal([3, 6], 9);
    lstm.apply(x, { initialState: [h0, c0] });
    randomizeWeights(lstm, 3);
    const [, h1, c1] = lstm.apply(x, { initialState: [h0, c0] }) as tf.Tensor[];

    const g = new GraphBuilder('step');
    g.input('x', 'float32', ['batch', 1, 4]);
    g.input('h', 'float32', ['batch', 6]);
    g.input('c', 'float32', ['batch', 6]);
    const out = exportLstmLayer(g, lstm, plain('x'), { initial: { h: 'h', c: 'c' } });
    g.output(out.h, 'h1', 'float32', ['batch', 6]);
    g.output(out.c, 'c1', 'float32', ['batch', 6]);
    const bytes = g.toBytes({ producerVersion: 'test', metadata: {} });
    if (!skipChecker) onnxCheck(bytes);
    const feed = (t: tf.Tensor) => ({ data: t.dataSync() as Float32Array, dims: t.shape });
    const r = await runOnnx(bytes, { x: feed(x), h: feed(h0), c: feed(c0) });
    expect(maxAbsDiff(r.h1 as Float32Array, h1!.dataSync())).toBeLessThanOrEqual(TOL);
    expect(maxAbsDiff(r.c1 as Float32Array, c1!.dataSync())).toBeLessThanOrEqual(TOL);
  });

  it('LSTM with sequence lengths keeps each row state after its last step', async () => {
    const lstm = tf.layers.lstm({ units: 5 });
    const x = normal([3, 6, 4]);
    lstm.apply(x);
    randomizeWeights(lstm, 5);
    const lengths = [6, 2, 4];
    // tfjs reference: each row run alone over its own prefix.
    const expected = lengths.map((n, r) => (lstm.apply(x.slice([r, 0, 0], [1, n, 4])) as tf.Tensor).dataSync());

    const g = new GraphBuilder('lengths');
    g.input('x', 'float32', ['batch', 'time', 4]);
    g.input('lengths', 'int32', ['batch']);
    const out = exportLstmLayer(g, lstm, plain('x'), { sequenceLengths: 'lengths' });
    g.output(out.h, 'h', 'float32', ['batch', 5]);
    const bytes = g.toBytes({ producerVersion: 'test', metadata: {} });
    if (!skipChecker) onnxCheck(bytes);
    const r = await runOnnx(bytes, { x: { data: x.dataSync() as Float32Array, dims: x.shape }, lengths: { data: Int32Array.from(lengths), dims: [3] } });
    const h = r.h as Float32Array;
    for (const [row, want] of expected.entries()) expect(maxAbsDiff(h.subarray(row * 5, row * 5 + 5), want)).toBeLessThanOrEqual(TOL);
  });

  it('Conv2D: same and valid padding, strides, dilation, odd sizes', async () => {
    const cases = [
      { filters: 4, kernelSize: 3, strides: 1, padding: 'same' },
      { filters: 4, kernelSize: 3, strides: 2, padding: 'same' },
      { filters: 3, kernelSize: [4, 2], strides: [2, 1], padding: 'same' },
      { filters: 5, kernelSize: 3, strides: 2, padding: 'valid' },
      { filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' },
    ] as const;
    for (const c of cases) {
      for (const size of [7, 8]) {
        const d = await parity([tf.layers.conv2d({ ...c, activation: 'relu' } as ConvArgs)], normal([2, size, size, 3]));
        expect(d, `${JSON.stringify(c)} on ${size}x${size}`).toBeLessThanOrEqual(TOL);
      }
    }
  });

  it('Conv2DTranspose: same and valid padding, kernel smaller, equal and larger than the stride', async () => {
    for (const padding of ['same', 'valid'] as const) {
      for (const [kernelSize, strides] of [
        [3, 2],
        [2, 2],
        [1, 2],
        [4, 2],
        [3, 1],
        [5, 3],
      ] as const) {
        const layer = tf.layers.conv2dTranspose({ filters: 3, kernelSize, strides, padding });
        const d = await parity([layer], normal([2, 5, 6, 4]));
        expect(d, `${padding} k=${kernelSize} s=${strides}`).toBeLessThanOrEqual(TOL);
      }
    }
  });

  it('an image decoder stack: Dense, Reshape, Conv2DTranspose, Conv2D, Flatten (layout round trip)', async () => {
    const layers = [
      tf.layers.dense({ units: 7 * 7 * 4, activation: 'relu' }),
      tf.layers.reshape({ targetShape: [7, 7, 4] }),
      tf.layers.conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 5, activation: 'softmax' }),
    ];
    expect(await parity(layers, normal([3, 6]))).toBeLessThanOrEqual(TOL);
  });

  it('activation layers, identity layers, flatten and softmax after a convolution', async () => {
    const layers = [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }),
      tf.layers.leakyReLU({ alpha: 0.1 }),
      tf.layers.elu(),
      tf.layers.reLU({ maxValue: 1.5 }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.activation({ activation: 'tanh' }),
      tf.layers.flatten(),
      tf.layers.softmax(),
    ];
    expect(await parity(layers, normal([2, 5, 5, 2]))).toBeLessThanOrEqual(TOL);
  });
});

describe('unsupported layers', () => {
  it('fail with a LatentkitError naming the layer and its class', () => {
    const layer = tf.layers.batchNormalization({ name: 'my_norm' });
    layer.apply(normal([2, 3]));
    const g = new GraphBuilder('bad');
    g.input('x', 'float32', ['batch', 3]);
    let error: unknown;
    try {
      exportLayer(g, layer, plain('x'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LatentkitError);
    expect((error as LatentkitError).code).toBe('UNSUPPORTED');
    expect((error as Error).message).toContain('"my_norm"');
    expect((error as Error).message).toContain('BatchNormalization');
  });

  it('an unsupported option names the layer too', () => {
    const lstm = tf.layers.lstm({ units: 2, goBackwards: true, name: 'backwards_lstm' });
    lstm.apply(normal([1, 3, 2]));
    const g = new GraphBuilder('bad');
    g.input('x', 'float32', ['batch', 3, 2]);
    expect(() => exportLayer(g, lstm, plain('x'))).toThrow(/layer "backwards_lstm" \(LSTM\).*goBackwards/);
  });

  it('an embedding that masks padding is refused rather than exported without its mask', () => {
    const emb = tf.layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true, name: 'masked_emb' });
    emb.apply(tf.zeros([1, 3], 'int32'));
    const g = new GraphBuilder('bad');
    g.input('x', 'int64', ['batch', 3]);
    expect(() => exportLayer(g, emb, plain('x'))).toThrow(/layer "masked_emb" \(Embedding\).*maskZero/);
  });

  it('an unbuilt layer is refused', () => {
    const g = new GraphBuilder('bad');
    g.input('x', 'float32', ['batch', 3]);
    expect(() => exportLayer(g, tf.layers.dense({ units: 2, name: 'fresh' }), plain('x'))).toThrow(/"fresh".*not been built/);
  });
});
