import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, initEngine, tf } from '../src/index.js';
import { expectClose, on, randomArray } from './helpers.js';

beforeAll(async () => {
  await initEngine({ backend: 'wasm' });
});

/** Plain-loop references, independent of any tfjs kernel. */
function segmentSumReference(x: Float32Array, ids: number[], numSegments: number): Float32Array {
  const inner = x.length / ids.length;
  const out = new Float32Array(numSegments * inner);
  ids.forEach((s, i) => {
    if (s < 0 || s >= numSegments) return;
    for (let j = 0; j < inner; j++) out[s * inner + j]! += x[i * inner + j]!;
  });
  return out;
}

interface ConvCase {
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: [number, number];
  pad: 'same' | 'valid' | number;
  dilations?: [number, number];
}

/** dW[i,j,c,k] = Σ x[b, y·s + i·d − top, x·s + j·d − left, c] · dy[b, y, x, k], padding per TensorFlow's rules. */
function filterGradReference(x: Float32Array, dy: Float32Array, c: ConvCase): Float32Array {
  const [B, H, W, C] = c.x;
  const [FH, FW, , K] = c.f;
  const [sh, sw] = c.strides;
  const [dh, dw] = c.dilations ?? [1, 1];
  const extH = (FH - 1) * dh + 1;
  const extW = (FW - 1) * dw + 1;
  let OH: number;
  let OW: number;
  let top: number;
  let left: number;
  if (c.pad === 'same') {
    OH = Math.ceil(H / sh);
    OW = Math.ceil(W / sw);
    top = Math.floor(Math.max((OH - 1) * sh + extH - H, 0) / 2);
    left = Math.floor(Math.max((OW - 1) * sw + extW - W, 0) / 2);
  } else {
    const p = c.pad === 'valid' ? 0 : c.pad;
    OH = Math.floor((H + 2 * p - extH) / sh) + 1;
    OW = Math.floor((W + 2 * p - extW) / sw) + 1;
    top = p;
    left = p;
  }
  const out = new Float32Array(FH * FW * C * K);
  for (let i = 0; i < FH; i++)
    for (let j = 0; j < FW; j++)
      for (let ch = 0; ch < C; ch++)
        for (let k = 0; k < K; k++) {
          let s = 0;
          for (let b = 0; b < B; b++)
            for (let y = 0; y < OH; y++)
              for (let xx = 0; xx < OW; xx++) {
                const r = y * sh + i * dh - top;
                const q = xx * sw + j * dw - left;
                if (r < 0 || r >= H || q < 0 || q >= W) continue;
                s += x[((b * H + r) * W + q) * C + ch]! * dy[((b * OH + y) * OW + xx) * K + k]!;
              }
          out[((i * FW + j) * C + ch) * K + k] = s;
        }
  return out;
}

describe('UnsortedSegmentSum (scatter-add)', () => {
  const rng = Rng.fromSeed('segments');
  const ids = [3, 0, 3, -1, 6, 2, 9, 2, 2, 0, 5, 3];
  const x = randomArray(rng, ids.length * 5);
  const expected = segmentSumReference(x, ids, 7);

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`sums rows into segments on ${backend}, dropping ids outside [0, numSegments)`, async () => {
      const [out] = await on(backend, () => tf.unsortedSegmentSum(tf.tensor2d(x, [ids.length, 5]), tf.tensor1d(ids, 'int32'), 7));
      expectClose(out!, expected, 1e-6);
    });
  }

  it('keeps int32 values int32', async () => {
    await initEngine({ backend: 'wasm' });
    const out = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4], 'int32'), tf.tensor1d([1, 1, 0, 1], 'int32'), 2);
    expect(out.dtype).toBe('int32');
    expect(Array.from(out.dataSync())).toEqual([3, 7]);
  });

  it('gives the gradient of gather (embedding lookup) on wasm equal to cpu and to a hand sum', async () => {
    const tokens = [4, 1, 4, 0, 9, 4, 1, 7];
    const weights = randomArray(rng, 10 * 6);
    const upstream = randomArray(rng, tokens.length * 6);
    const grad = () =>
      tf.grad((w: tf.Tensor) =>
        tf
          .gather(w, tf.tensor2d(tokens, [2, 4], 'int32'))
          .mul(tf.tensor3d(upstream, [2, 4, 6]))
          .sum(),
      )(tf.tensor2d(weights, [10, 6]));
    const [wasm] = await on('wasm', grad);
    const [cpu] = await on('cpu', grad);
    const reference = segmentSumReference(upstream, tokens, 10);
    expectClose(wasm!, reference, 1e-6);
    expectClose(cpu!, reference, 1e-6);
  });
});

