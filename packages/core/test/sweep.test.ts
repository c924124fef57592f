/**
 * The ops latentkit's models train with, forward and gradient, on wasm against the cpu backend (the reference).
 * A missing wasm kernel shows up here as a thrown "not registered" error; a wrong one as a mismatch.
 */
import { describe, expect, it } from 'vitest';
import { Rng, tf } from '../src/index.js';
import { expectClose, on, randomArray } from './helpers.js';

type Op = (...xs: tf.Tensor[]) => tf.Tensor;

interface Case {
  readonly name: string;
  /** Shapes of the float inputs; `positive` draws them from |N(0,1)| + 0.1. */
  readonly shapes: readonly number[][];
  readonly op: Op;
  readonly positive?: boolean;
  /** False for ops without a gradient (argMin, oneHot, random draws). */
  readonly differentiable?: boolean;
  /** Values worked out by hand, where the reference backend itself was wrong. */
  readonly expected?: readonly number[];
}

const ids = () => tf.tensor2d([3, 0, 7, 7, 1, 2], [2, 3], 'int32');

const CASES: readonly Case[] = [
  { name: 'gather (embedding)', shapes: [[8, 5]], op: (w) => tf.gather(w!, ids()) },
  {
    name: 'matMul',
    shapes: [
      [6, 5],
      [5, 4],
    ],
    op: (a, b) => tf.matMul(a!, b!),
  },
  {
    name: 'dense (fused matMul + bias + relu)',
    shapes: [[6, 5], [5, 4], [4]],
    op: (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c!, activation: 'relu' }),
  },
  {
    name: 'conv2d same, stride 2',
    shapes: [
      [2, 9, 9, 3],
      [3, 3, 3, 4],
    ],
    op: (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, 'same'),
  },
  {
    name: 'conv2d valid',
    shapes: [
      [2, 8, 8, 2],
      [3, 3, 2, 3],
    ],
    op: (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid'),
  },
  {
    name: 'conv2dTranspose',
    shapes: [
      [2, 7, 7, 4],
      [4, 4, 2, 4],
    ],
    op: (x, f) => tf.conv2dTranspose(x as tf.Tensor4D, f as tf.Tensor4D, [2, 14, 14, 2], 2, 'same'),
  },
  { name: 'maxPool', shapes: [[2, 8, 8, 3]], op: (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'same') },
  { name: 'avgPool', shapes: [[2, 8, 8, 3]], op: (x) => tf.avgPool(x as tf.Tensor4D, 2, 2, 'same') },
  {
    name: 'maxPool, all-negative windows (wasm kernel drops them)',
    shapes: [],
    op: () =>
      tf.grad((x: tf.Tensor) =>
        tf
          .maxPool(x as tf.Tensor4D, 2, 2, 'valid')
          .mul(tf.tensor4d([1, 2], [1, 1, 2, 1]))
          .sum(),
      )(tf.tensor4d([0, 0.99, -0.26, -0.93, 0.5, 0.8, -0.7, -0.6], [1, 2, 4, 1])),
    differentiable: false,
    expected: [0, 1, 2, 0, 0, 0, 0, 0],
  },
  {
    name: 'depthwiseConv2d',
    shapes: [
      [2, 6, 6, 3],
      [3, 3, 3, 2],
    ],
    op: (x, f) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same'),
  },
  {
    name: 'einsum (forward only: tfjs has no einsum gradient on any backend)',
    shapes: [
      [3, 4],
      [4, 5],
    ],
    op: (a, b) => tf.einsum('ij,jk->ik', a!, b!),
    differentiable: false,
  },
  {
    name: 'upsampling, batch of 2 (cpu kernel offsets dy wrongly)',
    shapes: [],
    op: () =>
      tf.grad((x: tf.Tensor) =>
        tf.image
          .resizeNearestNeighbor(x as tf.Tensor4D, [2, 2])
          .mul(tf.range(0, 8).reshape([2, 2, 2, 1]))
          .sum(),
      )(tf.ones([2, 1, 1, 1])),
    differentiable: false,
    expected: [6, 22],
  },
  { name: 'upsampling (resizeNearestNeighbor)', shapes: [[2, 4, 4, 3]], op: (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [8, 8]) },
  { name: 'resizeBilinear', shapes: [[2, 4, 4, 3]], op: (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [8, 8]) },
  { name: 'batchNorm', shapes: [[4, 6], [6], [6], [6], [6]], op: (x, m, v, o, s) => tf.batchNorm(x!, m!, tf.abs(v!).add(0.5), o!, s!, 1e-3) },
  { name: 'sigmoid', shapes: [[4, 6]], op: (x) => tf.sigmoid(x!) },
  { name: 'tanh', shapes: [[4, 6]], op: (x) => tf.tanh(x!) },
  { name: 'relu, elu, leakyRelu', shapes: [[4, 6]], op: (x) => tf.relu(x!).add(tf.elu(x!)).add(tf.leakyRelu(x!, 0.2)) },
  {
    name: 'concat',
    shapes: [
      [4, 3],
      [4, 5],
    ],
    op: (a, b) => tf.concat([a!, b!], 1),
  },
  { name: 'slice', shapes: [[4, 8]], op: (x) => tf.slice(x!, [1, 2], [2, 5]) },
  {
    name: 'split (LSTM gates)',
    shapes: [[4, 8]],
    op: (x) => {
      const [i, f, c, o] = tf.split(x!, 4, 1);
      return tf.sigmoid(i!).mul(tf.tanh(c!)).add(tf.sigmoid(f!)).mul(tf.sigmoid(o!));
    },
  },
  {
    name: 'basicLSTMCell',
    shapes: [
      [7, 16],
      [1, 16],
      [2, 3],
      [2, 4],
      [2, 4],
    ],
    op: (k, b, x, c, h) => {
      const [c2, h2] = tf.basicLSTMCell(1, k as tf.Tensor2D, b!.reshape([16]) as tf.Tensor1D, x as tf.Tensor2D, c as tf.Tensor2D, h as tf.Tensor2D);
      return c2!.add(h2!);
    },
  },
  { name: 'softmax', shapes: [[4, 7]], op: (x) => tf.softmax(x!) },
  { name: 'logSoftmax', shapes: [[4, 7]], op: (x) => tf.logSoftmax(x!) },
  { name: 'softmaxCrossEntropy', shapes: [[4, 7]], op: (x) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([1, 0, 6, 3], 'int32'), 7), x!) },
  {
    name: 'sigmoidCrossEntropy',
    shapes: [
      [4, 7],
      [4, 7],
    ],
    op: (l, x) => tf.losses.sigmoidCrossEntropy(tf.sigmoid(l!), x!),
  },
  { name: 'logSumExp', shapes: [[4, 7]], op: (x) => tf.logSumExp(x!, 1) },
  { name: 'softplus', shapes: [[4, 6]], op: (x) => tf.softplus(x!) },
  { name: 'log1p', shapes: [[4, 6]], op: (x) => tf.log1p(x!), positive: true },
  { name: 'log, sqrt, rsqrt, pow', shapes: [[4, 6]], op: (x) => tf.log(x!).add(tf.sqrt(x!)).add(tf.rsqrt(x!)).add(tf.pow(x!, 1.5)), positive: true },
  { name: 'exp, expm1', shapes: [[4, 6]], op: (x) => tf.exp(x!).add(tf.expm1(x!)) },
  { name: 'erf', shapes: [[4, 6]], op: (x) => tf.erf(x!) },
  { name: 'sum over axes', shapes: [[3, 4, 5]], op: (x) => tf.sum(x!, [0, 2]) },
  { name: 'mean over axes, keepDims', shapes: [[3, 4, 5]], op: (x) => tf.mean(x!, [1, 2], true) },
  {
    name: 'moments',
    shapes: [[6, 5]],
    op: (x) => {
      const m = tf.moments(x!, 0);
      return m.mean.add(m.variance);
    },
  },
  { name: 'max, min', shapes: [[6, 5]], op: (x) => tf.max(x!, 1).add(tf.min(x!, 1)) },
  {
    name: 'squaredDifference',
    shapes: [
      [4, 6],
      [4, 6],
    ],
    op: (a, b) => tf.squaredDifference(a!, b!),
  },
  { name: 'broadcast add, mul, div, sub', shapes: [[4, 6], [6]], op: (a, b) => a!.add(b!).mul(b!).sub(a!).div(tf.abs(b!).add(1)) },
  {
    name: 'where/select',
    shapes: [
      [4, 6],
      [4, 6],
    ],
    op: (a, b) => tf.where(tf.randomUniform([4, 6], 0, 1, 'float32', 3).greater(0.5), a!, b!.mul(2)),
  },
  {
    name: 'maximum, minimum',
    shapes: [
      [4, 6],
      [4, 6],
    ],
    op: (a, b) => tf.maximum(a!, b!).add(tf.minimum(a!, b!.mul(0.5))),
  },
  { name: 'clipByValue', shapes: [[4, 6]], op: (x) => tf.clipByValue(x!, -0.5, 0.7) },
  { name: 'abs, neg, square', shapes: [[4, 6]], op: (x) => tf.abs(x!).add(tf.neg(x!)).add(tf.square(x!)) },
  { name: 'transpose, reshape, expandDims, tile', shapes: [[3, 4]], op: (x) => tf.tile(tf.expandDims(tf.transpose(x!).reshape([2, 6]), 0), [2, 1, 1]) },
  {
    name: 'pad, stack, unstack',
    shapes: [
      [3, 4],
      [3, 4],
    ],
    op: (a, b) =>
      tf
        .stack([
          tf.pad(a!, [
            [1, 0],
            [0, 2],
          ]),
          tf.pad(b!, [
            [0, 1],
            [2, 0],
          ]),
        ])
        .add(tf.unstack(a!)[0]!.sum()),
  },
  { name: 'cumsum', shapes: [[4, 6]], op: (x) => tf.cumsum(x!, 1) },
  { name: 'l2 normalize (norm)', shapes: [[4, 6]], op: (x) => x!.div(tf.norm(x!, 'euclidean', 1, true)) },
  { name: 'argMin', shapes: [[5, 7]], op: (x) => tf.argMin(x!, 1), differentiable: false },
  { name: 'argMax', shapes: [[5, 7]], op: (x) => tf.argMax(x!, 1), differentiable: false },
  { name: 'oneHot', shapes: [], op: () => tf.oneHot(tf.tensor1d([1, 0, 4, 2], 'int32'), 5), differentiable: false },
  { name: 'randomNormal (seeded)', shapes: [], op: () => tf.randomNormal([50], 0, 1, 'float32', 11), differentiable: false },
  { name: 'randomUniform (seeded)', shapes: [], op: () => tf.randomUniform([50], 0, 1, 'float32', 12), differentiable: false },
  { name: 'randomGamma (seeded)', shapes: [], op: () => tf.randomGamma([50], 1.5, 1, 'float32', 13), differentiable: false },
  { name: 'dropout (seeded mask, gradient through it)', shapes: [[10, 10]], op: (x) => tf.dropout(x!, 0.3, undefined, 14) },
];

