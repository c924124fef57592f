/**
 * Time per batch of each bottleneck, training (forward + gradients + afterStep) and inference, against a reference
 * timed round-robin with it: a dense layer of the same width (forward + gradients). Medians of repeated runs; the
 * machine is shared, so compare ratios, not milliseconds. Optional: the same VQ / soft-VQ step in PyTorch (Debian's
 * /usr/bin/python3), as a speed reference only.
 *
 *   pnpm --filter @latentkit/bottlenecks bench            (LATENTKIT_BACKEND=cpu|wasm to choose the backend)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { Rng, initEngine, tf } from '@latentkit/core';
import { createBottleneck } from '../dist/index.js';

const BATCH = 256;
const WIDTH = 64;
const LATENT = 32;
const CODEBOOK = 512;
const WARMUP = 3;
const RUNS = 21;

const engine = await initEngine();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Medians of each function, run round-robin so that load changes on the shared machine hit all of them alike. */
function interleaved(fns) {
  for (let i = 0; i < WARMUP; i++) for (const fn of fns) fn();
  const ms = fns.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    fns.forEach((fn, j) => {
      const t0 = performance.now();
      fn();
      ms[j].push(performance.now() - t0);
    });
  }
  return ms.map(median);
}

const h = tf.variable(tf.randomNormal([BATCH, WIDTH], 0, 1, 'float32', 1));
const rng = Rng.fromSeed(1);

const dense = tf.variable(tf.randomNormal([WIDTH, WIDTH], 0, 0.1, 'float32', 2));
const reference = () => {
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.matMul(h, dense)), [h, dense]);
  tf.dispose([value, ...Object.values(grads)]);
};

const CONFIGS = [
  { kind: 'identity', inputDim: WIDTH },
  { kind: 'denoising', inputDim: WIDTH },
  { kind: 'gaussian', inputDim: WIDTH, latentDim: LATENT },
  { kind: 'vmf', inputDim: WIDTH, latentDim: LATENT },
  { kind: 'powerSpherical', inputDim: WIDTH, latentDim: LATENT },
  { kind: 'vq', inputDim: WIDTH, codebookSize: CODEBOOK },
  { kind: 'vq', inputDim: WIDTH, codebookSize: CODEBOOK, ema: {}, restart: {} },
  { kind: 'softVq', inputDim: WIDTH, codebookSize: CODEBOOK },
  { kind: 'softVq', inputDim: WIDTH, codebookSize: CODEBOOK, latentDim: LATENT, variant: 'predictedVariance' },
];

console.log(`backend ${engine.backend} (${engine.threads} threads); batch ${BATCH}, width ${WIDTH}, latent ${LATENT}, codebook ${CODEBOOK}; median of ${RUNS}`);
console.log(`reference: a dense ${WIDTH}x${WIDTH} layer, forward + gradients, timed alongside each bottleneck`);
console.log(['bottleneck'.padEnd(48), 'ref ms', 'train ms', '× ref', 'infer ms', '× ref'].join('  '));
for (const config of CONFIGS) {
  const b = createBottleneck(config, { rng: Rng.fromSeed(3) });
  const vars = [h, ...Object.values(b.trainableVariables)];
  const train = () => {
    const { value, grads } = tf.variableGrads(() => {
      const out = b.apply(h, { mode: 'train', rng, step: 10 });
      return tf.add(tf.sum(out.code), out.regularizer);
    }, vars);
    tf.dispose([value, ...Object.values(grads)]);
    tf.tidy(() => b.afterStep?.(h, { mode: 'train', rng }));
  };
  // Nothing is returned from the tidy: tfjs walks a returned typed array element by element.
  const infer = () =>
    tf.tidy(() => {
      b.apply(h, { mode: 'infer' }).code.dataSync();
    });
  const [ref, trainMs, inferMs] = interleaved([reference, train, infer]);
  const name = JSON.stringify(config)
    .replace(/"inputDim":64,?|"latentDim":32,?|"codebookSize":512,?/g, '')
    .replace(',}', '}');
  const row = [name.padEnd(48), ref.toFixed(2).padStart(6), trainMs.toFixed(2).padStart(8), (trainMs / ref).toFixed(1).padStart(5)];
  console.log([...row, inferMs.toFixed(2).padStart(8), (inferMs / ref).toFixed(1).padStart(5)].join('  '));
  b.dispose();
}

const python = '/usr/bin/python3';
const script = new URL('./torch_reference.py', import.meta.url);
if (fs.existsSync(python)) {
  try {
    const out = execFileSync(python, [script.pathname, String(BATCH), String(WIDTH), String(CODEBOOK), String(RUNS)], { encoding: 'utf8' });
    console.log(out.trim());
  } catch (e) {
    console.log(`PyTorch reference skipped: ${String(e.message).split('\n')[0]}`);
  }
} else {
  console.log('PyTorch reference skipped: /usr/bin/python3 is absent');
}