describe('Conv2DBackpropFilter as a dilated conv2d', () => {
  const rng = Rng.fromSeed('conv');
  const cases: ConvCase[] = [
    { x: [2, 7, 7, 3], f: [3, 3, 3, 4], strides: [1, 1], pad: 'same' },
    { x: [2, 8, 8, 1], f: [3, 3, 1, 5], strides: [2, 2], pad: 'same' },
    { x: [3, 9, 6, 2], f: [4, 3, 2, 3], strides: [2, 1], pad: 'same' },
    { x: [2, 9, 9, 2], f: [3, 3, 2, 2], strides: [2, 2], pad: 'valid' },
    { x: [1, 10, 11, 2], f: [4, 2, 2, 3], strides: [3, 2], pad: 'valid' },
    { x: [2, 6, 7, 2], f: [3, 3, 2, 2], strides: [2, 2], pad: 1 },
    { x: [2, 28, 28, 1], f: [4, 4, 1, 8], strides: [2, 2], pad: 'same' },
  ];
  for (const c of cases) {
    it(`matches cpu and the plain sum: x ${c.x}, filter ${c.f}, strides ${c.strides}, pad ${c.pad}`, async () => {
      const x = randomArray(
        rng,
        c.x.reduce((a, b) => a * b),
      );
      const f = randomArray(
        rng,
        c.f.reduce((a, b) => a * b),
      );
      const conv = () => tf.conv2d(tf.tensor4d(x, c.x), tf.tensor4d(f, c.f), c.strides, c.pad);
      const dyShape = tf.tidy(() => conv().shape);
      const dy = randomArray(
        rng,
        dyShape.reduce((a, b) => a * b),
      );
      const grad = () =>
        tf.grad((w: tf.Tensor) =>
          tf
            .conv2d(tf.tensor4d(x, c.x), w as tf.Tensor4D, c.strides, c.pad)
            .mul(tf.tensor(dy, dyShape))
            .sum(),
        )(tf.tensor4d(f, c.f));
      const [wasm] = await on('wasm', grad);
      const [cpu] = await on('cpu', grad);
      expectClose(wasm!, cpu!, 1e-5);
      expectClose(wasm!, filterGradReference(x, dy, c), 1e-5);
    });
  }

  it('handles a forward dilation, which tfjs gradients never pass but the math allows', async () => {
    const c: ConvCase = { x: [2, 11, 9, 2], f: [3, 2, 2, 3], strides: [1, 1], pad: 'same', dilations: [2, 3] };
    const x = randomArray(
      rng,
      c.x.reduce((a, b) => a * b),
    );
    const dy = randomArray(rng, 2 * 11 * 9 * 3);
    const [wasm] = await on(
      'wasm',
      () =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(x, c.x), dy: tf.tensor4d(dy, [2, 11, 9, 3]) }, {
          strides: c.strides,
          pad: c.pad,
          dataFormat: 'NHWC',
          filterShape: c.f,
          dilations: c.dilations,
        } as never) as tf.Tensor,
    );
    expectClose(wasm!, filterGradReference(x, dy, c), 1e-5);
  });

  it('handles NCHW inputs, on wasm and cpu alike and as the plain sum over NHWC copies', async () => {
    const x = randomArray(rng, 2 * 3 * 8 * 7);
    const dy = randomArray(rng, 2 * 4 * 4 * 4);
    const run = () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(x, [2, 3, 8, 7]), dy: tf.tensor4d(dy, [2, 4, 4, 4]) }, {
        strides: [2, 2],
        pad: 'same',
        dataFormat: 'NCHW',
        filterShape: [3, 3, 3, 4],
      } as never) as tf.Tensor;
    const [wasm] = await on('wasm', run);
    const [cpu] = await on('cpu', run);
    const [xNhwc, dyNhwc] = await on('cpu', () => [
      tf.tensor4d(x, [2, 3, 8, 7]).transpose([0, 2, 3, 1]),
      tf.tensor4d(dy, [2, 4, 4, 4]).transpose([0, 2, 3, 1]),
    ]);
    const reference = filterGradReference(xNhwc!, dyNhwc!, { x: [2, 8, 7, 3], f: [3, 3, 3, 4], strides: [2, 2], pad: 'same' });
    expectClose(wasm!, cpu!, 1e-5);
    expectClose(cpu!, reference, 1e-5);
  });

  it('gives conv2dTranspose gradients on wasm equal to cpu', async () => {
    const x = randomArray(rng, 2 * 7 * 7 * 4);
    const f = randomArray(rng, 4 * 4 * 1 * 4);
    const target = randomArray(rng, 2 * 14 * 14 * 1);
    const grads = () => {
      const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor) =>
        tf
          .conv2dTranspose(xx as tf.Tensor4D, ww as tf.Tensor4D, [2, 14, 14, 1], 2, 'same')
          .sub(tf.tensor(target, [2, 14, 14, 1]))
          .square()
          .sum(),
      );
      return g([tf.tensor4d(x, [2, 7, 7, 4]), tf.tensor4d(f, [4, 4, 1, 4])]);
    };
    const wasm = await on('wasm', grads);
    const cpu = await on('cpu', grads);
    expectClose(wasm[0]!, cpu[0]!, 1e-5);
    expectClose(wasm[1]!, cpu[1]!, 1e-5);
  });
});