async function evaluate(backend: 'wasm' | 'cpu', c: Case, inputs: Float32Array[]): Promise<Float32Array[]> {
  return on(backend, () => {
    const xs = inputs.map((v, i) => tf.tensor(v, c.shapes[i]));
    const y = c.op(...xs);
    if (c.differentiable === false || xs.length === 0) return [y];
    // A fixed random cotangent makes every output element count in the gradient.
    const loss = (...zs: tf.Tensor[]) => {
      const out = c.op(...zs);
      return out.mul(tf.randomNormal(out.shape, 0, 1, 'float32', 5)).sum();
    };
    return [y, ...tf.grads(loss)(xs)];
  });
}

describe('ops models train with: wasm against cpu, forward and gradient', () => {
  const rng = Rng.fromSeed('sweep');
  for (const c of CASES) {
    it(c.name, async () => {
      const inputs = c.shapes.map((s) => {
        const v = randomArray(
          rng,
          s.reduce((a, b) => a * b, 1),
        );
        return c.positive ? v.map((x) => Math.abs(x) + 0.1) : v;
      });
      const wasm = await evaluate('wasm', c, inputs);
      const cpu = await evaluate('cpu', c, inputs);
      expect(wasm.length).toBe(cpu.length);
      for (const [i, w] of wasm.entries()) expectClose(w, cpu[i]!, 1e-4);
      if (c.expected) expectClose(wasm[0]!, c.expected, 1e-6);
    });
  }
});
