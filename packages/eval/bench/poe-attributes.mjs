/**
 * The product-of-experts multimodal VAE (`MultimodalVae`) over image + binary attributes on the bundled MNIST digits
 * (issue 16). MNIST ships no attributes, so each digit gets the four label-derived `DIGIT_ATTRIBUTES` (even,
 * greaterThan4, closedLoop {0,6,8,9}, prime); they are a function of the label, so this measures the attribute
 * machinery, not attributes that tell more than the label. Same seeded 8,000 / 2,000 split as poe-mnist.mjs. Reports
 *   attributes from image: p(a | mean of q(z|x)) > 0.5 on the 2,000 held-out digits, accuracy per attribute, mean, and
 *     the share with all four right;
 *   image from attributes: `--per-vector` images for each of the 8 distinct attribute vectors, drawn from q(z|a),
 *     classified by kNN (k = 5) fitted on the held-out digits' pixels; the classified digit's attributes are compared
 *     with those asked for (share with all four, per attribute);
 *   image from one attribute: the other three masked out, each attribute asked = 0 and = 1, `--per-vector` images
 *     each; the share whose kNN digit has the asked value.
 * `--missing p` masks each training attribute value out with probability p (the masked-likelihood path).
 *
 *   pnpm --filter @latentkit/eval build && node packages/eval/bench/poe-attributes.mjs [--epochs 10] [--latent 16] [--per-vector 100] [--missing 0]
 */
import { Rng, initEngine } from '@latentkit/core';
import { loadBundledMnist } from '@latentkit/data';
import { DIGIT_ATTRIBUTES, MultimodalVae, digitAttributes, trainMultimodal } from '@latentkit/models';
import { knnPredict } from '../dist/index.js';
import { AREA, digitsOf, numberFlag, poeSplit } from './poe-split.mjs';

const epochs = numberFlag('--epochs', 10);
const latentDim = numberFlag('--latent', 16);
const perVector = numberFlag('--per-vector', 100);
const missing = numberFlag('--missing', 0);
const weight = numberFlag('--attr-weight', 50);
const K = DIGIT_ATTRIBUTES.length;

const info = await initEngine();
const set = await loadBundledMnist();
const { trainIdx, heldIdx } = poeSplit(set.count);
const maskRng = Rng.fromSeed('poe-attributes:missing');
const batchOf = (idx, withMask) => {
  const { pixels, labels } = digitsOf(set, idx);
  const attrs = digitAttributes(labels);
  const batch = { size: idx.length, values: { x: pixels, a: attrs }, labels };
  if (!withMask || missing <= 0) return batch;
  const mask = Float32Array.from(attrs, () => (maskRng.uniform() < missing ? 0 : 1));
  return { ...batch, masks: { a: mask } };
};
const batches = [];
for (let s = 0; s < trainIdx.length; s += 100) batches.push(batchOf(trainIdx.slice(s, s + 100), true));

const model = new MultimodalVae(
  {
    latentDim,
    modalities: [
      { kind: 'image', name: 'x', size: AREA },
      { kind: 'attributes', name: 'a', count: K, weight },
    ],
  },
  Rng.fromSeed('poe-attributes:init'),
);
const t0 = performance.now();
const loss = trainMultimodal(model, () => batches, { epochs, rng: Rng.fromSeed('poe-attributes:train') });
const trainSeconds = Math.round((performance.now() - t0) / 1000);
const round = (v) => Number(v.toFixed(4));

// Attributes from the image alone.
const held = batchOf(heldIdx, false);
const probs = model.predict({ size: held.size, values: { x: held.values.x } }, 'a');
const p = probs.dataSync();
probs.dispose();
const perAttribute = new Array(K).fill(0);
let allRight = 0;
for (let i = 0; i < held.size; i++) {
  let ok = true;
  for (let j = 0; j < K; j++) {
    const right = (p[i * K + j] > 0.5 ? 1 : 0) === held.values.a[i * K + j];
    if (right) perAttribute[j]++;
    else ok = false;
  }
  if (ok) allRight++;
}
const attributesFromImage = Object.fromEntries(DIGIT_ATTRIBUTES.map((a, j) => [a.name, round(perAttribute[j] / held.size)]));
const meanAttributeAccuracy = round(perAttribute.reduce((s, v) => s + v, 0) / (K * held.size));

// Images from attributes, judged by the attributes of their kNN digit.
const reference = { codes: Array.from(heldIdx, (i) => set.pixels.subarray(i * AREA, (i + 1) * AREA)), labels: held.labels };
const attrsOfDigit = Array.from({ length: 10 }, (_, d) => Array.from(digitAttributes([d])));
const generate = (asked, mask, seed) => {
  const n = asked.length / K;
  const images = model.predict({ size: n, values: { a: asked }, ...(mask ? { masks: { a: mask } } : {}) }, 'x', Rng.fromSeed(seed));
  const samples = images.arraySync();
  images.dispose();
  return knnPredict(reference, samples, { k: 5 });
};
const vectors = [...new Set(attrsOfDigit.map((v) => v.join('')))].map((s) => Array.from(s, Number));
const asked = Float32Array.from(vectors.flatMap((v) => Array.from({ length: perVector }, () => v).flat()));
const digits = generate(asked, undefined, 'poe-attributes:samples');
const matchPer = new Array(K).fill(0);
let matchAll = 0;
digits.forEach((d, i) => {
  let ok = true;
  for (let j = 0; j < K; j++) {
    if (attrsOfDigit[d][j] === asked[i * K + j]) matchPer[j]++;
    else ok = false;
  }
  if (ok) matchAll++;
});
const imageFromAttributesPerAttribute = Object.fromEntries(DIGIT_ATTRIBUTES.map((a, j) => [a.name, round(matchPer[j] / digits.length)]));

// Images from one attribute, the others masked out.
const single = {};
for (let j = 0; j < K; j++) {
  let hits = 0;
  for (const value of [0, 1]) {
    const one = new Float32Array(perVector * K);
    const mask = new Float32Array(perVector * K);
    for (let r = 0; r < perVector; r++) {
      one[r * K + j] = value;
      mask[r * K + j] = 1;
    }
    const ds = generate(one, mask, `poe-attributes:single:${j}:${value}`);
    hits += ds.filter((d) => attrsOfDigit[d][j] === value).length;
  }
  single[DIGIT_ATTRIBUTES[j].name] = round(hits / (2 * perVector));
}

console.log(
  JSON.stringify({
    bench: 'poe-attributes',
    backend: info.backend,
    setup: `MVAE image+attributes (${DIGIT_ATTRIBUTES.map((a) => a.name).join(', ')}; label-derived), PoE with prior expert, latent ${latentDim}, image MLP 512, attribute MLP 64, attribute weight ${weight}, training values missing ${missing}, batch 100, Adam 1e-3, ${epochs} epochs on 8000 bundled digits`,
    trainSeconds,
    lastEpochLoss: Number(loss.toFixed(2)),
    attributesFromImage,
    meanAttributeAccuracy,
    allAttributesRightFromImage: round(allRight / held.size),
    imageFromAttributesAllMatch: round(matchAll / digits.length),
    imageFromAttributesPerAttribute,
    imageFromOneAttribute: single,
    heldOut: heldIdx.length,
    imagesPerVector: perVector,
    distinctVectors: vectors.length,
  }),
);
model.dispose();
