/**
 * `pnpm --filter @latentkit/core bench [--quick] [section…]`: each kernel patch against what it replaces, and the
 * orthogonal initializer against tfjs's, medians in one run on this machine. Sections: segments, conv, matmul, fixes,
 * orthogonal, selftest (default: all). `--quick` skips the two slow QR baselines.
 */
// Importing the wasm backend registers its stock kernels, which are captured below before core patches them.
import '@tensorflow/tfjs-backend-wasm';
import { Matrix, QrDecomposition } from 'ml-matrix';
import { Rng, initEngine } from '../src/index.js';
import { formatSelfTestReport, orthogonalValues, runSelfTest, tf } from '../src/layers.js';
import { viaCpuKernel } from '../src/kernels/cpu-fallback.js';
import { type Row, printRows, sync, time, withKernel } from './harness.js';

const quick = process.argv.includes('--quick');

function stock(kernelName: string, backend: string): tf.KernelFunc {
  const k = tf.getKernel(kernelName, backend) as tf.KernelConfig | undefined;
  if (!k) throw new Error(`no stock kernel ${kernelName} on ${backend}`);
  return k.kernelFunc;
}
const STOCK = {
  cpuSegmentSum: stock('UnsortedSegmentSum', 'cpu'),
  cpuResizeGrad: stock('ResizeNearestNeighborGrad', 'cpu'),
  wasmBatchMatMul: stock('BatchMatMul', 'wasm'),
  wasmMaxPoolGrad: stock('MaxPoolGrad', 'wasm'),
};

const rng = Rng.fromSeed('bench');
const normal = (shape: number[]) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
const tokens = (n: number, vocab: number) =>
  tf.tensor1d(
    Int32Array.from({ length: n }, () => rng.int(vocab)),
    'int32',
  );

async function segmentSum(): Promise<void> {
  const vocab = 500;
  const x = normal([640, 128]); // 20 × 32 tokens of 128-d embedding gradients
  const ids = tokens(640, vocab);
  const rows: Row[] = [];
  await initEngine({ backend: 'cpu' });
  const op = sync(() => tf.unsortedSegmentSum(x, ids, vocab));
  const baseCpu = withKernel('UnsortedSegmentSum', 'cpu', STOCK.cpuSegmentSum, () => time(op, 3));
  rows.push({
    name: `cpu: [640, 128] into ${vocab} segments`,
    baseline: 'tfjs cpu kernel (mask per segment)',
    baselineMs: baseCpu.medianMs,
    patchedMs: time(op, 9).medianMs,
  });

  // End to end: one gradient step of embedding → dense → softmax cross-entropy on the cpu backend.
  const embeddings = normal([vocab, 128]);
  const dense = normal([128, vocab]).mul(0.05);
  const batch = tokens(640, vocab);
  const targets = tf.oneHot(tokens(640, vocab), vocab);
  const step = sync(() =>
    tf.grads((e: tf.Tensor, w: tf.Tensor) => tf.losses.softmaxCrossEntropy(targets, tf.matMul(tf.gather(e, batch), w)))([embeddings, dense]),
  );
  const baseStep = withKernel('UnsortedSegmentSum', 'cpu', STOCK.cpuSegmentSum, () => time(step, 3));
  rows.push({
    name: `cpu: embedding → dense training step, vocab ${vocab}`,
    baseline: 'tfjs cpu kernel',
    baselineMs: baseStep.medianMs,
    patchedMs: time(step, 3).medianMs,
  });

  await initEngine({ backend: 'wasm' });
  const wasmOp = sync(() => tf.unsortedSegmentSum(x, ids, vocab));
  const fallback = withKernel('UnsortedSegmentSum', 'cpu', STOCK.cpuSegmentSum, () =>
    withKernel('UnsortedSegmentSum', 'wasm', viaCpuKernel('UnsortedSegmentSum'), () => time(wasmOp, 3)),
  );
  rows.push({
    name: `wasm: [640, 128] into ${vocab} segments`,
    baseline: 'none on wasm; tfjs cpu kernel on copies',
    baselineMs: fallback.medianMs,
    patchedMs: time(wasmOp, 9).medianMs,
  });
  printRows('UnsortedSegmentSum (gradient of gather/embedding): scatter-add', rows);
}

async function convFilterGradient(): Promise<void> {
  await initEngine({ backend: 'wasm' });
  const cases: { x: number[]; f: [number, number, number, number] }[] = [
    { x: [64, 28, 28, 1], f: [4, 4, 1, 32] },
    { x: [64, 14, 14, 32], f: [4, 4, 32, 64] },
  ];
  const rows: Row[] = [];
  for (const c of cases) {
    const x = normal(c.x);
    const dy = normal([c.x[0]!, c.x[1]! / 2, c.x[2]! / 2, c.f[3]]);
    const op = sync(
      () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', filterShape: c.f }) as tf.Tensor,
    );
    const fallback = withKernel('Conv2DBackpropFilter', 'wasm', viaCpuKernel('Conv2DBackpropFilter'), () => time(op, 3));
    rows.push({
      name: `wasm: x ${c.x}, filter ${c.f}, stride 2, same`,
      baseline: 'none on wasm; tfjs cpu kernel on copies',
      baselineMs: fallback.medianMs,
      patchedMs: time(op, 9).medianMs,
    });
  }
  printRows('Conv2DBackpropFilter: one dilated conv2d with batch and channels swapped', rows);
}