describe('MaxPoolGrad on wasm (one pass over the windows)', () => {
  const rng = Rng.fromSeed('maxpool');
  const cases: { shape: [number, number, number, number]; filter: number; stride: number; pad: 'same' | 'valid' }[] = [
    { shape: [2, 8, 8, 3], filter: 2, stride: 2, pad: 'same' },
    { shape: [2, 9, 7, 2], filter: 3, stride: 2, pad: 'same' },
    { shape: [3, 9, 9, 2], filter: 3, stride: 1, pad: 'valid' },
    { shape: [1, 7, 10, 4], filter: 2, stride: 3, pad: 'valid' },
  ];
  for (const c of cases) {
    for (const relu of [false, true]) {
      it(`matches cpu for ${c.shape}, ${c.filter}×${c.filter} windows, stride ${c.stride}, ${c.pad}${relu ? ', after relu (ties at 0)' : ''}`, async () => {
        const x = randomArray(
          rng,
          c.shape.reduce((a, b) => a * b),
        ).map((v) => (relu ? Math.max(v, 0) : v));
        const grad = () =>
          tf.grad((z: tf.Tensor) => {
            const y = tf.maxPool(z as tf.Tensor4D, c.filter, c.stride, c.pad);
            return y.mul(tf.randomNormal(y.shape, 0, 1, 'float32', 4)).sum();
          })(tf.tensor4d(x, c.shape));
        const [wasm] = await on('wasm', grad);
        const [cpu] = await on('cpu', grad);
        expectClose(wasm!, cpu!, 1e-6);
      });
    }
  }
});

describe('matMul with transpose flags on wasm (transpose first)', () => {
  const rng = Rng.fromSeed('matmul');
  const shapes: [number[], number[]][] = [
    [
      [5, 7],
      [7, 3],
    ],
    [
      [1, 5, 7],
      [1, 7, 3],
    ],
    [
      [4, 5, 7],
      [4, 7, 3],
    ],
    [
      [2, 1, 5, 7],
      [3, 7, 3],
    ],
  ];
  for (const [aShape, bShape] of shapes) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`matches cpu for ${aShape} × ${bShape}, transposeA ${ta}, transposeB ${tb}`, async () => {
        const swap = (s: number[], t: boolean) => (t ? [...s.slice(0, -2), s.at(-1)!, s.at(-2)!] : s);
        const as = swap(aShape, ta);
        const bs = swap(bShape, tb);
        const a = randomArray(
          rng,
          as.reduce((x, y) => x * y),
        );
        const b = randomArray(
          rng,
          bs.reduce((x, y) => x * y),
        );
        const run = () => tf.matMul(tf.tensor(a, as), tf.tensor(b, bs), ta, tb);
        const [wasm] = await on('wasm', run);
        const [cpu] = await on('cpu', run);
        expectClose(wasm!, cpu!, 1e-5);
      });
    }
  }

  it('keeps the fused kernel (bias, activation) exact with transposes, and its gradients', async () => {
    const a = randomArray(rng, 6 * 5);
    const b = randomArray(rng, 4 * 6);
    const bias = randomArray(rng, 4);
    const run = () => {
      const f = (x: tf.Tensor, w: tf.Tensor) =>
        tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, transposeA: true, transposeB: true, bias: tf.tensor1d(bias), activation: 'relu' });
      const [ga, gb] = tf.grads((x: tf.Tensor, w: tf.Tensor) => f(x, w).square().sum())([tf.tensor2d(a, [6, 5]), tf.tensor2d(b, [4, 6])]);
      return [f(tf.tensor2d(a, [6, 5]), tf.tensor2d(b, [4, 6])), ga!, gb!];
    };
    const wasm = await on('wasm', run);
    const cpu = await on('cpu', run);
    for (let i = 0; i < 3; i++) expectClose(wasm[i]!, cpu[i]!, 1e-5);
  });
});

describe('OneHot on wasm (the stock kernel writes int32 whatever the dtype)', () => {
  const indices = [2, 0, 5, -1, 1];
  it('writes float32 one-hots with any on/off values; out-of-range rows are all off', async () => {
    for (const [onValue, offValue] of [
      [1, 0],
      [0.5, -2],
    ] as const) {
      const [wasm] = await on('wasm', () => tf.oneHot(tf.tensor1d(indices, 'int32'), 4, onValue, offValue, 'float32'));
      const expected = indices.flatMap((k) => [0, 1, 2, 3].map((j) => (j === k ? onValue : offValue)));
      expect(Array.from(wasm!)).toEqual(expected);
    }
  });

  it('keeps int32 one-hots int32', async () => {
    await initEngine({ backend: 'wasm' });
    const t = tf.oneHot(tf.tensor1d([1, 0], 'int32'), 2);
    expect(t.dtype).toBe('int32');
    expect(Array.from(await t.data())).toEqual([0, 1, 1, 0]);
  });

  it('makes a one-hot codeword lookup return the codeword (the VQ bottleneck does this)', async () => {
    const codebook = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const [wasm] = await on('wasm', () => tf.matMul(tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3, 1, 0, 'float32'), tf.tensor2d(codebook)));
    expect(Array.from(wasm!)).toEqual([5, 6, 1, 2]);
  });
});

describe('Cast to bool on wasm (the stock kernel truncates)', () => {
  it('tests x ≠ 0 like every other backend, and leaves other casts alone', async () => {
    await initEngine({ backend: 'wasm' });
    const x = tf.tensor1d([0, 0.3, -0.7, 2, -0]);
    expect(Array.from(await tf.cast(x, 'bool').data())).toEqual([0, 1, 1, 1, 0]);
    expect(Array.from(await tf.cast(tf.tensor1d([0, 3, -1], 'int32'), 'bool').data())).toEqual([0, 1, 1]);
    expect(Array.from(await tf.cast(x, 'int32').data())).toEqual([0, 0, 0, 2, 0]);
    expect(Array.from(await tf.cast(tf.tensor1d([true, false], 'bool'), 'float32').data())).toEqual([1, 0]);
  });
});

describe('patched kernels', () => {
  it('leak no backend memory', async () => {
    await initEngine({ backend: 'wasm' });
    const backend = tf.backend();
    const rng = Rng.fromSeed('leak');
    const x = tf.tensor4d(randomArray(rng, 2 * 8 * 8 * 3), [2, 8, 8, 3]);
    const w = tf.tensor4d(randomArray(rng, 3 * 3 * 3 * 4), [3, 3, 3, 4]);
    const e = tf.tensor2d(randomArray(rng, 10 * 4), [10, 4]);
    const before = backend.numDataIds();
    tf.tidy(() => {
      tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 2, 'same').sum())([x, w]);
      tf.grad((ee: tf.Tensor) =>
        tf
          .gather(ee, tf.tensor1d([1, 1, 3], 'int32'))
          .matMul(tf.ones([4, 2]))
          .sum(),
      )(e);
    });
    expect(backend.numDataIds()).toBe(before);
  });

  it("keep the original kernel's setup, which binds wasm functions when a backend instance is created", async () => {
    await initEngine({ backend: 'wasm' });
    for (const name of ['BatchMatMul', '_FusedMatMul', 'MaxPoolGrad']) {
      expect(typeof (tf.getKernel(name, 'wasm') as tf.KernelConfig).setupFunc, name).toBe('function');
    }
  });

  it('are reported by the engine, per backend', async () => {
    const wasm = await initEngine({ backend: 'wasm' });
    expect(wasm.kernelPatches.map((p) => `${p.kernelName}:${p.action}`).sort()).toEqual([
      'BatchMatMul:replaced',
      'Cast:replaced',
      'Conv2DBackpropFilter:added',
      'DepthwiseConv2dNativeBackpropFilter:added',
      'DepthwiseConv2dNativeBackpropInput:added',
      'Einsum:added',
      'MaxPoolGrad:replaced',
      'OneHot:replaced',
      'UnsortedSegmentSum:added',
      '_FusedMatMul:replaced',
    ]);
    const cpu = await initEngine({ backend: 'cpu' });
    expect(cpu.kernelPatches.map((p) => `${p.kernelName}:${p.action}`).sort()).toEqual([
      'Conv2DBackpropFilter:replaced',
      'ResizeNearestNeighborGrad:replaced',
      'UnsortedSegmentSum:replaced',
    ]);
  });
});