async function transposedMatMul(): Promise<void> {
  await initEngine({ backend: 'wasm' });
  const cases: { name: string; a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
    { name: 'dense dW = xᵀ·dy: [64, 512]ᵀ × [64, 2048]', a: [64, 512], b: [64, 2048], ta: true, tb: false },
    { name: 'dense dx = dy·Wᵀ: [64, 2048] × [512, 2048]ᵀ', a: [64, 2048], b: [512, 2048], ta: false, tb: true },
    { name: 'LSTM dU = hᵀ·dz: [32, 256]ᵀ × [32, 1024]', a: [32, 256], b: [32, 1024], ta: true, tb: false },
    { name: 'batch of 1: [1, 256, 256] × [1, 256, 256]ᵀ', a: [1, 256, 256], b: [1, 256, 256], ta: false, tb: true },
    { name: 'batched, left to the stock kernel: [16, 64, 128] × [16, 64, 128]ᵀ', a: [16, 64, 128], b: [16, 64, 128], ta: false, tb: true },
  ];
  const rows: Row[] = [];
  for (const c of cases) {
    const a = normal(c.a);
    const b = normal(c.b);
    const op = sync(() => tf.matMul(a, b, c.ta, c.tb));
    const base = withKernel('BatchMatMul', 'wasm', STOCK.wasmBatchMatMul, () => time(op, 5));
    rows.push({ name: c.name, baseline: 'tfjs wasm kernel with the flag', baselineMs: base.medianMs, patchedMs: time(op, 9).medianMs });
  }
  printRows('BatchMatMul with transpose flags on wasm: transpose first, then the plain kernel', rows);
}

async function correctnessFixes(): Promise<void> {
  const rows: Row[] = [];
  await initEngine({ backend: 'wasm' });
  const x = normal([64, 28, 28, 32]);
  const pool = sync(() => tf.grad((z: tf.Tensor) => tf.maxPool(z as tf.Tensor4D, 2, 2, 'same').sum())(x));
  const base = withKernel('MaxPoolGrad', 'wasm', STOCK.wasmMaxPoolGrad, () => time(pool, 5));
  rows.push({
    name: 'wasm: maxPool gradient [64, 28, 28, 32], 2×2',
    baseline: 'tfjs wasm kernel (wrong for all-negative windows)',
    baselineMs: base.medianMs,
    patchedMs: time(pool, 5).medianMs,
  });
  await initEngine({ backend: 'cpu' });
  const small = normal([64, 14, 14, 32]);
  const up = sync(() => tf.grad((z: tf.Tensor) => tf.image.resizeNearestNeighbor(z as tf.Tensor4D, [28, 28]).sum())(small));
  const baseUp = withKernel('ResizeNearestNeighborGrad', 'cpu', STOCK.cpuResizeGrad, () => time(up, 3));
  rows.push({
    name: 'cpu: upsampling gradient [64, 14, 14, 32] → 28×28',
    baseline: 'tfjs cpu kernel (wrong past the first image)',
    baselineMs: baseUp.medianMs,
    patchedMs: time(up, 3).medianMs,
  });
  printRows('Correctness fixes (the price of a right answer; a speed-up below 1 is a slow-down)', rows);
}

async function orthogonalInit(): Promise<void> {
  await initEngine({ backend: 'wasm' });
  const shape = [512, 2048]; // a 512-unit LSTM's recurrent kernel
  const ours = time(() => orthogonalValues(shape, { seed: 1 }), 3);
  const rows: Row[] = [];
  if (!quick) {
    const warn = console.warn;
    console.warn = () => {}; // tfjs warns that this shape is slow; that is what is being measured
    const tfjs = time(
      sync(() => tf.initializers.orthogonal({ seed: 1 }).apply(shape)),
      1,
      false,
    );
    console.warn = warn;
    rows.push({
      name: `orthogonal ${shape}`,
      baseline: 'tf.initializers.orthogonal (QR out of tensor ops, wasm)',
      baselineMs: tfjs.medianMs,
      patchedMs: ours.medianMs,
    });
    const gaussian = Matrix.rand(2048, 512);
    const mlMatrix = time(() => void new QrDecomposition(gaussian).orthogonalMatrix, 1, false);
    rows.push({ name: `orthogonal ${shape}`, baseline: 'ml-matrix QrDecomposition (float64)', baselineMs: mlMatrix.medianMs, patchedMs: ours.medianMs });
  } else {
    console.log(`\northogonal ${shape}: latentkit ${ours.medianMs.toFixed(0)} ms (--quick: baselines skipped)`);
  }
  if (rows.length) printRows('Orthogonal initializer: modified Gram–Schmidt in float64', rows);
}

async function selfTest(): Promise<void> {
  const report = await runSelfTest({ backend: 'wasm', steps: 6 });
  console.log(`\nSelf-test on wasm (default sizes)\n${formatSelfTestReport(report)}`);
}

const SECTIONS: Record<string, () => Promise<void>> = {
  segments: segmentSum,
  conv: convFilterGradient,
  matmul: transposedMatMul,
  fixes: correctnessFixes,
  orthogonal: orthogonalInit,
  selftest: selfTest,
};
const asked = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const unknown = asked.filter((a) => !(a in SECTIONS));
if (unknown.length) throw new Error(`unknown bench section(s) ${unknown.join(', ')}; expected some of ${Object.keys(SECTIONS).join(', ')}`);

const info = await initEngine({ backend: 'wasm' });
console.log(
  `latentkit core bench: tfjs ${info.tfjsVersion}, wasm ${info.threads} thread(s), node ${process.version}; medians, baseline and patch measured in the same run`,
);
for (const [name, section] of Object.entries(SECTIONS)) if (asked.length === 0 || asked.includes(name)) await section();
